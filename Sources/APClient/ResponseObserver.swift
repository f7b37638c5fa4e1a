import APTransport
import Foundation

/// A final response of an API call (not of the token call), as handed to a `ResponseObserver`.
public struct ObservedResponse: Sendable {
    public var method: String
    /// Path and query as sent, e.g. `/payouts?limit=100&after=c2`.
    public var pathAndQuery: String
    public var status: Int
    /// Response headers without `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie`.
    public var headers: HTTPHeaders
    public var body: Data
}

/// Called once per API call with its final response (after retries), success or not.
/// Meant for recording raw responses for audit and replay.
public typealias ResponseObserver = @Sendable (ObservedResponse) -> Void

extension HTTPHeaders {
    static let sensitive: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]

    var withoutCredentials: HTTPHeaders {
        HTTPHeaders(entries.filter { !Self.sensitive.contains($0.name.lowercased()) })
    }
}

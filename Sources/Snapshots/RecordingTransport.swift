import APTransport
import Foundation
import JobSettings
import Publishing
import Synchronization

/// One HTTP attempt as it happened, before redaction. Lives only in memory during a recorded run.
public struct RawExchange: Sendable {
    public var method: String
    /// Path and query relative to the base URL.
    public var path: String
    public var occurrence: Int
    public var result: Result<HTTPResponse, TransportError>

    public init(method: String, path: String, occurrence: Int, result: Result<HTTPResponse, TransportError>) {
        self.method = method
        self.path = path
        self.occurrence = occurrence
        self.result = result
    }
}

/// Wraps the run's transport and keeps every attempt it carries — retries, failed attempts and
/// the token request included — so `--record` sees exactly what the client saw. The client
/// itself knows nothing of it. Request headers (they hold credentials) are never kept.
public final class RecordingTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private let baseURL: String
    private let state = Mutex(State())

    private struct State {
        var counts: [String: Int] = [:]
        var exchanges: [RawExchange] = []
    }

    /// `baseURL` as the client sends it (no trailing slash); it is cut off each URL to get the path.
    public init(wrapping inner: any HTTPTransport, baseURL: String) {
        self.inner = inner
        self.baseURL = RequestTarget.normalizedBase(baseURL)
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let method = request.method.rawValue
        let path = RequestTarget.path(of: request.url, base: baseURL)
        // Numbered when sent: the client sends one request's attempts one after another, so
        // the occurrence of each is the same in a replay whatever the concurrency.
        let occurrence = state.withLock { state in
            state.counts[method + " " + path, default: 0] += 1
            return state.counts[method + " " + path, default: 0]
        }
        let result: Result<HTTPResponse, TransportError>
        do {
            result = .success(try await inner.send(request))
        } catch {
            result = .failure(error)
        }
        let exchange = RawExchange(method: method, path: path, occurrence: occurrence, result: result)
        state.withLock { $0.exchanges.append(exchange) }
        return try result.get()
    }

    /// Every attempt so far, in the order they completed.
    public var exchanges: [RawExchange] { state.withLock { $0.exchanges } }
}

/// How a request URL maps to the path a snapshot files it under.
enum RequestTarget {
    static func normalizedBase(_ base: String) -> String {
        var text = base.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// The URL without the base URL (`/payouts?limit=100`). A URL elsewhere keeps its path and
    /// query only, never a host or user info.
    static func path(of url: String, base: String) -> String {
        if url.hasPrefix(base) {
            let rest = String(url.dropFirst(base.count))
            if rest.hasPrefix("/") || rest.isEmpty { return rest }
        }
        guard let components = URLComponents(string: url) else { return url }
        let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        return components.percentEncodedPath + query
    }
}

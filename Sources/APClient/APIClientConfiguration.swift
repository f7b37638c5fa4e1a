import APModels
import APTransport
import Foundation

/// Everything the client needs to talk to one deployment of the API.
public struct APIClientConfiguration: Sendable {
    /// Validated base URL without a trailing slash, e.g. `https://public-api.alternativepayments.io`.
    /// A path prefix (`https://proxy.example/ap`) is kept.
    public let baseURL: String
    public var credentials: ClientCredentials
    /// `limit` sent on list calls (the API's default is 100).
    public var pageSize: Int
    public var retryPolicy: RetryPolicy
    /// Largest margin by which a token is renewed before `expires_in` ends; see `TokenLifetime`.
    public var tokenSafetyMargin: Duration
    /// Pages one listing may span before the client calls it a protocol fault.
    public var maxPages: Int
    public var userAgent: String

    /// Throws `APIError` of kind `.configuration` when `baseURL` is not an absolute http(s)
    /// URL without credentials, query or fragment, when it is plain http to a host that is not
    /// loopback (`CleartextPolicy`: the secret and tokens would cross the network in clear),
    /// or when `pageSize`/`maxPages` are not positive.
    public init(
        baseURL: String,
        credentials: ClientCredentials,
        pageSize: Int = 100,
        retryPolicy: RetryPolicy = RetryPolicy(),
        tokenSafetyMargin: Duration = .seconds(30),
        maxPages: Int = 100_000,
        userAgent: String = "ap-reconcile"
    ) throws {
        self.baseURL = try Self.validate(baseURL: baseURL)
        guard pageSize > 0 else {
            throw APIError(kind: .configuration, detail: "page size \(pageSize) is not positive", hint: "use a page size between 1 and 1000")
        }
        guard maxPages > 0 else {
            throw APIError(kind: .configuration, detail: "page cap \(maxPages) is not positive", hint: "use a positive page cap")
        }
        guard !credentials.clientID.isEmpty, !credentials.clientSecret.isEmpty else {
            throw APIError(kind: .configuration, detail: "the client id or client secret is empty",
                           hint: "set AP_CLIENT_ID and AP_CLIENT_SECRET")
        }
        self.credentials = credentials
        self.pageSize = pageSize
        self.retryPolicy = retryPolicy
        self.tokenSafetyMargin = tokenSafetyMargin
        self.maxPages = maxPages
        self.userAgent = userAgent
    }

    static func validate(baseURL raw: String) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let hint = "set the base URL to an http(s) address such as https://public-api.alternativepayments.io"
        func fail(_ why: String) -> APIError {
            // The URL is echoed only in part: a mistyped URL may still carry a password.
            APIError(kind: .configuration, detail: "base URL is invalid: \(why)", hint: hint)
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw fail("not a URL")
        }
        guard scheme == "http" || scheme == "https" else { throw fail("scheme \"\(scheme.prefix(10))\" is not http or https") }
        guard let host = components.host, !host.isEmpty else { throw fail("no host") }
        guard components.user == nil, components.password == nil else { throw fail("it contains user info; pass credentials separately") }
        guard components.query == nil else { throw fail("it contains a query") }
        guard components.fragment == nil else { throw fail("it contains a fragment") }
        guard CleartextPolicy.permits(scheme: scheme, host: host) else {
            throw APIError(kind: .configuration,
                           detail: "base URL is plain http to \"\(DisplayText.sanitize(host, limit: DisplayText.identifierLimit))\", "
                               + "which would send the client secret and tokens across the network unencrypted",
                           hint: CleartextPolicy.rule)
        }
        var result = text
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }
}

import Foundation

/// The one error the client throws (besides `CancellationError` when its task is cancelled).
/// It says what failed (endpoint, path, status), what the server said, how often the client
/// tried, and what the user can do. It never contains credentials or tokens.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Credentials refused (token endpoint 400/401, or 401 twice in a row).
        case authentication
        /// 403: the credentials lack a scope.
        case permission
        /// 404 from a by-id call.
        case notFound
        /// Still 429 after the retries the policy allows.
        case rateLimited
        /// 5xx or network failure after retries, or a host that cannot be reached.
        case unavailable
        /// The server broke the contract: malformed page, cursor loop, duplicate ids, page cap.
        case protocolViolation
        /// Any other 4xx: the request was refused as malformed or invalid.
        case clientError
        /// Bad local settings: base URL, credentials missing, page size.
        case configuration
    }

    public var kind: Kind
    /// Endpoint template such as `GET /payouts/{id}/transactions`.
    public var endpoint: String?
    /// Concrete path and query, e.g. `/payouts/po_1/transactions?limit=100&after=c2`.
    public var path: String?
    public var status: Int?
    /// The API's `code`, `message` and `validation_errors` when the error body is JSON.
    public var apiCode: String?
    public var apiMessage: String?
    public var validationErrors: [String: String]
    /// A sanitised excerpt (≤200 characters) of a body that is not JSON.
    public var bodyExcerpt: String?
    /// The cursor of the page being fetched, for paging faults.
    public var cursor: String?
    /// Attempts made for the failing request (0 when none was sent).
    public var attempts: Int
    /// The underlying transport failure, described.
    public var transportError: String?
    /// What went wrong, in words.
    public var detail: String
    /// What the user can do about it.
    public var hint: String?

    public init(kind: Kind, endpoint: String? = nil, path: String? = nil, status: Int? = nil, apiCode: String? = nil,
                apiMessage: String? = nil, validationErrors: [String: String] = [:], bodyExcerpt: String? = nil,
                cursor: String? = nil, attempts: Int = 0, transportError: String? = nil, detail: String, hint: String? = nil) {
        self.kind = kind
        self.endpoint = endpoint
        self.path = path
        self.status = status
        self.apiCode = apiCode
        self.apiMessage = apiMessage
        self.validationErrors = validationErrors
        self.bodyExcerpt = bodyExcerpt
        self.cursor = cursor
        self.attempts = attempts
        self.transportError = transportError
        self.detail = detail
        self.hint = hint
    }

    /// Process exit status for this failure (sysexits.h); the table is in docs/client.md.
    public var exitCode: Int32 {
        switch kind {
        case .authentication, .permission: 77 // EX_NOPERM
        case .rateLimited, .unavailable: 69 // EX_UNAVAILABLE
        case .protocolViolation, .clientError: 76 // EX_PROTOCOL
        case .notFound: 66 // EX_NOINPUT: a record the run needs does not exist
        case .configuration: 78 // EX_CONFIG
        }
    }

    /// One or two sentences: where, what, and what to do.
    public var description: String {
        var where_ = endpoint ?? "API client"
        if let path, !path.isEmpty { where_ += " (\(path))" }
        var text = "\(where_): \(detail)"
        if let status { text += " [HTTP \(status)]" }
        var said: [String] = []
        if let apiCode { said.append("code \(apiCode)") }
        if let apiMessage { said.append("\"\(apiMessage)\"") }
        if !validationErrors.isEmpty {
            said.append(validationErrors.keys.sorted().map { "\($0): \(validationErrors[$0] ?? "")" }.joined(separator: "; "))
        }
        if !said.isEmpty { text += "; the API said " + said.joined(separator: ", ") }
        if let bodyExcerpt { text += "; body: \(bodyExcerpt)" }
        if let cursor { text += "; cursor \"\(cursor)\"" }
        // The retry policy's reason may already say "gave up after N attempts".
        if attempts > 1 && !detail.contains("after \(attempts) attempts") { text += "; \(attempts) attempts" }
        if let transportError { text += "; transport: \(transportError)" }
        text += "."
        if let hint { text += " \(hint.prefix(1).uppercased() + hint.dropFirst())." }
        return text
    }
}

extension APIError {
    /// Replaces every occurrence of the given secrets in the text fields. The client passes
    /// the client secret, the Basic header value and tokens, so a server echoing them back
    /// (in a message or an HTML page) cannot leak them into logs.
    func redacting(_ secrets: [String]) -> APIError {
        let secrets = secrets.filter { $0.count >= 4 }
        guard !secrets.isEmpty else { return self }
        func scrub(_ s: String?) -> String? {
            guard var s else { return nil }
            for secret in secrets where s.contains(secret) { s = s.replacingOccurrences(of: secret, with: "<redacted>") }
            return s
        }
        var copy = self
        copy.path = scrub(path)
        copy.apiCode = scrub(apiCode)
        copy.apiMessage = scrub(apiMessage)
        copy.bodyExcerpt = scrub(bodyExcerpt)
        copy.cursor = scrub(cursor)
        copy.transportError = scrub(transportError)
        copy.detail = scrub(detail) ?? detail
        copy.hint = scrub(hint)
        copy.validationErrors = Dictionary(uniqueKeysWithValues: validationErrors.map { (scrub($0.key) ?? "", scrub($0.value) ?? "") })
        return copy
    }
}

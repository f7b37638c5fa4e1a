import APModels
import Foundation

/// The one error the client throws (besides `CancellationError` when its task is cancelled).
/// It says what failed (endpoint, path, status), what the server said, how often the client
/// tried, and what the user can do. It never contains credentials or tokens.
///
/// Its text reaches terminals, logs and the webhook, and much of it comes from the server (ids,
/// cursors, codes, messages), so every text field is one safe line of bounded length
/// (`DisplayText`): the initializer sanitises what it is given and `description` again what
/// it prints, so a field set after construction cannot bypass the rule. Whoever puts server
/// text in scrubs the request's secrets from it first (`ErrorBody`, `PageDecoder`): once a
/// field is cut, a secret across the cut could no longer be found.
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
        self.endpoint = endpoint.map { Self.clean($0, Self.pathLimit) }
        self.path = path.map { Self.clean($0, Self.pathLimit) }
        self.status = status
        self.apiCode = apiCode.map { Self.clean($0, DisplayText.codeLimit) }
        self.apiMessage = apiMessage.map { Self.clean($0, DisplayText.messageLimit) }
        self.validationErrors = Self.clean(validationErrors)
        self.bodyExcerpt = bodyExcerpt.map { Self.clean($0, DisplayText.messageLimit) }
        self.cursor = cursor.map { Self.clean($0, DisplayText.identifierLimit) }
        self.attempts = attempts
        self.transportError = transportError.map { Self.clean($0, Self.sentenceLimit) }
        self.detail = Self.clean(detail, Self.sentenceLimit)
        self.hint = hint.map { Self.clean($0, Self.sentenceLimit) }
    }

    /// A path with its query (a cursor of up to 100 characters, percent-encoded, fits).
    static let pathLimit = 400
    /// Our own sentences, which may quote a few ids of up to 100 characters.
    static let sentenceLimit = 600

    static func clean(_ text: String, _ limit: Int) -> String { DisplayText.sanitize(text, limit: limit) }

    static func clean(_ errors: [String: String]) -> [String: String] {
        guard !errors.isEmpty else { return errors }
        let entries = errors.sorted { $0.key < $1.key }.prefix(ErrorBody.validationEntryLimit).map {
            (clean($0.key, ErrorBody.validationKeyLimit), clean($0.value, ErrorBody.validationValueLimit))
        }
        return ErrorBody.mergingEqualKeys(entries)
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
        var where_ = Self.clean(endpoint ?? "API client", Self.pathLimit)
        if let path, !path.isEmpty { where_ += " (\(Self.clean(path, Self.pathLimit)))" }
        let detail = Self.clean(detail, Self.sentenceLimit)
        var text = "\(where_): \(detail)"
        if let status { text += " [HTTP \(status)]" }
        var said: [String] = []
        if let apiCode { said.append("code \(Self.clean(apiCode, DisplayText.codeLimit))") }
        if let apiMessage { said.append("\"\(Self.clean(apiMessage, DisplayText.messageLimit))\"") }
        let validationErrors = Self.clean(validationErrors)
        if !validationErrors.isEmpty {
            said.append(validationErrors.keys.sorted().map { "\($0): \(validationErrors[$0] ?? "")" }.joined(separator: "; "))
        }
        if !said.isEmpty { text += "; the API said " + said.joined(separator: ", ") }
        if let bodyExcerpt { text += "; body: \(Self.clean(bodyExcerpt, DisplayText.messageLimit))" }
        if let cursor { text += "; cursor \"\(Self.clean(cursor, DisplayText.identifierLimit))\"" }
        // The retry policy's reason may already say "gave up after N attempts".
        if attempts > 1 && !detail.contains("after \(attempts) attempts") { text += "; \(attempts) attempts" }
        if let transportError { text += "; transport: \(Self.clean(transportError, Self.sentenceLimit))" }
        text += "."
        if let hint {
            let hint = Self.clean(hint, Self.sentenceLimit)
            text += " \(hint.prefix(1).uppercased() + hint.dropFirst())."
        }
        return text
    }
}

extension APIError {
    /// Replaces every occurrence of the given secrets in the text fields. The client passes
    /// the client secret, the Basic header value and tokens, so a server echoing them back
    /// (in a message or an HTML page) cannot leak them into logs. Text taken from a body is
    /// scrubbed before it is cut, where the error is made; this pass covers the rest (paths,
    /// transport descriptions, our own sentences quoting an id).
    func redacting(_ secrets: [String]) -> APIError {
        redacting(Redaction(secrets))
    }

    func redacting(_ redaction: Redaction) -> APIError {
        guard !redaction.secrets.isEmpty else { return self }
        // Through the initializer, so a field the placeholder made longer is cut again.
        return APIError(kind: kind, endpoint: redaction.scrub(endpoint), path: redaction.scrub(path), status: status,
                        apiCode: redaction.scrub(apiCode), apiMessage: redaction.scrub(apiMessage),
                        validationErrors: ErrorBody.mergingEqualKeys(
                            validationErrors.sorted { $0.key < $1.key }.map { (redaction.scrub($0.key), redaction.scrub($0.value)) }),
                        bodyExcerpt: redaction.scrub(bodyExcerpt), cursor: redaction.scrub(cursor), attempts: attempts,
                        transportError: redaction.scrub(transportError), detail: redaction.scrub(detail),
                        hint: redaction.scrub(hint))
    }
}

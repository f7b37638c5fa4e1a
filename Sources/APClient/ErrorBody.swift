import APModels
import Foundation

/// What an error response's body says: the API's JSON error, or an excerpt of anything else.
/// Every string is scrubbed of the request's secrets first and only then made one safe line
/// and cut to length (`DisplayText`), so no part of a secret survives a cut.
struct ErrorBody: Sendable, Hashable {
    var code: String?
    var message: String?
    var validationErrors: [String: String] = [:]
    var excerpt: String?

    static let excerptLimit = DisplayText.messageLimit
    /// At most this many `validation_errors` entries are kept, with these lengths.
    static let validationEntryLimit = 20
    static let validationKeyLimit = 80
    static let validationValueLimit = 120

    static func parse(_ body: Data, redaction: Redaction = .none) -> ErrorBody {
        if let value = try? JSONDecoder().decode(JSONValue.self, from: body), case .object(let fields) = value,
           fields["code"] != nil || fields["message"] != nil || fields["validation_errors"] != nil {
            func clean(_ s: String, _ limit: Int) -> String { DisplayText.sanitize(redaction.scrub(s), limit: limit) }
            var result = ErrorBody()
            result.code = fields["code"].flatMap(text).map { clean($0, DisplayText.codeLimit) }
            result.message = fields["message"].flatMap(text).map { clean($0, excerptLimit) }
            if case .object(let errors)? = fields["validation_errors"] {
                let entries = errors.sorted { $0.key < $1.key }.prefix(validationEntryLimit).map {
                    (clean($0.key, validationKeyLimit), clean(text($0.value) ?? $0.value.compactSortedJSON, validationValueLimit))
                }
                result.validationErrors = mergingEqualKeys(entries)
            }
            return result
        }
        return ErrorBody(excerpt: excerpt(of: body, redaction: redaction))
    }

    /// Keys that differ in the body can become equal once scrubbed and cut (`"<redacted>"`
    /// twice); their messages are joined with "; " in the order of the original keys.
    static func mergingEqualKeys(_ entries: [(String, String)]) -> [String: String] {
        Dictionary(entries, uniquingKeysWith: { first, second in first + "; " + second })
    }

    /// `(empty body)`, or the body as one line of text with control characters and runs of
    /// whitespace collapsed to one space, cut at 200 characters.
    static func excerpt(of body: Data, redaction: Redaction = .none) -> String {
        if body.isEmpty { return "(empty body)" }
        // 4 bytes per character covers any UTF-8 text; whitespace and controls that collapse
        // may leave fewer than 200 characters, which is fine for an excerpt.
        let text = redaction.scrubbedPrefix(of: body, bytes: 4 * excerptLimit)
        let cleaned = DisplayText.sanitize(text, limit: excerptLimit)
        return cleaned.isEmpty ? "(\(body.count) bytes of whitespace or binary)" : cleaned
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .integer(let n): String(n)
        case .number(let t): t
        default: nil
        }
    }
}

import Foundation

/// What an error response's body says: the API's JSON error, or an excerpt of anything else.
struct ErrorBody: Sendable, Hashable {
    var code: String?
    var message: String?
    var validationErrors: [String: String] = [:]
    var excerpt: String?

    static let excerptLimit = 200

    static func parse(_ body: Data) -> ErrorBody {
        if let value = try? JSONDecoder().decode(JSONValue.self, from: body), case .object(let fields) = value,
           fields["code"] != nil || fields["message"] != nil || fields["validation_errors"] != nil {
            var result = ErrorBody()
            result.code = fields["code"].flatMap(text).map { sanitise($0, limit: 80) }
            result.message = fields["message"].flatMap(text).map { sanitise($0, limit: excerptLimit) }
            if case .object(let errors)? = fields["validation_errors"] {
                for (field, message) in errors.prefix(20) {
                    result.validationErrors[sanitise(field, limit: 80)] = sanitise(text(message) ?? message.compactSortedJSON, limit: 120)
                }
            }
            return result
        }
        return ErrorBody(excerpt: excerpt(of: body))
    }

    /// `(empty body)`, or the body as text with control characters and runs of whitespace
    /// collapsed to one space, cut at 200 characters.
    static func excerpt(of body: Data) -> String {
        if body.isEmpty { return "(empty body)" }
        let text = String(decoding: body.prefix(4 * excerptLimit), as: UTF8.self)
        let cleaned = sanitise(text, limit: excerptLimit)
        return cleaned.isEmpty ? "(\(body.count) bytes of whitespace or binary)" : cleaned
    }

    static func sanitise(_ text: String, limit: Int) -> String {
        var out = ""
        var lastWasSpace = false
        var count = 0
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F
                || scalar == "\u{FFFD}"
            if isSpace {
                if !lastWasSpace, !out.isEmpty {
                    out += " "
                    count += 1
                }
                lastWasSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                count += 1
                lastWasSpace = false
            }
            if count >= limit { return String(out.prefix(limit - 1)) + "…" }
        }
        return out.hasSuffix(" ") ? String(out.dropLast()) : out
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

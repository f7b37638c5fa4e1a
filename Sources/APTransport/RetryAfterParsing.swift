import Foundation

extension RetryAfter {
    /// Placeholder until the transport work lands; see RetryAfter.parse.
    static func parseHeader(_ value: String) -> RetryAfter? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let s = Int64(trimmed) else { return nil }
        return .seconds(s)
    }
}

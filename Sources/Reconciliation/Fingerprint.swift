/// Builds `Diagnostic.fingerprint`: `CODE|payout|transaction|invoice|payment_request[|detail…]`.
///
/// Only identities go in (never amounts, dates or messages) so an open problem keeps its
/// fingerprint from one night to the next. Each part is percent-escaped for `%` and `|`
/// so ids containing the separator cannot make two different problems collide.
enum Fingerprint {
    static func make(code: DiagnosticCode, ids: [String?], detail: [String]) -> String {
        var out = code.rawValue
        for part in ids {
            out += "|"
            if let part { out += escape(part) }
        }
        for part in detail {
            out += "|" + escape(part)
        }
        return out
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "|") }) else { return s }
        var out = ""
        for ch in s {
            switch ch {
            case "%": out += "%25"
            case "|": out += "%7C"
            default: out.append(ch)
            }
        }
        return out
    }

    /// FNV-1a 64-bit, hex: a stable name for a record that has no id (no Hasher: it is seeded per process).
    static func fnv1a(_ s: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

import Foundation

/// The secrets one request could expose — the client secret, its Basic encoding, the bearer
/// tokens sent — and how they are taken out of text a server sends back.
///
/// Order matters: a secret is scrubbed from the whole text first, and only then is the text
/// cut to length. Cutting first would leave the part of a secret before the cut in place.
struct Redaction: Sendable {
    static let placeholder = "<redacted>"

    /// Secrets shorter than 4 characters are ignored: replacing every "ab" in a message
    /// would redact nothing secret and garble everything else.
    let secrets: [String]

    init(_ secrets: [String]) {
        // Longest first, so a secret that contains another is replaced whole.
        self.secrets = Array(Set(secrets.filter { $0.count >= 4 })).sorted { ($0.count, $0) > ($1.count, $1) }
    }

    static let none = Redaction([])

    func scrub(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: Self.placeholder)
        }
        return text
    }

    func scrub(_ text: String?) -> String? { text.map(scrub) }

    /// The first `bytes` bytes of `body` as text with every secret scrubbed. When the body goes
    /// on past them, a secret may straddle the cut: its first part is at the end of the text,
    /// not whole, so `scrub` cannot see it. The longest end of the text that begins some secret
    /// is dropped too (at worst a few harmless characters of text that was being cut anyway).
    func scrubbedPrefix(of body: Data, bytes: Int) -> String {
        var text = scrub(String(decoding: body.prefix(bytes), as: UTF8.self))
        guard body.count > bytes else { return text }
        // A multi-byte character cut by the window decodes to U+FFFD.
        while text.unicodeScalars.last == "\u{FFFD}" { text.unicodeScalars.removeLast() }
        var cut = 0
        for secret in secrets {
            for k in stride(from: min(secret.count - 1, text.count), through: max(cut + 1, 1), by: -1)
            where text.hasSuffix(secret.prefix(k)) {
                cut = k
                break
            }
        }
        return String(text.dropLast(cut))
    }
}

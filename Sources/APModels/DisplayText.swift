/// Text from the API made fit for a person or a log line: one line, no character that can
/// drive a terminal or reorder what is shown, and bounded in length.
///
/// Ids, cursors, error codes and messages come from a server the job does not control. Raw,
/// an ESC sequence in an id can clear or rewrite the operator's terminal, a newline can forge
/// a log line, and a bidi override (U+202E) can make `po_1‮2.05` read as something else. Every
/// place that puts such text into an error goes through `sanitize(_:limit:)`.
public enum DisplayText {
    /// Limits, in characters, for the kinds of API text an error quotes. An id or a cursor is
    /// never longer than a few dozen characters in the real API; 100 keeps any real one whole
    /// while a 10 kB "id" cannot flood a terminal, a log line or the webhook headline.
    public static let identifierLimit = 100
    /// An API error code (`invalid_request`).
    public static let codeLimit = 80
    /// An API error message or an excerpt of a body: enough for a sentence or an HTML title.
    public static let messageLimit = 200

    /// Whether `scalar` must not reach a terminal or a log as it is: C0 controls (TAB, CR and
    /// LF included), DEL, C1 controls, and the Unicode bidi controls — embeddings and
    /// overrides U+202A–U+202E, isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C.
    @inline(__always)
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// `text` on one line: each run of whitespace, unsafe characters and U+FFFD (what bytes
    /// that are not UTF-8 decode to) becomes one space (none at either end), so nothing is
    /// joined that was apart and nothing invisible is kept; then, when longer than `limit` characters, cut to `limit - 1` and ended with `…`.
    ///
    /// Replacing rather than deleting matters for redaction: deleting a control character
    /// could join two harmless halves into a secret after the secret was scrubbed.
    /// Idempotent: sanitising sanitised text (with the same or a larger limit) changes nothing.
    public static func sanitize(_ text: some StringProtocol, limit: Int) -> String {
        let limit = max(limit, 1)
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var scalars = 0
        var stoppedEarly = false
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) || scalar.properties.isWhitespace || scalar == "\u{FFFD}" {
                pendingSpace = !out.isEmpty
                continue
            }
            // Stopping after a few scalars per character of the limit bounds the work for a
            // 10 MB "id"; the cut below counts characters.
            if scalars > 4 * limit + 4 {
                stoppedEarly = true
                break
            }
            if pendingSpace {
                out.append(" ")
                scalars += 1
                pendingSpace = false
            }
            out.append(scalar)
            scalars += 1
        }
        let result = String(out)
        // Characters (grapheme clusters), not scalars, decide the length a person sees. When
        // the loop stopped early its last character may be incomplete, so it goes too.
        let count = result.count
        guard stoppedEarly || count > limit else { return result }
        return String(result.prefix(min(stoppedEarly ? count - 1 : count, limit - 1))) + "…"
    }
}

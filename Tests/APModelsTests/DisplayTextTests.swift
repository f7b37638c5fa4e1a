import APModels
import Foundation
import Testing

@Suite struct DisplayTextTests {
    /// Every scalar the sanitiser must never let through.
    static let unsafeScalars: [Unicode.Scalar] = (0x00...0x1F).map { Unicode.Scalar($0)! } + [Unicode.Scalar(0x7F)!]
        + (0x80...0x9F).map { Unicode.Scalar($0)! }
        + [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C].map { Unicode.Scalar($0)! }

    static func isClean(_ text: String) -> Bool {
        !text.unicodeScalars.contains { unsafeScalars.contains($0) }
    }

    @Test(arguments: [
        // ESC sequences: clear screen, set a colour, OSC 8 hyperlink, a title change ended by BEL.
        ("po_1\u{1B}[2J\u{1B}[H", "po_1 [2J [H"),
        ("\u{1B}[31mred\u{1B}[0m", "[31mred [0m"),
        ("\u{1B}]8;;https://evil\u{07}click\u{1B}]8;;\u{07}", "]8;;https://evil click ]8;;"),
        // A forged log line.
        ("inv_1\nERROR all payouts reconciled", "inv_1 ERROR all payouts reconciled"),
        // Bidi override and isolates: "po_1‮50.2" would show reversed.
        ("po_1\u{202E}50.2", "po_1 50.2"),
        ("\u{2066}a\u{2069}\u{2067}b\u{2068}", "a b"),
        ("x\u{200E}y\u{200F}z\u{061C}w", "x y z w"),
        // C1 (CSI as one character) and DEL.
        ("a\u{9B}31mb\u{7F}c", "a 31mb c"),
        // Tabs, CR and runs of spaces collapse; nothing at either end.
        ("  a\t\r\n  b  ", "a b"),
        ("", ""),
        ("日本語 café", "日本語 café"),
    ])
    func hostileTextBecomesOneSafeLine(_ input: String, _ expected: String) {
        let out = DisplayText.sanitize(input, limit: 100)
        #expect(out == expected)
        #expect(Self.isClean(out))
    }

    @Test func everyUnsafeScalarIsRecognised() {
        for scalar in Self.unsafeScalars { #expect(DisplayText.isUnsafe(scalar), "U+\(String(scalar.value, radix: 16))") }
        for scalar in ["a", " ", "é", "\u{A0}", "\u{2029}", "\u{202F}", "\u{2065}", "\u{206A}"] as [Unicode.Scalar] {
            #expect(!DisplayText.isUnsafe(scalar), "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func aTenKilobyteIDIsCutToTheLimit() {
        let id = "po_" + String(repeating: "A", count: 10_000)
        let out = DisplayText.sanitize(id, limit: DisplayText.identifierLimit)
        #expect(out == "po_" + String(repeating: "A", count: 96) + "…")
        #expect(out.count == 100)
        // Exactly at the limit: kept whole.
        let hundred = String(repeating: "b", count: 100)
        #expect(DisplayText.sanitize(hundred, limit: 100) == hundred)
        #expect(DisplayText.sanitize(hundred + "c", limit: 100) == String(repeating: "b", count: 99) + "…")
    }

    @Test func theCutCountsCharactersNotScalars() {
        // 150 characters of two scalars each (e + combining acute): cut at 99 characters, each whole.
        let text = String(repeating: "e\u{301}", count: 150)
        let out = DisplayText.sanitize(text, limit: 100)
        #expect(out == String(repeating: "e\u{301}", count: 99) + "…")
        // Characters of many scalars each: the work stops early, and the cut still ends with "…".
        let zalgo = String(repeating: "a" + String(repeating: "\u{301}", count: 30), count: 100)
        let cut = DisplayText.sanitize(zalgo, limit: 100)
        #expect(cut.hasSuffix("…"))
        #expect(cut.count < 100)
    }

    @Test func sanitisingIsIdempotent() {
        for input in ["a\u{1B}[2Jb", String(repeating: "x", count: 500), " a  b ", "\u{202E}x"] {
            let once = DisplayText.sanitize(input, limit: 80)
            #expect(DisplayText.sanitize(once, limit: 80) == once)
            #expect(DisplayText.sanitize(once, limit: 200) == once)
        }
    }

    @Test func recordErrorsAreSanitisedWhereTheyAreMade() {
        let e = RecordError(field: "line_items[0].\u{1B}[2Jx", problem: "\"\u{202E}abc\" is\nbad")
        #expect(e.field == "line_items[0]. [2Jx")
        #expect(e.problem == "\" abc\" is bad")
        #expect(e.description == "field \"line_items[0]. [2Jx\": \" abc\" is bad")
        let long = RecordError(field: String(repeating: "f", count: 10_000), problem: String(repeating: "p", count: 10_000))
        #expect(long.field.count == 100)
        #expect(long.problem.count == 300)
    }

    @Test func aHostileCurrencyValueIsQuotedSafely() throws {
        let json = #"{"id":"p","status":"succeeded","amount":1,"currency":"\u001b[2J\u202eUSD","created_at":"2024-01-10T15:00:00Z"}"#
        do {
            _ = try JSONDecoder().decode(Payout.self, from: Data(json.utf8))
            Issue.record("expected a RecordError")
        } catch let error as RecordError {
            #expect(error.description == #"field "currency": " [2J USD" is not an ISO 4217 currency code, so the amount's minor unit is unknown"#)
        }
    }
}

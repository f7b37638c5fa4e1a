import ReportSchemaCheck
import Testing
@testable import Reports

@Suite struct JSONWriterTests {
    @Test func escapesQuotesBackslashesAndControlCharactersAndKeepsUnicode() {
        let input = "a\"b\\c/\n\r\t\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}é日本語😀"
        let expected = #""a\"b\\c/\n\r\t\b\f\u0000\u0001\u001f"# + "\u{7F}é日本語😀\""
        #expect(text(JSONWriter.quoted(input)) == expected)
        // Non-ASCII is written as its own UTF-8 bytes, not as \u escapes.
        #expect(JSONWriter.quoted("é") == [0x22, 0xC3, 0xA9, 0x22])
    }

    @Test func writesFixedOrderTwoSpaceIndentAndFinalNewline() {
        let value = ReportJSON.object([
            ("b", .int(-1)),
            ("a", .array([])),
            ("c", .object([])),
            ("d", .array([.null, .bool(true), .bool(false), .string("x")])),
            ("e", .object([("z", .int(Int64.min)), ("y", .int(Int64.max))])),
        ])
        let expected = """
        {
          "b": -1,
          "a": [],
          "c": {},
          "d": [
            null,
            true,
            false,
            "x"
          ],
          "e": {
            "z": -9223372036854775808,
            "y": 9223372036854775807
          }
        }

        """
        #expect(text(JSONWriter.render(value)) == expected)
    }

    @Test func aScalarDocumentEndsWithANewline() {
        #expect(JSONWriter.render(.null) == Array("null\n".utf8))
        #expect(JSONWriter.render(.string(nil)) == Array("null\n".utf8))
        #expect(JSONWriter.render(.int(nil)) == Array("null\n".utf8))
    }

    @Test func countsAreSortedByTheBytesOfTheirKeys() {
        // Insertion order and capacity change a Dictionary's iteration order; the output must not change.
        var one: [String: Int] = [:]
        for (k, v) in [("b", 1), ("é", 4), ("a", 2), ("B", 3)] { one[k] = v }
        var two: [String: Int] = [:]
        two.reserveCapacity(64)
        for (k, v) in [("B", 3), ("a", 2), ("é", 4), ("b", 1)] { two[k] = v }
        let expected = """
        {
          "B": 3,
          "a": 2,
          "b": 1,
          "é": 4
        }

        """
        #expect(text(JSONWriter.render(.counts(one))) == expected)
        #expect(JSONWriter.render(.counts(two)) == JSONWriter.render(.counts(one)))
    }

    @Test(arguments: [
        "plain", "", "日本語", "é", "e\u{301}", "😀👍🏽", "\u{2028}\u{2029}", "tab\there", "nul\u{0}byte",
        "\u{1}\u{1F}\u{7F}", "quote\"back\\slash/", "\r\n", "=1+1", "\u{FEFF}bom", "Ω≈ç√∫",
    ])
    func unicodeRoundTripsThroughAnIndependentDecoder(_ original: String) throws {
        let bytes = JSONWriter.render(.object([("k", .string(original)), (original, .int(1))]))
        let node = try JSONNode.parse(bytes)
        guard case .string(let decoded)? = node["k"] else {
            Issue.record("no string under k in \(text(bytes))")
            return
        }
        // Compare bytes, not String ==, which treats canonically equivalent text as equal.
        #expect(Array(decoded.utf8) == Array(original.utf8))
        #expect(node[original] == .int(1))
    }
}

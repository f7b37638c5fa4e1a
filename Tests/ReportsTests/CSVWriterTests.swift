import APModels
import Testing
@testable import Reports

@Suite struct CSVWriterTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", #""a,b""#),
        (#"say "hi""#, #""say ""hi""""#),
        ("line1\nline2", "\"line1\nline2\""),
        ("line1\r\nline2", "\"line1\r\nline2\""),
        ("cr\ronly", "\"cr\ronly\""),
        ("日本語", "日本語"),
        ("café, s'il vous plaît", "\"café, s'il vous plaît\""),
        (" leading space", " leading space"),
        ("a=1", "a=1"),
    ])
    func quotesOnlyWhatRFC4180Requires(_ input: String, _ expected: String) {
        #expect(CSVWriter.encode(.text(input)) == expected)
    }

    /// OWASP CSV injection: text starting with = + - @ TAB or CR gets a leading quote mark.
    @Test(arguments: [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("\r=x", "\"'\r=x\""),
        ("=1,2", "\"'=1,2\""),
        (#"=HYPERLINK("x")"#, #""'=HYPERLINK(""x"")""#),
        ("-12.50", "'-12.50"),
    ])
    func defusesFormulasInText(_ input: String, _ expected: String) {
        #expect(CSVWriter.encode(.text(input)) == expected)
    }

    @Test func ourNumbersAreNeverPrefixed() {
        #expect(CSVWriter.encode(.number("-12.50")) == "-12.50")
        #expect(CSVWriter.encode(.integer(Int64(-1250))) == "-1250")
        #expect(CSVWriter.encode(.decimal(-1250, usd)) == "-12.50")
        #expect(CSVWriter.encode(.integer(nil)) == "")
    }

    @Test(arguments: [
        (Int64(150_000), "USD", "1500.00"),
        (Int64(1500), "JPY", "1500"),
        (Int64(-1500), "JPY", "-1500"),
        (Int64(1500), "BHD", "1.500"),
        (Int64(-5), "BHD", "-0.005"),
        (Int64(0), "USD", "0.00"),
        (Int64.min, "USD", "-92233720368547758.08"),
    ])
    func decimalsUseTheCurrencysExponent(_ minor: Int64, _ code: String, _ expected: String) throws {
        let currency = try #require(Currency(code: code))
        #expect(CSVWriter.encode(.decimal(minor, currency)) == expected)
    }

    @Test func unknownAmountsAndCurrenciesAreEmpty() {
        #expect(CSVWriter.encode(.decimal(nil, usd)) == "")
        #expect(CSVWriter.encode(.decimal(100, nil)) == "")
    }

    @Test func listsJoinWithSemicolonsAndAreDefusedAsOneCell() {
        #expect(CSVWriter.encode(.list([])) == "")
        #expect(CSVWriter.encode(.list(["inv_1"])) == "inv_1")
        #expect(CSVWriter.encode(.list(["inv_1", "inv_2"])) == #""inv_1;inv_2""#)
        #expect(CSVWriter.encode(.list(["=a", "b,c"])) == #""'=a;b,c""#)
    }

    /// A semicolon is the list separator of spreadsheets in many locales: quoted, the cell stays one.
    @Test(arguments: [
        ("a;b", #""a;b""#),
        (";", #"";""#),
        ("=1;2", #""'=1;2""#),
        (#"x;"y""#, #""x;""y""""#),
    ])
    func semicolonsAreQuoted(_ input: String, _ expected: String) {
        #expect(CSVWriter.encode(.text(input)) == expected)
        #expect(CSVWriter.render(header: ["c"], rows: [[.text(input)]]) == Array("c\r\n\(expected)\r\n".utf8))
    }

    /// Controls (but TAB, CR, LF) and bidi controls in text become U+FFFD (bytes EF BF BD);
    /// numbers are ours and untouched.
    @Test(arguments: [
        ("po_1\u{1B}[2J", "po_1\u{FFFD}[2J"),
        ("a\u{0}b\u{7F}c\u{9B}d", "a\u{FFFD}b\u{FFFD}c\u{FFFD}d"),
        ("inv\u{202E}1.05", "inv\u{FFFD}1.05"),
        ("\u{2066}x\u{2069}\u{2067}\u{2068}", "\u{FFFD}x\u{FFFD}\u{FFFD}\u{FFFD}"),
        ("\u{200E}\u{200F}\u{061C}", "\u{FFFD}\u{FFFD}\u{FFFD}"),
        // A control before a formula character: neutralised, then nothing to defuse.
        ("\u{7}=1+1", "\u{FFFD}=1+1"),
        // TAB, CR and LF are data (quoted where RFC 4180 requires); a leading TAB is still defused.
        ("a\tb", "a\tb"),
        ("\tx", "'\tx"),
        ("a\r\nb", "\"a\r\nb\""),
        // A bidi control with a comma: neutralised and quoted.
        ("\u{202E},x", "\"\u{FFFD},x\""),
        ("日本語 – ok", "日本語 – ok"),
    ])
    func controlAndBidiCharactersAreNeutralised(_ input: String, _ expected: String) {
        #expect(CSVWriter.encode(.text(input)) == expected)
        // The byte writer the large files use writes the same bytes.
        #expect(CSVWriter.render(header: ["c"], rows: [[.text(input)]]) == Array("c\r\n\(expected)\r\n".utf8))
        var row = CSVRowWriter()
        var bytes: [UInt8] = []
        row.text(input, into: &bytes)
        #expect(bytes == Array(expected.utf8))
    }

    @Test func theExactBytesOfANeutralisedCell() {
        #expect(CSVWriter.render(header: ["id"], rows: [[.text("a\u{202E}b")]])
            == [0x69, 0x64, 0x0D, 0x0A, 0x61, 0xEF, 0xBF, 0xBD, 0x62, 0x0D, 0x0A])
        // Our numbers and the header are never rewritten.
        #expect(CSVWriter.encode(.number("-1.50")) == "-1.50")
    }

    @Test func rendersHeaderAndRowsWithCRLFAfterEveryRow() {
        let bytes = CSVWriter.render(header: ["id", "amount_minor", "amount", "note"], rows: [
            [.text("=x"), .integer(Int64(-1250)), .decimal(-1250, usd), .text("two\nlines")],
            [.empty, .integer(0), .decimal(0, jpy), .text("é")],
        ])
        let expected = "id,amount_minor,amount,note\r\n'=x,-1250,-12.50,\"two\nlines\"\r\n,0,0,é\r\n"
        #expect(bytes == Array(expected.utf8))
        // No byte-order mark.
        #expect(bytes.prefix(3) != [0xEF, 0xBB, 0xBF])
    }

    @Test func headerOnlyWhenThereAreNoRows() {
        #expect(CSVWriter.render(header: ["a", "b"], rows: []) == Array("a,b\r\n".utf8))
    }
}

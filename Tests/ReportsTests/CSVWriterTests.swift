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
        #expect(CSVWriter.encode(.list(["inv_1", "inv_2"])) == "inv_1;inv_2")
        #expect(CSVWriter.encode(.list(["=a", "b,c"])) == #""'=a;b,c""#)
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

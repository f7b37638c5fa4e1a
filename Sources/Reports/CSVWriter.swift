/// RFC 4180 writer: a header row, CRLF after every row (the last included), a field quoted
/// when it contains a comma, a quote, CR or LF, with quotes doubled. UTF-8 without a BOM.
public enum CSVWriter {
    public static func render(header: [String], rows: [[CSVField]]) -> [UInt8] {
        var out: [UInt8] = []
        writeRow(header.map(CSVField.text), into: &out)
        for row in rows { writeRow(row, into: &out) }
        return out
    }

    /// The cell as it appears in the file: defused when it is text, then quoted when needed.
    public static func encode(_ field: CSVField) -> String {
        switch field {
        case .empty: return ""
        case .number(let s): return quotedIfNeeded(s)
        case .text(let s): return quotedIfNeeded(defused(s))
        }
    }

    /// `s` with a leading `'` when a spreadsheet would read it as a formula.
    public static func defused(_ s: String) -> String {
        guard let first = s.utf8.first else { return s }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + s
        default:
            return s
        }
    }

    static func quotedIfNeeded(_ s: String) -> String {
        let needsQuotes = s.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0D || byte == 0x0A
        }
        guard needsQuotes else { return s }
        var out = "\""
        for ch in s.unicodeScalars {
            if ch == "\"" { out.unicodeScalars.append("\"") }
            out.unicodeScalars.append(ch)
        }
        out.unicodeScalars.append("\"")
        return out
    }

    private static func writeRow(_ fields: [CSVField], into out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: encode(field).utf8)
        }
        out.append(0x0D)
        out.append(0x0A)
    }
}

import APModels

/// RFC 4180 writer: a header row, CRLF after every row (the last included), a field quoted
/// when it contains a comma, a semicolon, a quote, CR or LF, with quotes doubled. UTF-8
/// without a BOM. A semicolon is quoted too because spreadsheets in many locales (German,
/// French, Dutch…) take it as the list separator when they open a CSV: unquoted, `a;b`
/// would become two columns there.
///
/// Text cells are neutralised before anything else: every control character except TAB, CR
/// and LF (C0, DEL, C1) and every Unicode bidi control (U+202A–U+202E, U+2066–U+2069, U+200E,
/// U+200F, U+061C) becomes U+FFFD, so API text cannot move the cursor of a terminal that shows
/// the file, nor reorder what a spreadsheet displays (an amount or id written right to left).
/// TAB, CR and LF stay: quoted, they are plain data in RFC 4180, and a leading TAB or CR is
/// defused like a formula.
public enum CSVWriter {
    public static func render(header: [String], rows: [[CSVField]]) -> [UInt8] {
        var buffer = CSVBuffer(header: header)
        for row in rows { buffer.append(row) }
        return buffer.bytes
    }

    /// The cell as it appears in the file: neutralised and defused when it is text, then
    /// quoted when needed.
    public static func encode(_ field: CSVField) -> String {
        switch field {
        case .empty: return ""
        case .number(let s): return quotedIfNeeded(s)
        case .text(let s): return quotedIfNeeded(defused(neutralised(s)))
        }
    }

    /// `s` with every control character but TAB, CR and LF, and every bidi control, replaced
    /// by U+FFFD (visible, and says a character was there).
    public static func neutralised(_ s: String) -> String {
        guard s.utf8.contains(where: mayStartUnsafe) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            out.append(isNeutralised(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(out)
    }

    @inline(__always)
    static func isNeutralised(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\r", "\n": false
        default: DisplayText.isUnsafe(scalar)
        }
    }

    /// A byte that can begin the UTF-8 of a character `neutralised` replaces: a C0 control or
    /// DEL, or the lead byte of C1 (C2), U+061C (D8) or the bidi controls (E2). False for
    /// every byte of plain ASCII text, so the million-row files pay one comparison per byte.
    @inline(__always)
    static func mayStartUnsafe(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2
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

    @inline(__always)
    static func forcesQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"") || byte == 0x0D || byte == 0x0A
    }

    static func quotedIfNeeded(_ s: String) -> String {
        let needsQuotes = s.utf8.contains(where: forcesQuotes)
        guard needsQuotes else { return s }
        var out = "\""
        for ch in s.unicodeScalars {
            if ch == "\"" { out.unicodeScalars.append("\"") }
            out.unicodeScalars.append(ch)
        }
        out.unicodeScalars.append("\"")
        return out
    }

    static func writeRow(_ fields: [CSVField], into out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            write(field, into: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }

    /// `encode(field)`'s bytes, appended without building the intermediate strings.
    static func write(_ field: CSVField, into out: inout [UInt8]) {
        switch field {
        case .empty:
            return
        case .number(let s):
            writeQuotedIfNeeded(s, defuse: false, into: &out)
        case .text(let s):
            writeQuotedIfNeeded(s, defuse: true, into: &out)
        }
    }

    /// `defuse`: the cell is text, so it is neutralised and defused first.
    static func writeQuotedIfNeeded(_ s: String, defuse: Bool, into out: inout [UInt8]) {
        var s = s
        if defuse, s.utf8.contains(where: mayStartUnsafe) { s = neutralised(s) }
        s.withUTF8 { bytes in
            var needsPrefix = false
            if defuse, let first = bytes.first {
                switch first {
                case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: needsPrefix = true
                default: break
                }
            }
            let needsQuotes = bytes.contains(where: forcesQuotes)
            if needsQuotes { out.append(UInt8(ascii: "\"")) }
            if needsPrefix { out.append(UInt8(ascii: "'")) }
            if needsQuotes {
                // A quote is one byte in UTF-8 and never part of a multi-byte sequence: doubling bytes
                // doubles exactly the quote characters.
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: bytes)
            }
        }
    }
}

/// One CSV row written cell by cell straight into the bytes: what `CSVWriter.writeRow` writes for
/// the equivalent `[CSVField]` (each method is named after the `CSVField` it stands for), without
/// an array per row and a `String` per number. The million-row files use it.
struct CSVRowWriter {
    private var cells = 0

    @inline(__always)
    private mutating func separate(_ out: inout [UInt8]) {
        if cells > 0 { out.append(UInt8(ascii: ",")) }
        cells += 1
    }

    /// `CSVField.text(value)`.
    mutating func text(_ value: String?, into out: inout [UInt8]) {
        separate(&out)
        if let value { CSVWriter.writeQuotedIfNeeded(value, defuse: true, into: &out) }
    }

    /// `CSVField.integer(value)`.
    mutating func integer(_ value: Int64?, into out: inout [UInt8]) {
        separate(&out)
        if let value { ByteFormat.integer(value, into: &out) }
    }

    mutating func integer(_ value: Int, into out: inout [UInt8]) {
        integer(Int64(value), into: &out)
    }

    /// `CSVField.decimal(minor, currency)`.
    mutating func decimal(_ minor: Int64?, _ currency: Currency?, into out: inout [UInt8]) {
        separate(&out)
        if let minor, let currency { ByteFormat.decimal(minor, exponent: currency.exponent, into: &out) }
    }

    /// `CSVField.bool(value)`.
    mutating func bool(_ value: Bool, into out: inout [UInt8]) {
        separate(&out)
        ByteFormat.literal(value ? "true" : "false", into: &out)
    }

    /// `CSVField.list(values)`: joined only when there are several.
    mutating func list(_ values: [String], into out: inout [UInt8]) {
        separate(&out)
        switch values.count {
        case 0: break
        case 1: CSVWriter.writeQuotedIfNeeded(values[0], defuse: true, into: &out)
        default: CSVWriter.writeQuotedIfNeeded(values.joined(separator: ";"), defuse: true, into: &out)
        }
    }

    /// Any other cell.
    mutating func field(_ field: CSVField, into out: inout [UInt8]) {
        separate(&out)
        CSVWriter.write(field, into: &out)
    }

    /// The row's CRLF.
    func end(into out: inout [UInt8]) {
        out.append(0x0D)
        out.append(0x0A)
    }
}

extension ReportOutput {
    /// A CSV file's header row.
    mutating func csvHeader(_ header: [String]) {
        CSVWriter.writeRow(header.map(CSVField.text), into: &bytes)
    }

    /// One data row, its cells written by `cells`; the bytes go to the sink as they fill a chunk.
    @inline(__always)
    mutating func csvRow(_ cells: (inout CSVRowWriter, inout [UInt8]) -> Void) throws {
        var row = CSVRowWriter()
        cells(&row, &bytes)
        row.end(into: &bytes)
        try flushIfFull()
    }
}

/// A CSV file built row by row, so a million-row report never holds its rows as `[[CSVField]]`
/// besides its bytes. Same bytes as `CSVWriter.render(header:rows:)`.
struct CSVBuffer {
    private(set) var bytes: [UInt8] = []
    /// Data rows appended so far (the header is not one).
    private(set) var rowCount = 0

    /// `reserve`: expected size in bytes; reserved capacity that is never written costs no memory.
    init(header: [String], reserve: Int = 0) {
        bytes.reserveCapacity(reserve)
        CSVWriter.writeRow(header.map(CSVField.text), into: &bytes)
    }

    mutating func append(_ row: [CSVField]) {
        CSVWriter.writeRow(row, into: &bytes)
        rowCount += 1
    }
}

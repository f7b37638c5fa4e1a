/// Reads one statement file in whichever format its content is in. Never throws: whatever
/// cannot be read comes back as `BankUnreadable` items naming the file and position.
public enum BankStatementReader {
    /// The format the content is in; nil when it looks like none of them. CSV is assumed only
    /// when a mapping is given and the content is none of the other formats.
    public static func detect(_ bytes: [UInt8], csvMapping: CSVMapping? = nil) -> BankStatementFormat? {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let head = String(decoding: body.prefix(4096), as: UTF8.self)
        let trimmed = Substring(head).drop { $0.isWhitespace }
        if trimmed.hasPrefix("<") {
            if head.contains("camt.054.") || head.contains("BkToCstmrDbtCdtNtfctn") { return .camt054 }
            if head.contains("camt.053.") || head.contains("BkToCstmrStmt") { return .camt053 }
            return nil
        }
        if trimmed.hasPrefix("01,") { return .bai2 }
        if trimmed.hasPrefix("{1:") || trimmed.hasPrefix(":20:")
            || (head.contains("\n:20:") && (head.contains("\n:60F:") || head.contains("\n:25:"))) {
            return .mt940
        }
        return csvMapping == nil ? nil : .csv
    }

    /// Reads `bytes` as the content of `file` (the name entries and diagnostics show).
    public static func read(_ bytes: [UInt8], file: String, csvMapping: CSVMapping? = nil,
                            limits: XMLLimits = .standard) -> BankStatementFile {
        if bytes.count > limits.maxBytes {
            return BankStatementFile(file: file, format: nil, statements: [], unreadable: [
                BankUnreadable(file: file, position: 0, reason: "the file is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)"),
            ])
        }
        guard let format = detect(bytes, csvMapping: csvMapping) else {
            let hint = csvMapping == nil ? " (a CSV export needs a column mapping in the job file)" : ""
            return BankStatementFile(file: file, format: nil, statements: [], unreadable: [
                BankUnreadable(file: file, position: 0, reason: "the content is not camt.053, camt.054, BAI2 or MT940\(hint)"),
            ])
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let text = String(decoding: body, as: UTF8.self)
        switch format {
        case .camt053, .camt054: return CamtReader(file: file, limits: limits).read(bytes)
        case .bai2: return BAI2Reader(file: file).read(text)
        case .mt940: return MT940Reader(file: file).read(text)
        case .csv:
            // detect() answers .csv only with a mapping.
            guard let csvMapping else { return BankStatementFile(file: file, format: .csv, statements: [], unreadable: []) }
            return CSVStatementReader(file: file, mapping: csvMapping).read(text)
        }
    }
}

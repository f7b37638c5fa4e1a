import APModels

/// Reads a bank's CSV export through a `CSVMapping`: RFC 4180 quoting, a header row naming the
/// columns, one entry per following row. One statement per file, covering its rows' dates.
struct CSVStatementReader {
    let file: String
    let mapping: CSVMapping

    func read(_ text: String) -> BankStatementFile {
        func whole(_ reason: String) -> BankStatementFile {
            BankStatementFile(file: file, format: .csv, statements: [], unreadable: [BankUnreadable(file: file, position: 0, reason: reason)])
        }
        if let problem = mapping.problem { return whole(problem) }
        let delimiter = (mapping.delimiter ?? ",").first ?? ","
        let rows = Self.rows(text, delimiter: delimiter)
        guard let header = rows.first else { return whole("the file is empty; a header row naming the columns is expected") }
        let names = header.fields.map { $0.trimmingWhitespace() }
        var columns: [String: Int] = [:]
        for (i, n) in names.enumerated() where columns[n] == nil { columns[n] = i }
        let wanted = [mapping.date, mapping.valueDate, mapping.amount, mapping.debit, mapping.credit, mapping.currency,
                      mapping.id, mapping.reference, mapping.counterparty].compactMap { $0 } + (mapping.text ?? [])
        if let missing = wanted.first(where: { columns[$0] == nil }) {
            return whole("line \(header.line): the header has no column \"\(missing.prefix(40))\" named by the CSV mapping")
        }
        let pattern = DatePattern(mapping.dateFormat ?? "yyyy-MM-dd")
        var statement = BankStatement(file: file, format: .csv, accountID: mapping.account)
        var unreadable: [BankUnreadable] = []
        var position = 0
        for row in rows.dropFirst() where !row.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
            position += 1
            switch entry(row, columns: columns, pattern: pattern, position: position) {
            case .success(let e): statement.entries.append(e)
            case .failure(let reason): unreadable.append(BankUnreadable(file: file, position: position, reason: "line \(row.line): \(reason)"))
            }
        }
        statement.completeCoverage()
        return BankStatementFile(file: file, format: .csv, statements: [statement], unreadable: unreadable)
    }

    private func entry(_ row: Row, columns: [String: Int], pattern: DatePattern, position: Int) -> ReadOutcome<BankEntry> {
        func cell(_ name: String?) -> String? {
            guard let name, let i = columns[name], i < row.fields.count else { return nil }
            let v = row.fields[i].trimmingWhitespace()
            return v.isEmpty ? nil : v
        }
        guard let dateText = cell(mapping.date), let date = pattern.parse(dateText) else {
            return .failure("the date \"\(cell(mapping.date)?.prefix(20) ?? "")\" does not follow \(mapping.dateFormat ?? "yyyy-MM-dd")")
        }
        let valueDate = cell(mapping.valueDate).flatMap { pattern.parse($0) }
        guard let code = cell(mapping.currency) ?? mapping.fixedCurrency, let currency = Currency(code: code) else {
            return .failure("no valid currency code")
        }
        let decimal = (mapping.decimalSeparator ?? ".").first ?? "."
        let thousands = mapping.thousandsSeparator?.first
        func parse(_ text: String) -> ReadOutcome<Int64> {
            switch DecimalAmount.parse(text, exponent: currency.exponent, decimalSeparator: decimal, thousandsSeparator: thousands) {
            case .success(let v): .success(v)
            case .failure(let error): .failure("\(error) in \(currency.code)")
            }
        }
        let signed: Int64
        if let column = mapping.amount {
            guard let text = cell(column) else { return .failure("the amount is empty") }
            switch parse(text) {
            case .success(let v): signed = v
            case .failure(let reason): return .failure(reason)
            }
        } else {
            let debit = cell(mapping.debit)
            let credit = cell(mapping.credit)
            switch (debit, credit) {
            case (nil, nil): return .failure("both the debit and the credit column are empty")
            case (_?, _?): return .failure("both the debit and the credit column are filled")
            case (let d?, nil):
                switch parse(d) {
                case .success(let v): signed = v > 0 ? -v : v
                case .failure(let reason): return .failure(reason)
                }
            case (nil, let c?):
                switch parse(c) {
                case .success(let v): signed = v
                case .failure(let reason): return .failure(reason)
                }
            }
        }
        guard signed != Int64.min else { return .failure("the amount is out of range") }
        let text = (mapping.text ?? []).compactMap { cell($0) }.joined(separator: " ")
        return .success(BankEntry(statementFile: file, position: position, bankReference: cell(mapping.id),
                                  bookingDate: date, valueDate: valueDate, direction: signed < 0 ? .debit : .credit,
                                  amount: Money(minorUnits: Int64(signed.magnitude), currency: currency),
                                  reference: cell(mapping.reference), remittanceInformation: text,
                                  counterpartyName: cell(mapping.counterparty), accountID: mapping.account))
    }

    struct Row {
        var line: Int
        var fields: [String]
    }

    /// RFC 4180: quoted fields may hold the delimiter, `""` and line breaks.
    static func rows(_ text: String, delimiter: Character) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var chars = Substring(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        var atFieldStart = true
        while let c = chars.first {
            chars = chars.dropFirst()
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars = chars.dropFirst() } else { quoted = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            if c == "\"" && atFieldStart { quoted = true; atFieldStart = false; continue }
            if c == delimiter { fields.append(field); field = ""; atFieldStart = true; continue }
            if c == "\n" || c == "\r\n" || c == "\r" {
                fields.append(field)
                rows.append(Row(line: rowLine, fields: fields))
                fields = []
                field = ""
                atFieldStart = true
                line += 1
                rowLine = line
                continue
            }
            field.append(c)
            atFieldStart = false
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(Row(line: rowLine, fields: fields))
        }
        return rows
    }
}

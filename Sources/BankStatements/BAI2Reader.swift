import APModels

/// Reads BAI2 (Cash Management Balance Reporting Specification, version 2).
///
/// Records: 01 file header, 02 group header (as-of date, default currency), 03 account (number,
/// currency, summary amounts: 010 opening ledger, 015 closing ledger), 16 transaction detail,
/// 88 continuation, 49/98/99 trailers. Amounts carry no decimal point: they are already in the
/// currency's minor units. Type codes 100–399 are credits, 400–699 debits; 890–899 carry no money
/// and are skipped. A 16 record's text runs to the end of the record (commas included); a single
/// trailing `/` is dropped from it.
struct BAI2Reader {
    let file: String

    private struct Record {
        var line: Int
        var type: String
        var text: String
    }

    func read(_ text: String) -> BankStatementFile {
        var unreadable: [BankUnreadable] = []
        var statements: [BankStatement] = []
        var records: [Record] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            if line.trimmingWhitespace().isEmpty { continue }
            let type = String(line.prefix { $0 != "," })
            if type == "88", !records.isEmpty {
                let rest = line.dropFirst(type.count + 1)
                let last = records.count - 1
                records[last].text = Self.strip(records[last].text) + (records[last].type == "16" ? " " : ",") + rest
                continue
            }
            records.append(Record(line: offset + 1, type: type, text: line))
        }
        guard records.first?.type == "01" else {
            return BankStatementFile(file: file, format: .bai2, statements: [], unreadable: [
                BankUnreadable(file: file, position: 0, reason: "line 1: a BAI2 file starts with a 01 file header record"),
            ])
        }
        var groupDate: BankDate?
        var groupCurrency = Currency(code: "USD")
        var current: BankStatement?
        var currency: Currency?
        var position = 0
        func finish() {
            if var s = current {
                s.completeCoverage()
                statements.append(s)
            }
            current = nil
        }
        for record in records {
            let fields = Self.strip(record.text).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            switch record.type {
            case "01", "98", "99":
                if record.type != "01" { finish() }
            case "02":
                finish()
                groupDate = fields.count > 4 ? BankDate(yymmdd: fields[4]) : nil
                if groupDate == nil {
                    unreadable.append(BankUnreadable(file: file, position: 0, reason: "line \(record.line): the 02 group header has no readable as-of date (YYMMDD)"))
                }
                if fields.count > 6, !fields[6].isEmpty {
                    groupCurrency = Currency(code: fields[6])
                }
            case "03":
                finish()
                let account = fields.count > 1 ? fields[1] : ""
                currency = fields.count > 2 && !fields[2].isEmpty ? Currency(code: fields[2]) : groupCurrency
                var statement = BankStatement(file: file, format: .bai2, accountID: account,
                                              coverageFrom: groupDate, coverageTo: groupDate)
                if let currency {
                    var i = 3
                    while i + 1 < fields.count {
                        let code = fields[i]
                        let amountText = fields[i + 1]
                        let funds = i + 3 < fields.count ? fields[i + 3] : ""
                        if code == "010" || code == "015", !amountText.isEmpty {
                            switch DecimalAmount.parse(amountText, exponent: 0) {
                            case .success(let minor):
                                let balance = BankBalance(amount: Money(minorUnits: minor, currency: currency), date: groupDate)
                                if code == "010" { statement.opening = balance } else { statement.closing = balance }
                            case .failure(let error):
                                unreadable.append(BankUnreadable(file: file, position: 0, reason: "line \(record.line): summary \(code) of account \(account): \(error)"))
                            }
                        }
                        i += 4 + Self.extraFundsFields(funds, fields: fields, at: i + 3)
                    }
                } else {
                    unreadable.append(BankUnreadable(file: file, position: 0, reason: "line \(record.line): account \(account) has no valid currency code"))
                }
                current = statement
            case "16":
                position += 1
                switch entry(fields, line: record.line, position: position, date: groupDate, currency: currency,
                             account: current?.accountID, inAccount: current != nil) {
                case .success(let e?): current?.entries.append(e)
                case .success(nil): break
                case .failure(let reason): unreadable.append(BankUnreadable(file: file, position: position, reason: reason))
                }
            case "49":
                finish()
            default:
                unreadable.append(BankUnreadable(file: file, position: 0, reason: "line \(record.line): \"\(record.type.prefix(8))\" is not a BAI2 record type"))
            }
        }
        finish()
        return BankStatementFile(file: file, format: .bai2, statements: statements, unreadable: unreadable)
    }

    private func entry(_ fields: [String], line: Int, position: Int, date: BankDate?, currency: Currency?,
                       account: String?, inAccount: Bool) -> ReadOutcome<BankEntry?> {
        let at = "line \(line)"
        guard inAccount else { return .failure("\(at): a 16 transaction record outside an 03 account record") }
        guard let currency else { return .failure("\(at): the account has no valid currency") }
        guard let date else { return .failure("\(at): the group has no readable as-of date") }
        guard fields.count >= 4, let code = Int(fields[1]), fields[1].count == 3 else {
            return .failure("\(at): the 16 record has no three-digit type code")
        }
        let direction: BankDirection
        switch code {
        case 100...399: direction = .credit
        case 400...699: direction = .debit
        case 890...899: return ReadOutcome<BankEntry?>.success(nil)
        default: return .failure("\(at): type code \(fields[1]) is neither a credit (100–399) nor a debit (400–699)")
        }
        guard fields[2].allSatisfy(\.isASCIIDigit), case .success(let minor) = DecimalAmount.parse(fields[2], exponent: 0) else {
            return .failure("\(at): the amount \"\(fields[2].prefix(30))\" is not whole minor units")
        }
        var i = 3
        let funds = fields[i]
        var valueDate: BankDate?
        if funds == "V", fields.count > i + 1 { valueDate = BankDate(yymmdd: fields[i + 1]) }
        i += 1 + Self.extraFundsFields(funds, fields: fields, at: i)
        let bankReference = i < fields.count ? fields[i] : ""
        let customerReference = i + 1 < fields.count ? fields[i + 1] : ""
        let text = i + 2 < fields.count ? fields[(i + 2)...].joined(separator: ",") : ""
        return .success(BankEntry(statementFile: file, position: position, bankReference: bankReference,
                                  bookingDate: date, valueDate: valueDate, direction: direction,
                                  amount: Money(minorUnits: minor, currency: currency), reference: customerReference,
                                  remittanceInformation: text.collapsingWhitespace(), accountID: account))
    }

    /// How many fields follow a funds type: V has a date and a time, S three amounts, D a count
    /// and that many pairs; the others none.
    static func extraFundsFields(_ funds: String, fields: [String], at index: Int) -> Int {
        switch funds {
        case "V": return 2
        case "S": return 3
        case "D":
            guard index + 1 < fields.count, let n = Int(fields[index + 1]), n >= 0, n < 1000 else { return 1 }
            return 1 + 2 * n
        default: return 0
        }
    }

    /// A record without its terminating `/`.
    static func strip(_ s: String) -> String {
        let t = s.trimmingWhitespace()
        return t.hasSuffix("/") ? String(t.dropLast()) : t
    }
}

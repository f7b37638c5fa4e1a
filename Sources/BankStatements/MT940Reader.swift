import Foundation
import APModels

/// Reads SWIFT MT940 customer statements, with or without the `{1:…}{2:…}{4:` envelope.
///
/// Fields: `:20:` starts a statement, `:25:` account, `:28C:` statement number, `:60F:`/`:60M:`
/// opening balance (its currency is the entries'), `:61:` statement line, `:86:` the text of the
/// line before it, `:62F:`/`:62M:` closing balance. A `:61:` line is
/// `YYMMDD[MMDD](C|D|RC|RD)[funds code]amount(N|F|S)XXX customer-ref[//bank-ref]`; a reversal of a
/// credit (RC) is a debit and of a debit (RD) a credit. Structured `:86:` subfield markers
/// (`?20`, `?32`, …) are read as spaces, `?32`/`?33` as the counterparty.
struct MT940Reader {
    let file: String

    private struct Field {
        var tag: String
        var value: String
        var line: Int
    }

    func read(_ text: String) -> BankStatementFile {
        var unreadable: [BankUnreadable] = []
        var statements: [BankStatement] = []
        var messages: [[Field]] = []
        var fields: [Field] = []
        func closeMessage() {
            if !fields.isEmpty { messages.append(fields) }
            fields = []
        }
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            if let body = line.range(of: "{4:") {
                closeMessage()
                line = line[body.upperBound...]
            }
            let trimmed = String(line).trimmingWhitespace()
            if trimmed == "-}" || trimmed == "-" || trimmed.hasPrefix("-}") {
                closeMessage()
                continue
            }
            if trimmed.hasPrefix("{") && trimmed.hasSuffix("}") { continue } // a {5:…} trailer block
            if let tag = Self.tag(of: line) {
                if tag == "20", fields.contains(where: { $0.tag != "20" }) { closeMessage() }
                fields.append(Field(tag: tag, value: String(line.dropFirst(tag.count + 2)), line: offset + 1))
            } else if !fields.isEmpty {
                fields[fields.count - 1].value += "\n" + line
            } else if !trimmed.isEmpty {
                unreadable.append(BankUnreadable(file: file, position: 0, reason: "line \(offset + 1): text outside any MT940 field"))
            }
        }
        closeMessage()
        var position = 0
        for message in messages {
            var statement = BankStatement(file: file, format: .mt940)
            var lines: [(field: Field, info: String?)] = []
            for field in message {
                switch field.tag {
                case "20": statement.statementID = field.value.trimmingWhitespace()
                case "25": statement.accountID = field.value.trimmingWhitespace()
                case "28C", "28":
                    let number = field.value.trimmingWhitespace()
                    statement.statementID = [statement.statementID, number].compactMap { $0 }.joined(separator: "/")
                case "60F", "60M":
                    switch Self.balance(field.value) {
                    case .success(let b): statement.opening = b
                    case .failure(let reason): unreadable.append(BankUnreadable(file: file, position: 0, reason: "line \(field.line): opening balance: \(reason)"))
                    }
                case "62F", "62M":
                    switch Self.balance(field.value) {
                    case .success(let b): statement.closing = b
                    case .failure(let reason): unreadable.append(BankUnreadable(file: file, position: 0, reason: "line \(field.line): closing balance: \(reason)"))
                    }
                case "61": lines.append((field, nil))
                case "86":
                    if !lines.isEmpty, lines[lines.count - 1].info == nil { lines[lines.count - 1].info = field.value }
                default: break
                }
            }
            let currency = statement.opening?.amount.currency ?? statement.closing?.amount.currency
            for (field, info) in lines {
                position += 1
                switch entry(field, info: info, currency: currency, position: position, account: statement.accountID) {
                case .success(let e): statement.entries.append(e)
                case .failure(let reason): unreadable.append(BankUnreadable(file: file, position: position, reason: reason))
                }
            }
            statement.coverageTo = statement.closing?.date ?? statement.entries.map(\.bookingDate).max()
            statement.coverageFrom = (statement.entries.map(\.bookingDate) + [statement.coverageTo].compactMap { $0 }).min()
            statements.append(statement)
        }
        if messages.isEmpty {
            unreadable.append(BankUnreadable(file: file, position: 0, reason: "no MT940 statement (:20: … :62F:) found"))
        }
        return BankStatementFile(file: file, format: .mt940, statements: statements, unreadable: unreadable)
    }

    /// `:61:` with its `:86:`.
    private func entry(_ field: Field, info: String?, currency: Currency?, position: Int, account: String?) -> ReadOutcome<BankEntry> {
        let at = "line \(field.line)"
        guard let currency else { return .failure("\(at): the statement has no readable :60F: balance to give the currency") }
        let parts = field.value.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let chars = Array(parts[0])
        var i = 0
        func digits(_ n: Int) -> String? {
            guard i + n <= chars.count, chars[i..<(i + n)].allSatisfy(\.isASCIIDigit) else { return nil }
            defer { i += n }
            return String(chars[i..<(i + n)])
        }
        guard let valueText = digits(6), let valueDate = BankDate(yymmdd: valueText) else {
            return .failure("\(at): :61: does not start with a value date YYMMDD")
        }
        var bookingDate = valueDate
        if let mmdd = digits(4) {
            guard let m = Int(mmdd.prefix(2)), let d = Int(mmdd.suffix(2)) else { return .failure("\(at): bad entry date") }
            // The entry date has no year: take the value date's, across a year end when needed.
            var year = valueDate.year
            if valueDate.month == 12 && m == 1 { year += 1 }
            if valueDate.month == 1 && m == 12 { year -= 1 }
            guard let date = BankDate(year: year, month: m, day: d) else { return .failure("\(at): entry date \(mmdd) is not a date") }
            bookingDate = date
        }
        let direction: BankDirection
        let rest = String(chars[i...])
        if rest.hasPrefix("RC") { direction = .debit; i += 2 }
        else if rest.hasPrefix("RD") { direction = .credit; i += 2 }
        else if rest.hasPrefix("C") { direction = .credit; i += 1 }
        else if rest.hasPrefix("D") { direction = .debit; i += 1 }
        else { return .failure("\(at): :61: has no debit/credit mark (C, D, RC or RD) after the date") }
        if i < chars.count, chars[i].isLetter { i += 1 } // funds code
        let amountStart = i
        while i < chars.count, chars[i].isASCIIDigit || chars[i] == "," { i += 1 }
        let amountText = String(chars[amountStart..<i])
        guard case .success(let minor) = DecimalAmount.parse(amountText, exponent: currency.exponent, decimalSeparator: ",") else {
            return .failure("\(at): the amount \"\(amountText.prefix(20))\" is not a \(currency.code) amount (digits, decimal comma)")
        }
        guard i + 4 <= chars.count, "NFS".contains(chars[i]) else {
            return .failure("\(at): :61: has no transaction type (N, F or S and three characters) after the amount")
        }
        i += 4
        let references = String(chars[i...])
        let split = references.range(of: "//")
        let customer = split.map { String(references[..<$0.lowerBound]) } ?? references
        var bank = split.map { String(references[$0.upperBound...]) }?.trimmingWhitespace()
        if bank?.uppercased() == "NONREF" { bank = nil }
        let supplementary = parts.count > 1 ? String(parts[1]).collapsingWhitespace() : nil
        let (text, counterparty) = Self.information(info)
        let customerReference = customer.trimmingWhitespace().uppercased() == "NONREF" ? nil : customer
        return .success(BankEntry(statementFile: file, position: position, bankReference: bank,
                                  bookingDate: bookingDate, valueDate: valueDate, direction: direction,
                                  amount: Money(minorUnits: minor, currency: currency), reference: customerReference,
                                  remittanceInformation: text, additionalInformation: supplementary,
                                  counterpartyName: counterparty, accountID: account))
    }

    /// `:86:` as one line; structured subfields `?NN` read as spaces, `?32`/`?33` as the counterparty.
    static func information(_ raw: String?) -> (String?, String?) {
        guard let raw else { return (nil, nil) }
        let flat = raw.replacingLineBreaks()
        guard flat.contains("?") else { return (flat.collapsingWhitespace(), nil) }
        var text = ""
        var name = ""
        var chars = Array(flat)[...]
        var code = ""
        while let c = chars.first {
            if c == "?", chars.count >= 3, chars.dropFirst().prefix(2).allSatisfy(\.isASCIIDigit) {
                code = String(chars.dropFirst().prefix(2))
                chars = chars.dropFirst(3)
                text.append(" ")
                if code == "33" { name.append(" ") }
                continue
            }
            text.append(c)
            if code == "32" || code == "33" { name.append(c) }
            chars = chars.dropFirst()
        }
        let n = name.collapsingWhitespace()
        return (text.collapsingWhitespace(), n.isEmpty ? nil : n)
    }

    /// `C261103EUR1234,56`.
    static func balance(_ raw: String) -> ReadOutcome<BankBalance> {
        let text = raw.trimmingWhitespace()
        guard let mark = text.first, mark == "C" || mark == "D" else { return .failure("no C/D mark") }
        let rest = text.dropFirst()
        guard rest.count > 9, let date = BankDate(yymmdd: rest.prefix(6)) else { return .failure("no YYMMDD date") }
        guard let currency = Currency(code: String(rest.dropFirst(6).prefix(3))) else { return .failure("no currency code") }
        switch DecimalAmount.parse(rest.dropFirst(9), exponent: currency.exponent, decimalSeparator: ",") {
        case .success(let minor) where minor < 0:
            return .failure("the amount has a sign; the C/D mark gives it")
        case .success(let minor):
            return .success(BankBalance(amount: Money(minorUnits: mark == "D" ? -minor : minor, currency: currency), date: date))
        case .failure(let error):
            return .failure("\(error)")
        }
    }

    /// `:61:` → "61", `:60F:` → "60F"; nil for a line that starts no field.
    static func tag(of line: Substring) -> String? {
        guard line.first == ":" else { return nil }
        let body = line.dropFirst()
        guard let end = body.firstIndex(of: ":") else { return nil }
        let tag = body[..<end]
        guard (2...3).contains(tag.count), tag.prefix(2).allSatisfy(\.isASCIIDigit),
              tag.count == 2 || tag.last?.isLetter == true else { return nil }
        return String(tag)
    }
}

extension String {
    func replacingLineBreaks() -> String {
        String(map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}

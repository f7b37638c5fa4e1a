import APModels
import BankStatements
import Foundation

/// Bank statements for a dataset's payouts, in every format the job reads, with the faults a
/// finance team meets in practice. Pure: the same dataset gives the same bytes.
///
/// Each currency of the payouts gets an account. The payouts that must arrive (succeeded or
/// paid, positive amount) are credited one business day after their creation, alternately with
/// the payout id in the remittance text and without it (matched by amount). In the currency
/// with the most payouts, in order of creation:
/// - the 2nd never arrives (PAYOUT_NOT_IN_BANK);
/// - the 3rd arrives less a wire fee (PAYOUT_BANK_AMOUNT_MISMATCH);
/// - the 4th and 5th arrive as one credit without a reference (matched as a batch) when the
///   later one's credit day is inside the earlier one's window;
/// - a provider credit of unknown origin (BANK_CREDIT_UNMATCHED), a customer's transfer (not
///   from the provider) and a bank charge (a debit) are booked too; the customer's transfer is
///   the MT940 `NONREF` line (no bank reference: its id is `FILE#N`).
/// The business days are split into three statements; an extra file covers the last day of
/// the first and the first day of the second again (entries counted once), and the third
/// statement opens 100 units above the second one's close (BANK_STATEMENT_GAP, where the
/// format states balances: camt.053, BAI2, MT940).
public enum BankStatementGenerator {
    /// One file to write: a path relative to the output folder, and its text.
    public struct File: Sendable, Hashable {
        public var path: String
        public var contents: String
    }

    /// What was planted, for tests and for the command's summary.
    public struct Faults: Sendable, Hashable {
        public var missingPayoutID: String?
        public var feePayoutID: String?
        /// Minor units the bank deducted from `feePayoutID`'s credit.
        public var fee: Int64?
        public var batchedPayoutIDs: [String]
        /// Bank reference of the provider credit no payout explains.
        public var unknownCreditReference: String?
        /// Description of the MT940 line without a reference.
        public var nonrefText: String?
        /// Per format folder: the file that opens above the previous close (no file for
        /// camt.054 and CSV, which state no balances).
        public var brokenChainStatement: String?
        public var overlapStatement: String?
    }

    public struct Output: Sendable, Hashable {
        public var files: [File]
        public var faults: Faults
        /// The mapping of the CSV files, as the job file's `bank_statements` will carry it.
        public var csvMapping: CSVMapping
    }

    public static let accountPrefix = "SBX"
    public static let csvMapping = CSVMapping(
        date: "Booking Date", valueDate: "Value Date", amount: "Amount", currency: "Currency", id: "Bank Reference",
        reference: "Reference", text: ["Description"], counterparty: "Counterparty",
        decimalSeparator: ".", thousandsSeparator: ",", dateFormat: "dd/MM/yyyy")

    public static func generate(dataset: SandboxDataset) -> Output {
        generate(payouts: dataset.payouts.compactMap(PayoutFacts.init))
    }

    struct PayoutFacts {
        var id: String
        var mustArrive: Bool
        var amount: Money
        var created: Timestamp

        init?(_ o: JSONObject) {
            guard let id = o.id, let minor = o["amount"]?.minorUnits, let code = o.string("currency"),
                  let currency = Currency(code: code), let createdText = o.string("created_at"),
                  let created = Timestamp.parse(createdText) else { return nil }
            self.id = id
            self.amount = Money(minorUnits: minor, currency: currency)
            self.created = created
            let status = PayoutStatus(o.string("status") ?? "")
            self.mustArrive = status == .succeeded && minor > 0
        }
    }

    /// A booked line before it is written in a format.
    struct Line {
        var date: BankDate
        var direction: BankDirection
        var amount: Money
        var bankReference: String
        var reference: String?
        var text: String
        var counterparty: String
        /// Written without a bank reference in MT940.
        var nonref = false
    }

    static func generate(payouts all: [PayoutFacts]) -> Output {
        let payouts = all.filter(\.mustArrive).sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        var byCurrency: [Currency: [PayoutFacts]] = [:]
        for p in payouts { byCurrency[p.amount.currency, default: []].append(p) }
        let currencies = byCurrency.keys.sorted()
        var faults = Faults(batchedPayoutIDs: [])
        guard let main = currencies.max(by: { (byCurrency[$0]?.count ?? 0, $1.code) < (byCurrency[$1]?.count ?? 0, $0.code) }),
              let first = payouts.first else {
            return Output(files: [], faults: faults, csvMapping: csvMapping)
        }
        var lines: [Currency: [Line]] = [:]
        var lastDay = BankDate(utcDayOf: first.created)
        func credit(_ p: PayoutFacts) -> BankDate { BankDate(utcDayOf: p.created).adding(businessDays: 1) }
        func scaled(_ major: Int64, _ c: Currency) -> Int64 {
            var v = major
            for _ in 0..<c.exponent { v *= 10 }
            return v
        }
        for c in currencies {
            let group = byCurrency[c] ?? []
            var i = 0
            var n = 0
            while i < group.count {
                let p = group[i]
                n += 1
                let day = credit(p)
                if c == main && i == 1 {
                    faults.missingPayoutID = p.id
                    lastDay = max(lastDay, BankDate(utcDayOf: p.created).adding(businessDays: 3))
                    i += 1
                    continue
                }
                if c == main && i == 3 && i + 1 < group.count {
                    let q = group[i + 1]
                    let batchDay = credit(q)
                    if batchDay <= BankDate(utcDayOf: p.created).adding(businessDays: 3) {
                        faults.batchedPayoutIDs = [p.id, q.id]
                        lines[c, default: []].append(Line(date: batchDay, direction: .credit,
                            amount: Money(minorUnits: p.amount.minorUnits + q.amount.minorUnits, currency: c),
                            bankReference: "", text: "ALTERNATIVE PAYMENTS SETTLEMENT BATCH", counterparty: "Alternative Payments Inc."))
                        lastDay = max(lastDay, batchDay)
                        i += 2
                        continue
                    }
                }
                var amount = p.amount
                var text = n % 2 == 1 ? "ALTERNATIVE PAYMENTS PAYOUT \(p.id)" : "ALTERNATIVE PAYMENTS SETTLEMENT"
                if c == main && i == 2 {
                    let fee = scaled(15, c) < amount.minorUnits ? scaled(15, c) : max(1, amount.minorUnits / 100)
                    amount.minorUnits -= fee
                    faults.feePayoutID = p.id
                    faults.fee = fee
                    text = "ALTERNATIVE PAYMENTS PAYOUT \(p.id) LESS WIRE FEE"
                }
                lines[c, default: []].append(Line(date: day, direction: .credit, amount: amount, bankReference: "",
                                                  reference: text.contains(p.id) ? p.id : nil, text: text,
                                                  counterparty: "Alternative Payments Inc."))
                lastDay = max(lastDay, day)
                i += 1
            }
        }
        // The business days the statements cover: at least three, so there are three statements.
        var days: [BankDate] = []
        var day = BankDate(utcDayOf: first.created)
        while day <= lastDay || days.count < 3 {
            if !day.isWeekend { days.append(day) }
            day = day.adding(days: 1)
        }
        let a = max(1, days.count / 3)
        let b = max(a + 1, days.count * 2 / 3)
        let mainLines: [Line] = [
            Line(date: days[a], direction: .credit, amount: Money(minorUnits: scaled(1234, main) + scaled(56, main) / 100, currency: main),
                 bankReference: "", text: "ALTERNATIVE PAYMENTS ADJUSTMENT", counterparty: "Alternative Payments Inc."),
            Line(date: days[0], direction: .credit, amount: Money(minorUnits: scaled(777, main) + scaled(77, main) / 100, currency: main),
                 bankReference: "", text: "ACME CORP INVOICE 99 REMITTANCE", counterparty: "Acme Corp", nonref: true),
            Line(date: days[b], direction: .debit, amount: Money(minorUnits: scaled(25, main), currency: main),
                 bankReference: "", text: "ACCOUNT MAINTENANCE FEE", counterparty: "Sandbox Bank"),
        ]
        lines[main, default: []].append(contentsOf: mainLines)
        faults.nonrefText = mainLines[1].text

        // Bank references in booking order: BR + date + sequence.
        var sequence = 0
        var accounts: [Account] = []
        for c in currencies {
            var list = (lines[c] ?? []).sorted { ($0.date, $0.direction.rawValue, $0.text, $0.amount.minorUnits) < ($1.date, $1.direction.rawValue, $1.text, $1.amount.minorUnits) }
            for k in list.indices {
                sequence += 1
                list[k].bankReference = "BR" + yymmdd(list[k].date) + pad(sequence, 4)
                if list[k].text == "ALTERNATIVE PAYMENTS ADJUSTMENT" { faults.unknownCreditReference = list[k].bankReference }
            }
            accounts.append(Account(currency: c, id: "\(accountPrefix)-\(c.code)-0001", lines: list,
                                    opening: scaled(1_000_000, c), chainOffset: c == main ? scaled(100, c) : 0))
        }
        let periods = [Array(days[..<a]), Array(days[a..<b]), Array(days[b...])]
        let overlap = [days[a - 1], days[a]]
        var files: [File] = []
        for (format, folder, ext) in [(Format.camt053, "camt.053", "xml"), (.camt054, "camt.054", "xml"),
                                      (.bai2, "bai2", "bai"), (.mt940, "mt940", "sta"), (.csv, "csv", "csv")] {
            let base = format == .camt054 ? "notification" : "statement"
            for (k, period) in periods.enumerated() {
                files.append(File(path: "\(folder)/\(base)-\(k + 1).\(ext)",
                                  contents: write(format, accounts, days: period, number: k + 1, brokenFrom: periods[2].first)))
            }
            files.append(File(path: "\(folder)/\(base)-overlap.\(ext)",
                              contents: write(format, accounts, days: overlap, number: 9, brokenFrom: periods[2].first)))
        }
        files.append(File(path: "csv/mapping.json", contents: mappingJSON()))
        faults.brokenChainStatement = "statement-3"
        faults.overlapStatement = "overlap"
        return Output(files: files, faults: faults, csvMapping: csvMapping)
    }

    enum Format { case camt053, camt054, bai2, mt940, csv }

    struct Account {
        var currency: Currency
        var id: String
        var lines: [Line]
        var opening: Int64
        /// Added to every balance from the third statement on: its opening does not chain.
        var chainOffset: Int64

        /// The balance at the start of `day` (before its entries), as the bank states it.
        func balance(before day: BankDate, brokenFrom: BankDate?) -> Int64 {
            var total = opening
            for l in lines where l.date < day { total += l.direction == .credit ? l.amount.minorUnits : -l.amount.minorUnits }
            if let brokenFrom, day >= brokenFrom { total += chainOffset }
            return total
        }

        func balance(after day: BankDate, brokenFrom: BankDate?) -> Int64 {
            var total = balance(before: day, brokenFrom: brokenFrom)
            for l in lines where l.date == day { total += l.direction == .credit ? l.amount.minorUnits : -l.amount.minorUnits }
            return total
        }
    }

    static func write(_ format: Format, _ accounts: [Account], days: [BankDate], number: Int, brokenFrom: BankDate?) -> String {
        switch format {
        case .camt053, .camt054: return camt(format == .camt053, accounts, days: days, number: number, brokenFrom: brokenFrom)
        case .bai2: return bai2(accounts, days: days, brokenFrom: brokenFrom)
        case .mt940: return mt940(accounts, days: days, brokenFrom: brokenFrom)
        case .csv: return csv(accounts, days: days)
        }
    }

    // MARK: camt

    static func camt(_ statement: Bool, _ accounts: [Account], days: [BankDate], number: Int, brokenFrom: BankDate?) -> String {
        guard let from = days.first, let to = days.last else { return "" }
        let (root, item) = statement ? ("BkToCstmrStmt", "Stmt") : ("BkToCstmrDbtCdtNtfctn", "Ntfctn")
        let ns = statement ? "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08" : "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"\(ns)\">\n  <\(root)>\n"
        x += "    <GrpHdr><MsgId>SANDBOX-\(statement ? "STMT" : "NTFCTN")-\(number)</MsgId><CreDtTm>\(to)T23:00:00</CreDtTm></GrpHdr>\n"
        for account in accounts {
            let c = account.currency.code
            x += "    <\(item)>\n      <Id>\(account.id)-\(number)</Id>\n"
            x += "      <FrToDt><FrDtTm>\(from)T00:00:00</FrDtTm><ToDtTm>\(to)T23:59:59</ToDtTm></FrToDt>\n"
            x += "      <Acct><Id><Othr><Id>\(account.id)</Id></Othr></Id><Ccy>\(c)</Ccy></Acct>\n"
            if statement {
                for (code, minor, date) in [("OPBD", account.balance(before: from, brokenFrom: brokenFrom), from),
                                            ("CLBD", account.balance(after: to, brokenFrom: brokenFrom), to)] {
                    x += "      <Bal><Tp><CdOrPrtry><Cd>\(code)</Cd></CdOrPrtry></Tp>"
                        + "<Amt Ccy=\"\(c)\">\(decimal(abs(minor), account.currency))</Amt>"
                        + "<CdtDbtInd>\(minor < 0 ? "DBIT" : "CRDT")</CdtDbtInd><Dt><Dt>\(date)</Dt></Dt></Bal>\n"
                }
            }
            for l in account.lines where days.contains(l.date) {
                let party = l.direction == .credit ? "Dbtr" : "Cdtr"
                x += "      <Ntry>\n"
                x += "        <Amt Ccy=\"\(c)\">\(decimal(l.amount.minorUnits, l.amount.currency))</Amt>\n"
                x += "        <CdtDbtInd>\(l.direction == .credit ? "CRDT" : "DBIT")</CdtDbtInd>\n"
                x += "        <Sts><Cd>BOOK</Cd></Sts>\n"
                x += "        <BookgDt><Dt>\(l.date)</Dt></BookgDt>\n        <ValDt><Dt>\(l.date)</Dt></ValDt>\n"
                x += "        <AcctSvcrRef>\(l.bankReference)</AcctSvcrRef>\n"
                x += "        <NtryDtls><TxDtls>"
                x += "<Refs><EndToEndId>\(escape(l.reference ?? "NOTPROVIDED"))</EndToEndId></Refs>"
                x += "<RltdPties><\(party)><Pty><Nm>\(escape(l.counterparty))</Nm></Pty></\(party)></RltdPties>"
                x += "<RmtInf><Ustrd>\(escape(l.text))</Ustrd></RmtInf></TxDtls></NtryDtls>\n"
                x += "      </Ntry>\n"
            }
            x += "    </\(item)>\n"
        }
        x += "  </\(root)>\n</Document>\n"
        return x
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    // MARK: BAI2

    /// One group per business day (BAI2 reports a day at a time), one 03 account per currency.
    static func bai2(_ accounts: [Account], days: [BankDate], brokenFrom: BankDate?) -> String {
        guard let last = days.last else { return "" }
        var records = ["01,SANDBOXBANK,SBXCUSTOMER,\(yymmdd(last)),2300,1,,,2/"]
        var groups = 0
        for day in days {
            groups += 1
            let groupStart = records.count
            records.append("02,SBXCUSTOMER,SANDBOXBANK,1,\(yymmdd(day)),2300,,2/")
            for account in accounts {
                let accountStart = records.count
                let open = account.balance(before: day, brokenFrom: brokenFrom)
                let close = account.balance(after: day, brokenFrom: brokenFrom)
                records.append("03,\(account.id),\(account.currency.code),010,\(open),,,015,\(close),,/")
                for l in account.lines where l.date == day {
                    let code = l.direction == .credit ? "195" : "495"
                    records.append("16,\(code),\(l.amount.minorUnits),0,\(l.bankReference),\(l.reference ?? ""),\(l.text)/")
                }
                let control = account.lines.filter { $0.date == day }.reduce(open + close) { $0 + $1.amount.minorUnits }
                records.append("49,\(control),\(records.count - accountStart + 1)/")
            }
            records.append("98,0,\(accounts.count),\(records.count - groupStart + 1)/")
        }
        records.append("99,0,\(groups),\(records.count + 1)/")
        return records.joined(separator: "\n") + "\n"
    }

    // MARK: MT940

    /// One message per account and business day, in the SWIFT envelope.
    static func mt940(_ accounts: [Account], days: [BankDate], brokenFrom: BankDate?) -> String {
        var out = ""
        for account in accounts {
            for day in days {
                let open = account.balance(before: day, brokenFrom: brokenFrom)
                let close = account.balance(after: day, brokenFrom: brokenFrom)
                out += "{1:F01SANDBOXXXXXX0000000000}{2:O940SANDBOXXXXXXN}{4:\n"
                out += ":20:\(account.currency.code)\(yymmdd(day))\n:25:\(account.id)\n:28C:\(day.dayNumber % 1000)/1\n"
                out += ":60F:\(mark(open))\(yymmdd(day))\(account.currency.code)\(swiftAmount(abs(open), account.currency))\n"
                for l in account.lines where l.date == day {
                    let entryDate = yymmdd(l.date).suffix(4)
                    let dc = l.direction == .credit ? "C" : "D"
                    let refs = l.nonref ? "NONREF" : "\(l.reference ?? "NONREF")//\(l.bankReference)"
                    out += ":61:\(yymmdd(l.date))\(entryDate)\(dc)\(swiftAmount(l.amount.minorUnits, l.amount.currency))NTRF\(refs)\n"
                    out += ":86:\(l.text)\n"
                }
                out += ":62F:\(mark(close))\(yymmdd(day))\(account.currency.code)\(swiftAmount(abs(close), account.currency))\n-}\n"
            }
        }
        return out
    }

    static func mark(_ minor: Int64) -> String { minor < 0 ? "D" : "C" }

    /// `1234,56`; a whole amount keeps its comma (`35000,`), as SWIFT requires.
    static func swiftAmount(_ minor: Int64, _ c: Currency) -> String {
        let d = decimal(minor, c).replacingOccurrences(of: ".", with: ",")
        return d.contains(",") ? d : d + ","
    }

    // MARK: CSV

    static func csv(_ accounts: [Account], days: [BankDate]) -> String {
        var out = "Booking Date,Value Date,Amount,Currency,Bank Reference,Reference,Description,Counterparty\n"
        for account in accounts {
            for l in account.lines where days.contains(l.date) {
                let sign = l.direction == .debit ? "-" : ""
                let amount = grouped(decimal(l.amount.minorUnits, l.amount.currency))
                let date = "\(pad(l.date.day, 2))/\(pad(l.date.month, 2))/\(l.date.year)"
                out += "\(date),\(date),\"\(sign)\(amount)\",\(account.currency.code),\(l.bankReference),\(l.reference ?? ""),\(l.text),\(l.counterparty)\n"
            }
        }
        return out
    }

    /// Thousands separated by commas: "1,234,567.89".
    static func grouped(_ s: String) -> String {
        let parts = s.split(separator: ".", maxSplits: 1)
        var whole = Array(parts[0])
        var out = ""
        while whole.count > 3 {
            out = "," + String(whole.suffix(3)) + out
            whole.removeLast(3)
        }
        return String(whole) + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    static func mappingJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(csvMapping)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: text

    static func decimal(_ minor: Int64, _ c: Currency) -> String { Money.decimalString(minor, exponent: c.exponent) }

    static func yymmdd(_ d: BankDate) -> String { pad(d.year % 100, 2) + pad(d.month, 2) + pad(d.day, 2) }

    static func pad(_ v: some BinaryInteger, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

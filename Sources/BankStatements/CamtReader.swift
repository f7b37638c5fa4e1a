import APModels

/// Reads ISO 20022 camt.053 (`BkToCstmrStmt`) and camt.054 (`BkToCstmrDbtCdtNtfctn`), versions
/// 001.02 to 001.13, from a stream of `XMLTokenizer` events.
///
/// Each child of a statement (`Acct`, `Bal`, `FrToDt`, one `Ntry`, …) is gathered into a small
/// tree when it closes and interpreted then; the document as a whole is never held as a tree.
/// An entry that cannot be interpreted is unreadable on its own; an XML error stops the file there,
/// keeping the entries before it.
struct CamtReader {
    static let versions = 2...13

    let file: String
    let limits: XMLLimits

    func read(_ bytes: [UInt8]) -> BankStatementFile {
        var tokenizer = XMLTokenizer(bytes: bytes, limits: limits)
        var format: BankStatementFormat?
        var statements: [BankStatement] = []
        var unreadable: [BankUnreadable] = []
        var position = 0
        var builder = TreeBuilder()
        // Depth of the statement element (`Stmt` / `Ntfctn`) while inside one.
        var statement: BankStatement?
        var statementDepth = 0
        do {
            while let event = try tokenizer.next() {
                switch event {
                case .start(let name, let attributes):
                    let depth = tokenizer.depth
                    if depth == 1 {
                        format = try Self.documentFormat(name, line: tokenizer.currentLine)
                    } else if depth == 2 {
                        let expected = format == .camt053 ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn"
                        guard name.local == expected else {
                            throw XMLError(line: tokenizer.currentLine, message: "<\(name.local)> where <\(expected)> is expected")
                        }
                    } else if depth == 3, name.local == "Stmt" || name.local == "Ntfctn" {
                        statement = BankStatement(file: file, format: format ?? .camt053)
                        statementDepth = depth
                    } else if statement != nil, depth > statementDepth {
                        builder.start(name.local, attributes, line: tokenizer.currentLine)
                    }
                case .text(let text):
                    if statement != nil, tokenizer.depth > statementDepth { builder.text(text) }
                case .end(let name):
                    let depth = tokenizer.depth + 1
                    // Taken out while it changes, so its entries are appended in place, not copied.
                    guard var current = statement.take() else { continue }
                    if depth == statementDepth {
                        current.completeCoverage()
                        statements.append(current)
                        continue
                    }
                    if let node = builder.end(), depth == statementDepth + 1 {
                        if name.local == "Ntry" {
                            position += 1
                            switch Self.entry(node, file: file, position: position, account: current.accountID) {
                            case .success(let entry?): current.entries.append(entry)
                            case .success(nil): break
                            case .failure(let reason): unreadable.append(BankUnreadable(file: file, position: position, reason: reason))
                            }
                        } else {
                            Self.header(node, into: &current)
                        }
                    }
                    statement = current
                }
            }
        } catch {
            if var current = statement {
                current.completeCoverage()
                statements.append(current)
            }
            let at = position == 0 ? 0 : position + 1
            let rest = position == 0 ? "" : "; entries after #\(position) are missing"
            unreadable.append(BankUnreadable(file: file, position: at,
                                             reason: "the XML cannot be read (\(error))\(rest)"))
        }
        return BankStatementFile(file: file, format: format ?? .camt053, statements: statements, unreadable: unreadable)
    }

    /// The root must be `Document` in a camt.053 or camt.054 namespace of a supported version.
    static func documentFormat(_ name: XMLName, line: Int) throws(XMLError) -> BankStatementFormat {
        guard name.local == "Document", let ns = name.namespace else {
            throw XMLError(line: line, message: "the root element is <\(name.local)>, not a camt <Document> with its namespace")
        }
        let known: [(String, BankStatementFormat)] = [
            ("urn:iso:std:iso:20022:tech:xsd:camt.053.001.", .camt053),
            ("urn:iso:std:iso:20022:tech:xsd:camt.054.001.", .camt054),
        ]
        for (prefix, format) in known where ns.hasPrefix(prefix) {
            guard let version = Int(ns.dropFirst(prefix.count)), versions.contains(version) else {
                throw XMLError(line: line, message: "namespace \(ns) is not a supported version (001.02 to 001.13)")
            }
            return format
        }
        throw XMLError(line: line, message: "namespace \(ns) is neither camt.053 nor camt.054")
    }

    // MARK: statement header

    static func header(_ node: Node, into statement: inout BankStatement) {
        switch node.name {
        case "Id":
            statement.statementID = node.value
        case "Acct":
            statement.accountID = node.at("Id", "IBAN")?.value ?? node.at("Id", "Othr", "Id")?.value
        case "FrToDt":
            statement.coverageFrom = node.child("FrDtTm").flatMap { BankDate(iso: $0.value) }
            statement.coverageTo = node.child("ToDtTm").flatMap { BankDate(iso: $0.value) }
        case "Bal":
            // The sign is in CdtDbtInd; a signed Amt is not a balance this reader trusts.
            guard let code = node.at("Tp", "CdOrPrtry", "Cd")?.value ?? node.at("Tp", "CdOrPrtry", "Prtry")?.value,
                  let amount = money(node).value, amount.minorUnits >= 0 else { return }
            let sign: Int64 = node.child("CdtDbtInd")?.value == "DBIT" ? -1 : 1
            let balance = BankBalance(amount: Money(minorUnits: sign * amount.minorUnits, currency: amount.currency),
                                      date: date(node.child("Dt")))
            switch code {
            case "OPBD": statement.opening = balance
            case "PRCD": if statement.opening == nil { statement.opening = balance }
            case "CLBD": statement.closing = balance
            default: break
            }
        default:
            break
        }
    }

    // MARK: entries

    /// nil for an entry that is not booked (status pending or information only).
    static func entry(_ node: Node, file: String, position: Int, account: String?) -> ReadOutcome<BankEntry?> {
        let at = "line \(node.line)"
        let status = node.child("Sts").map { $0.child("Cd")?.value ?? $0.value } ?? "BOOK"
        if status == "PDNG" || status == "INFO" { return ReadOutcome<BankEntry?>.success(nil) }
        let amount: Money
        switch money(node) {
        case .success(let m): amount = m
        case .failure(let reason): return .failure("\(at): \(reason)")
        }
        let direction: BankDirection
        switch node.child("CdtDbtInd")?.value {
        case "CRDT": direction = .credit
        case "DBIT": direction = .debit
        case let other: return .failure("\(at): CdtDbtInd is \(other.map { "\"\($0)\"" } ?? "missing"), not CRDT or DBIT")
        }
        guard amount.minorUnits >= 0 else { return .failure("\(at): the amount is negative; camt states the sign in CdtDbtInd") }
        guard let booking = date(node.child("BookgDt")) ?? date(node.child("ValDt")) else {
            return .failure("\(at): the entry has no readable BookgDt or ValDt")
        }
        let details = node.descendants("TxDtls")
        func joined(_ values: [String]) -> String? {
            let kept = values.map { $0.collapsingWhitespace() }.filter { !$0.isEmpty && $0 != "NOTPROVIDED" }
            return kept.isEmpty ? nil : kept.joined(separator: " ")
        }
        let remittance = joined(details.flatMap { d in
            (d.child("RmtInf")?.children ?? []).flatMap { part -> [String] in
                part.name == "Ustrd" ? [part.value] : part.descendants("Ref").map(\.value) + part.descendants("AddtlRmtInf").map(\.value)
            }
        })
        let endToEnd = joined(details.compactMap { $0.at("Refs", "EndToEndId")?.value })
        let additional = joined([node.child("AddtlNtryInf")?.value].compactMap { $0 } + details.compactMap { $0.child("AddtlTxInf")?.value })
        let reference = joined(details.compactMap { $0.at("Refs", "InstrId")?.value ?? $0.at("Refs", "TxId")?.value })
        let party = direction == .credit ? "Dbtr" : "Cdtr"
        let counterparty = joined(details.compactMap { $0.child("RltdPties")?.child(party)?.descendants("Nm").first?.value })
        let bankReference = node.child("AcctSvcrRef")?.value ?? node.child("NtryRef")?.value
        return .success(BankEntry(statementFile: file, position: position, bankReference: bankReference,
                                  bookingDate: booking, valueDate: date(node.child("ValDt")), direction: direction,
                                  amount: amount, reference: reference, remittanceInformation: remittance,
                                  endToEndID: endToEnd, additionalInformation: additional,
                                  counterpartyName: counterparty, accountID: account))
    }

    /// `Amt` with its `Ccy` attribute, at the currency's exponent.
    static func money(_ node: Node) -> ReadOutcome<Money> {
        guard let amt = node.child("Amt") else { return .failure("the entry has no Amt") }
        guard let code = amt.attributes["Ccy"], let currency = Currency(code: code) else {
            return .failure("Amt has no valid Ccy attribute")
        }
        switch DecimalAmount.parse(amt.value, exponent: currency.exponent) {
        case .success(let minor): return .success(Money(minorUnits: minor, currency: currency))
        case .failure(let error): return .failure("\(error) in \(currency.code)")
        }
    }

    /// `<Dt>` or `<DtTm>` inside a date choice element.
    static func date(_ node: Node?) -> BankDate? {
        guard let node else { return nil }
        if let d = node.child("Dt") { return BankDate(iso: d.value) }
        if let d = node.child("DtTm") { return BankDate(iso: d.value) }
        return BankDate(iso: node.value)
    }
}

/// A small element tree for one child of a statement.
struct Node: Sendable {
    var name: String
    var attributes: [String: String]
    var text = ""
    var children: [Node] = []
    var line: Int

    var value: String { text.trimmingWhitespace() }
    func child(_ name: String) -> Node? { children.first { $0.name == name } }
    func at(_ path: String...) -> Node? {
        var node: Node? = self
        for name in path { node = node?.child(name) }
        return node
    }
    /// Every element of that name below this one, in document order.
    func descendants(_ name: String) -> [Node] {
        var out: [Node] = []
        for c in children {
            if c.name == name { out.append(c) }
            out.append(contentsOf: c.descendants(name))
        }
        return out
    }
}

struct TreeBuilder {
    private var stack: [Node] = []

    mutating func start(_ name: String, _ attributes: [XMLAttribute], line: Int) {
        var dict: [String: String] = [:]
        for a in attributes { dict[a.name.local] = a.value }
        stack.append(Node(name: name, attributes: dict, line: line))
    }

    mutating func text(_ s: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += s
    }

    /// The finished tree when the outermost element closes; nil while inside it.
    mutating func end() -> Node? {
        guard let node = stack.popLast() else { return nil }
        if stack.isEmpty { return node }
        stack[stack.count - 1].children.append(node)
        return nil
    }
}

import APModels

/// The formats a statement file is read in.
public enum BankStatementFormat: String, Sendable, Hashable, CaseIterable {
    case camt053 = "camt.053"
    case camt054 = "camt.054"
    case bai2 = "BAI2"
    case mt940 = "MT940"
    case csv = "CSV"
}

/// A balance the bank states, signed (negative when overdrawn), on a day.
public struct BankBalance: Sendable, Hashable {
    public var amount: Money
    public var date: BankDate?

    public init(amount: Money, date: BankDate?) {
        self.amount = amount
        self.date = date
    }
}

/// One statement (or notification, or BAI2 account report) of one account.
public struct BankStatement: Sendable, Hashable {
    public var file: String
    public var format: BankStatementFormat
    /// The statement's own id when the format has one (camt `Stmt/Id`, MT940 `:20:`/`:28C:`).
    public var statementID: String?
    public var accountID: String?
    public var opening: BankBalance?
    public var closing: BankBalance?
    /// The days the statement speaks for, inclusive; nil when neither the statement nor its
    /// entries give a date.
    public var coverageFrom: BankDate?
    public var coverageTo: BankDate?
    public var entries: [BankEntry]

    public init(file: String, format: BankStatementFormat, statementID: String? = nil, accountID: String? = nil,
                opening: BankBalance? = nil, closing: BankBalance? = nil,
                coverageFrom: BankDate? = nil, coverageTo: BankDate? = nil, entries: [BankEntry] = []) {
        self.file = file
        self.format = format
        self.statementID = statementID
        self.accountID = accountID
        self.opening = opening
        self.closing = closing
        self.coverageFrom = coverageFrom
        self.coverageTo = coverageTo
        self.entries = entries
    }

    /// Fills a missing coverage from the balance dates, then from the entries' booking dates; a
    /// period stated backwards (to before from) is read in the right order.
    mutating func completeCoverage() {
        let dates = [opening?.date, closing?.date].compactMap { $0 } + entries.map(\.bookingDate)
        if coverageFrom == nil { coverageFrom = dates.min() }
        if coverageTo == nil { coverageTo = dates.max() }
        if let from = coverageFrom, let to = coverageTo, to < from { (coverageFrom, coverageTo) = (to, from) }
    }
}

/// A file, or an entry of a file, that cannot be read.
public struct BankUnreadable: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// The entry's 1-based position in the file; 0 when the file as a whole cannot be read.
    public var position: Int
    /// What is wrong and where (line or byte offset), in words a user can act on.
    public var reason: String

    public init(file: String, position: Int, reason: String) {
        self.file = file
        self.position = position
        self.reason = reason
    }

    /// `FILE#N`.
    public var id: String { BankEntry.positionID(file: file, position: position) }
    public var description: String { "\(id): \(reason)" }
}

/// What one file gave: its statements, and what could not be read.
public struct BankStatementFile: Sendable, Hashable {
    public var file: String
    /// nil when the content matches no format.
    public var format: BankStatementFormat?
    public var statements: [BankStatement]
    public var unreadable: [BankUnreadable]

    public init(file: String, format: BankStatementFormat?, statements: [BankStatement], unreadable: [BankUnreadable]) {
        self.file = file
        self.format = format
        self.statements = statements
        self.unreadable = unreadable
    }

    public var entries: [BankEntry] { statements.flatMap(\.entries) }
}

/// The outcome of reading one part of a file: the value, or why it cannot be read (a sentence
/// that names the line), which becomes a `BankUnreadable`.
enum ReadOutcome<Value> {
    case success(Value)
    case failure(String)

    var value: Value? {
        if case .success(let v) = self { return v }
        return nil
    }
}

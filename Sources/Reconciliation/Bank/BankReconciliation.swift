import APModels
import BankStatements

/// What the bank reconciliation needs: the payouts, the statements (entries counted once), and
/// the two job settings that shape the matching.
public struct BankMatchingInput: Sendable {
    public var payouts: [Payout]
    public var statements: BankStatementSet
    /// Business days (Monday to Friday) after its creation by which a payout must be credited.
    public var settlementDays: Int
    /// A credit whose text or counterparty contains one of these (any case) is from the provider.
    public var providerNames: [String]

    public static let defaultSettlementDays = 3
    public static let defaultProviderNames = ["Alternative Payments"]

    public init(payouts: [Payout], statements: BankStatementSet, settlementDays: Int = defaultSettlementDays,
                providerNames: [String] = defaultProviderNames) {
        self.payouts = payouts
        self.statements = statements
        self.settlementDays = settlementDays
        self.providerNames = providerNames
    }
}

/// How a statement entry was explained. The raw values are the `match` column of bank.csv.
public enum BankMatchKind: String, Sendable, Hashable, CaseIterable {
    /// A payout id appears in its text (amount equal or not).
    case reference
    /// The only credit of the payout's currency and amount in its window.
    case amount
    /// Equal to the sum of 2–5 payouts whose windows contain its date.
    case batched
    /// One of several credits that fit a payout by amount; none was taken.
    case ambiguous
    /// A credit from the provider that no payout explains.
    case unmatched
    /// A credit that does not name the provider and matched no payout.
    case notFromProvider = "not_from_provider"
    /// Money out: listed, never matched.
    case debit
}

/// One statement entry and what explains it.
public struct BankEntryMatch: Sendable, Hashable {
    public var entry: BankEntry
    public var kind: BankMatchKind
    /// Sorted: the payouts it was matched to (or, when ambiguous, the payouts it could be).
    public var payoutIDs: [String]

    public init(entry: BankEntry, kind: BankMatchKind, payoutIDs: [String]) {
        self.entry = entry
        self.kind = kind
        self.payoutIDs = payoutIDs
    }
}

/// Where a payout stands against the bank.
public enum BankPayoutState: String, Sendable, Hashable, CaseIterable {
    /// Credited in full (by reference, amount or in a batch).
    case credited
    /// Credited by reference with another amount (PAYOUT_BANK_AMOUNT_MISMATCH).
    case amountMismatch = "amount_mismatch"
    /// Several credits fit; none taken (BANK_MATCH_AMBIGUOUS when judged).
    case ambiguous
    /// Judged and not found (PAYOUT_NOT_IN_BANK).
    case notInBank = "not_in_bank"
    /// Its window ends after the statements of its currency do: not judged yet.
    case notYetDue = "not_yet_due"
    /// Its window starts before the statements of its currency do: they cannot show it.
    case notCovered = "not_covered"
    /// Not a payout that must arrive (pending, in transit, failed, canceled, or not positive).
    case notExpected = "not_expected"
}

/// One payout against the bank.
public struct BankPayoutMatch: Sendable, Hashable {
    public var payoutID: String
    public var state: BankPayoutState
    /// How it was matched, when credited or mismatched.
    public var kind: BankMatchKind?
    /// Sorted: the entries matched to it (for an ambiguous payout, none).
    public var entryIDs: [String]
    /// The days the credit is expected in: its creation day to `settlementDays` business days later.
    public var windowFrom: BankDate
    public var windowTo: BankDate

    public init(payoutID: String, state: BankPayoutState, kind: BankMatchKind?, entryIDs: [String],
                windowFrom: BankDate, windowTo: BankDate) {
        self.payoutID = payoutID
        self.state = state
        self.kind = kind
        self.entryIDs = entryIDs
        self.windowFrom = windowFrom
        self.windowTo = windowTo
    }
}

/// What one statement covers, as read.
public struct BankStatementCoverage: Sendable, Hashable {
    public var file: String
    public var format: BankStatementFormat
    public var statementID: String?
    public var accountID: String?
    public var from: BankDate?
    public var to: BankDate?
    public var entryCount: Int
    public var opening: BankBalance?
    public var closing: BankBalance?

    public init(file: String, format: BankStatementFormat, statementID: String?, accountID: String?, from: BankDate?,
                to: BankDate?, entryCount: Int, opening: BankBalance?, closing: BankBalance?) {
        self.file = file
        self.format = format
        self.statementID = statementID
        self.accountID = accountID
        self.from = from
        self.to = to
        self.entryCount = entryCount
        self.opening = opening
        self.closing = closing
    }
}

/// Per currency: what the payouts expect and what the statements show. Nil where a sum does not fit in Int64.
public struct BankCurrencyTotals: Sendable, Hashable {
    public var currency: Currency
    /// Payouts that must arrive and are judged (not yet due and not covered left out).
    public var expected: Int64?
    /// Every credit on the statements.
    public var credited: Int64?
    /// Credits matched to payouts (reference, amount, batched).
    public var matched: Int64?
    /// Credits from the provider that no payout explains.
    public var unmatched: Int64?
    public var debited: Int64?
    public var creditCount: Int
    public var debitCount: Int

    public init(currency: Currency, expected: Int64?, credited: Int64?, matched: Int64?, unmatched: Int64?,
                debited: Int64?, creditCount: Int, debitCount: Int) {
        self.currency = currency
        self.expected = expected
        self.credited = credited
        self.matched = matched
        self.unmatched = unmatched
        self.debited = debited
        self.creditCount = creditCount
        self.debitCount = debitCount
    }
}

/// The bank reconciliation's result: every entry with its match, every payout with its
/// entries, the statements' coverage, totals and the diagnostics. Every list is sorted.
public struct BankReconciliation: Sendable, Hashable {
    /// By statement file, then position.
    public var entries: [BankEntryMatch]
    /// By payout id.
    public var payouts: [BankPayoutMatch]
    /// Payout ids, sorted.
    public var notYetDue: [String]
    public var notCovered: [String]
    /// By file, account, from, statement id.
    public var statements: [BankStatementCoverage]
    /// Every kind, zero included.
    public var countsByMatch: [BankMatchKind: Int]
    /// By currency code.
    public var totals: [BankCurrencyTotals]
    /// In the documented order (`Diagnostic.precedes`).
    public var diagnostics: [Diagnostic]

    public init(entries: [BankEntryMatch], payouts: [BankPayoutMatch], notYetDue: [String], notCovered: [String],
                statements: [BankStatementCoverage], countsByMatch: [BankMatchKind: Int],
                totals: [BankCurrencyTotals], diagnostics: [Diagnostic]) {
        self.entries = entries
        self.payouts = payouts
        self.notYetDue = notYetDue
        self.notCovered = notCovered
        self.statements = statements
        self.countsByMatch = countsByMatch
        self.totals = totals
        self.diagnostics = diagnostics
    }
}

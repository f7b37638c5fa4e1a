import APModels
import BankStatements

/// The bank statements of a run and how to match them (docs/bank.md).
public struct BankInput: Sendable {
    public var statements: BankStatementSet
    public var settlementDays: Int
    public var providerNames: [String]

    public init(statements: BankStatementSet, settlementDays: Int = BankMatchingInput.defaultSettlementDays,
                providerNames: [String] = BankMatchingInput.defaultProviderNames) {
        self.statements = statements
        self.settlementDays = settlementDays
        self.providerNames = providerNames
    }
}

/// The half-open window [since, until) on payout `created_at`.
public struct ReportWindow: Sendable, Hashable {
    public var since: Timestamp
    public var until: Timestamp

    public init(since: Timestamp, until: Timestamp) {
        self.since = since
        self.until = until
    }

    public func contains(_ t: Timestamp) -> Bool { since <= t && t < until }
}

/// The answer to a by-id lookup: the record (possibly unreadable), or a 404.
public enum Lookup<T: Sendable>: Sendable {
    case found(Fetched<T>)
    case notFound
}

extension Lookup: Equatable where T: Equatable {}
extension Lookup: Hashable where T: Hashable {}

/// Everything a run fetched. The engine filters and de-duplicates itself: callers pass what
/// the API returned, in the order it returned it.
public struct ReconciliationInput: Sendable {
    public var window: ReportWindow
    /// What GET /payouts listed for the window; payouts outside the window are ignored.
    public var payouts: [Fetched<Payout>]
    /// Lines of GET /payouts/{id}/transactions by payout id, in API order.
    /// A missing key and an empty list both mean "no transactions".
    public var payoutLines: [String: [Fetched<PayoutTransaction>]]
    /// Every GET /payments record the run fetched (by invoice, by customer, …), duplicates allowed.
    public var payments: [Fetched<Transaction>]
    /// Invoices looked up by id because a transaction links to them.
    public var invoices: [String: Lookup<Invoice>]
    /// Payment requests looked up by id (linked from transactions or listed as expected).
    public var paymentRequests: [String: Lookup<PaymentRequest>]
    /// GET /invoices?status=PAID&created_at_start…: PAID invoices created in the window.
    public var paidInvoicesInWindow: [Fetched<Invoice>]
    /// Every OPEN or OVERDUE invoice listed, any creation date: the candidate pool.
    public var candidateInvoices: [Fetched<Invoice>]
    /// Payment request ids from the optional expected-requests file.
    public var expectedPaymentRequestIDs: [String]
    /// The bank statements to match the window's payouts against; nil: no bank reconciliation.
    public var bank: BankInput? = nil

    public init(window: ReportWindow,
                payouts: [Fetched<Payout>] = [],
                payoutLines: [String: [Fetched<PayoutTransaction>]] = [:],
                payments: [Fetched<Transaction>] = [],
                invoices: [String: Lookup<Invoice>] = [:],
                paymentRequests: [String: Lookup<PaymentRequest>] = [:],
                paidInvoicesInWindow: [Fetched<Invoice>] = [],
                candidateInvoices: [Fetched<Invoice>] = [],
                expectedPaymentRequestIDs: [String] = []) {
        self.window = window
        self.payouts = payouts
        self.payoutLines = payoutLines
        self.payments = payments
        self.invoices = invoices
        self.paymentRequests = paymentRequests
        self.paidInvoicesInWindow = paidInvoicesInWindow
        self.candidateInvoices = candidateInvoices
        self.expectedPaymentRequestIDs = expectedPaymentRequestIDs
    }
}

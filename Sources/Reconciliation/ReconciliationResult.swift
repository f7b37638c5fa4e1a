import APModels

/// What the reports are rendered from. Every list is in a stable, documented order.
public struct ReconciliationResult: Sendable {
    public var window: ReportWindow
    /// Payouts in the window, by created_at then id.
    public var payouts: [PayoutResult]
    /// Touched invoices that could be read, by id.
    public var invoices: [InvoiceResult]
    /// Touched payment requests that could be read, by id.
    public var paymentRequests: [PaymentRequestResult]
    /// In the order of `Diagnostic.precedes`.
    public var diagnostics: [Diagnostic]
    public var summary: Summary
    /// The payouts matched against the bank statements; nil for a run without statements.
    /// Its diagnostics are also in `diagnostics` and counted in `summary`.
    public var bank: BankReconciliation? = nil

    public init(window: ReportWindow, payouts: [PayoutResult], invoices: [InvoiceResult],
                paymentRequests: [PaymentRequestResult], diagnostics: [Diagnostic], summary: Summary) {
        self.window = window
        self.payouts = payouts
        self.invoices = invoices
        self.paymentRequests = paymentRequests
        self.diagnostics = diagnostics
        self.summary = summary
    }
}

public struct PayoutResult: Sendable {
    public var payout: Payout
    /// In API order, unreadable lines included in place.
    public var lines: PayoutLines
    /// Σ inbound − Σ outbound over the readable lines in the payout's currency; nil on overflow.
    public var computedAmount: Int64?
    /// `payout.amount − computedAmount`; nil when the computed amount is nil or the difference overflows.
    public var difference: Int64?
    /// Diagnostics whose payout_id is this payout.
    public var diagnosticCount: Int

    public init(payout: Payout, lines: [PayoutLineResult], computedAmount: Int64?, difference: Int64?,
                diagnosticCount: Int) {
        self.init(payout: payout, lines: PayoutLines(lines), computedAmount: computedAmount, difference: difference,
                  diagnosticCount: diagnosticCount)
    }

    public init(payout: Payout, lines: PayoutLines, computedAmount: Int64?, difference: Int64?, diagnosticCount: Int) {
        self.payout = payout
        self.lines = lines
        self.computedAmount = computedAmount
        self.difference = difference
        self.diagnosticCount = diagnosticCount
    }
}

/// A payout's lines with what the engine found for each. The fetched lines are the input's own
/// array (shared, not copied: a million lines are ~170 MB a copy); only the findings are new.
public struct PayoutLines: RandomAccessCollection, Sendable {
    /// As fetched, in API order: the same storage as `ReconciliationInput.payoutLines`' array.
    public let records: [Fetched<PayoutTransaction>]
    /// One per record, same order.
    let findings: [LineFinding]

    /// `findings[i]` is about `records[i]`; both have the same count.
    init(records: [Fetched<PayoutTransaction>], findings: [LineFinding]) {
        self.records = records
        self.findings = findings
    }

    public init(_ lines: [PayoutLineResult]) {
        records = lines.map(\.line)
        findings = lines.map(LineFinding.init)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { findings.count }

    public subscript(position: Int) -> PayoutLineResult {
        let finding = findings[position]
        return PayoutLineResult(position: finding.position, line: records[position], match: finding.match,
                                invoiceID: finding.invoiceID, paymentRequestID: finding.paymentRequestID,
                                countedInAmount: finding.countedInAmount, firstSeenInPayoutID: finding.firstSeenInPayoutID)
    }
}

/// `PayoutLineResult` without the line.
struct LineFinding: Sendable {
    var position: Int
    var match: MatchRule
    var invoiceID: String?
    var paymentRequestID: String?
    var countedInAmount: Bool
    var firstSeenInPayoutID: String?

    init(position: Int, match: MatchRule, invoiceID: String?, paymentRequestID: String?, countedInAmount: Bool,
         firstSeenInPayoutID: String?) {
        self.position = position
        self.match = match
        self.invoiceID = invoiceID
        self.paymentRequestID = paymentRequestID
        self.countedInAmount = countedInAmount
        self.firstSeenInPayoutID = firstSeenInPayoutID
    }

    init(_ line: PayoutLineResult) {
        self.init(position: line.position, match: line.match, invoiceID: line.invoiceID, paymentRequestID: line.paymentRequestID,
                  countedInAmount: line.countedInAmount, firstSeenInPayoutID: line.firstSeenInPayoutID)
    }
}

public struct PayoutLineResult: Sendable {
    /// 0-based position in the payout's transaction list.
    public var position: Int
    public var line: Fetched<PayoutTransaction>
    public var match: MatchRule
    /// The invoice the line settles (from the line, else from GET /payments); nil when none.
    public var invoiceID: String?
    public var paymentRequestID: String?
    /// Whether the line is part of `computedAmount` (readable, direction known, payout's currency).
    public var countedInAmount: Bool
    /// The earlier payout this transaction was first seen in, when this line repeats it.
    public var firstSeenInPayoutID: String?

    public init(position: Int, line: Fetched<PayoutTransaction>, match: MatchRule, invoiceID: String?,
                paymentRequestID: String?, countedInAmount: Bool, firstSeenInPayoutID: String?) {
        self.position = position
        self.line = line
        self.match = match
        self.invoiceID = invoiceID
        self.paymentRequestID = paymentRequestID
        self.countedInAmount = countedInAmount
        self.firstSeenInPayoutID = firstSeenInPayoutID
    }
}

/// What the money says about an invoice or payment request, independent of its status.
public enum SettlementState: String, Sendable, Hashable, CaseIterable {
    /// Net settled ≤ 0.
    case unsettled
    /// 0 < net settled < amount.
    case partiallySettled = "partially_settled"
    /// Net settled = amount.
    case settled
    /// Net settled > amount.
    case oversettled
    /// Net settled does not fit in Int64 (AMOUNT_OVERFLOW).
    case unknown

    static func of(net: Int64?, amount: Int64) -> SettlementState {
        guard let net else { return .unknown }
        if net > amount { return .oversettled }
        if net == amount { return .settled }
        if net > 0 { return .partiallySettled }
        return .unsettled
    }
}

public struct InvoiceResult: Sendable {
    public var invoice: Invoice
    /// Σ settled payments − Σ succeeded refunds and chargebacks, in the invoice's currency; nil on overflow.
    public var netSettled: Int64?
    /// Ids of the settled payments, sorted.
    public var settledPaymentIDs: [String]
    public var settledPaymentCount: Int { settledPaymentIDs.count }
    public var state: SettlementState
    public var diagnosticCount: Int

    public init(invoice: Invoice, netSettled: Int64?, settledPaymentIDs: [String], state: SettlementState,
                diagnosticCount: Int) {
        self.invoice = invoice
        self.netSettled = netSettled
        self.settledPaymentIDs = settledPaymentIDs
        self.state = state
        self.diagnosticCount = diagnosticCount
    }
}

public struct PaymentRequestResult: Sendable {
    public var paymentRequest: PaymentRequest
    public var netSettled: Int64?
    public var settledPaymentIDs: [String]
    public var settledPaymentCount: Int { settledPaymentIDs.count }
    public var state: SettlementState
    /// Listed in the expected-requests file.
    public var expected: Bool
    public var diagnosticCount: Int

    public init(paymentRequest: PaymentRequest, netSettled: Int64?, settledPaymentIDs: [String],
                state: SettlementState, expected: Bool, diagnosticCount: Int) {
        self.paymentRequest = paymentRequest
        self.netSettled = netSettled
        self.settledPaymentIDs = settledPaymentIDs
        self.state = state
        self.expected = expected
        self.diagnosticCount = diagnosticCount
    }
}

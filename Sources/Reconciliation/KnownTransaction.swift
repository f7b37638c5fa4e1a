import APModels

/// What the run knows about one transaction id, merged from its first payout line and its
/// GET /payments record. Settlement reads these, so a transaction counts once however many
/// inputs mention it.
struct KnownTransaction: Sendable {
    var id: String
    var type: TransactionType
    var status: TransactionStatus
    var amount: Money
    /// Effective links: the payout line's when it has any, else GET /payments'. Always nil
    /// for fees, adjustments and unknown types, which link to nothing.
    var invoiceID: String?
    var paymentRequestID: String?
    /// The first payout (in payout order) that lists it; nil when known only from GET /payments.
    var homePayoutID: String?

    var isSucceeded: Bool { status == .succeeded }
    var isPayment: Bool { type == .payment }
    /// Refunds and chargebacks reduce what an invoice or request has been paid.
    var isReversal: Bool { type == .refund || type == .chargeback }
}

/// Which transaction kinds the engine links, exported so the fetch stage asks the API for
/// exactly the links and candidates the engine will read, and no more.
extension TransactionType {
    /// Payments, refunds and chargebacks settle (or unsettle) invoices; the rest link to nothing.
    /// The fetch stage learns the links of these kinds from GET /payments when a line has none.
    public var canLink: Bool {
        switch self {
        case .payment, .refund, .chargeback: true
        case .fee, .adjustment, .other: false
        }
    }

    /// The kinds TXN_UNLINKED and the candidate search apply to: the fetch stage lists OPEN and
    /// OVERDUE invoices only while a line of these kinds is still unlinked.
    public var needsLink: Bool { self == .payment || self == .refund }
}

import APModels
import Reconciliation

/// A small input for the real engine that produces several diagnostic codes, unreadable
/// records, suggested/ambiguous matches and three currencies: what a real run renders.
enum EngineSample {
    static let eur = Currency(code: "EUR")!

    static func line(_ id: String, _ amount: Int64, _ type: TransactionType = .payment, _ currency: Currency = usd,
                     invoice: String? = nil, customer: String? = nil) -> Fetched<PayoutTransaction> {
        .record(PayoutTransaction(id: id, status: .succeeded, amount: money(amount, currency), type: type,
                                  direction: nil, invoiceID: invoice, customerID: customer))
    }

    static func invoice(_ id: String, _ amount: Int64, _ status: InvoiceStatus, _ currency: Currency) -> Fetched<Invoice> {
        .record(Invoice(id: id, customerID: "cus_1", status: status, amount: money(amount, currency),
                        createdAt: ts("2024-01-10T08:00:00Z")))
    }

    static let input = ReconciliationInput(
        window: window,
        payouts: [
            .record(Payout(id: "po_a", status: .succeeded, amount: money(10_000, usd), createdAt: ts("2024-01-10T01:00:00Z"))),
            .record(Payout(id: "po_b", status: .failed, amount: money(500, eur), createdAt: ts("2024-01-10T02:00:00Z"))),
            .record(Payout(id: "po_c", status: .succeeded, amount: money(1000, jpy), createdAt: ts("2024-01-10T03:00:00Z"))),
            .unreadable(UnreadableRecord(endpoint: "GET /payouts", id: nil, rawJSON: #"{"amount":1.5}"#,
                                         reason: "missing id")),
        ],
        payoutLines: [
            "po_a": [
                line("t_1", 6000, invoice: "inv_1"),
                line("t_2", 5000),
                line("t_3", 1000, .fee),
                line("t_4", 10, invoice: "inv_missing"),
            ],
            "po_c": [
                line("t_5", 1000, .payment, jpy),
                line("t_6", 300, .payment, usd),
                .unreadable(UnreadableRecord(endpoint: "GET /payouts/po_c/transactions", id: "t_7",
                                             rawJSON: #"{"amount":"x","id":"t_7"}"#, reason: "amount \"x\" is not a whole number")),
            ],
        ],
        invoices: ["inv_1": .found(invoice("inv_1", 6000, .paid, usd)), "inv_missing": .notFound],
        paymentRequests: ["pr_1": .found(.record(PaymentRequest(id: "pr_1", amount: money(2000, usd), status: .paid)))],
        candidateInvoices: [invoice("inv_j1", 1000, .open, jpy), invoice("inv_j2", 1000, .overdue, jpy)],
        expectedPaymentRequestIDs: ["pr_1"])
}

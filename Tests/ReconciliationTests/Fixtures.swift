import APModels
import Reconciliation

// Small builders so each test states only what matters to it. Currency literals are
// constants of the test, not data from outside, so a failed parse is a test bug.

let usd = Currency(code: "USD")!
let eur = Currency(code: "EUR")!
let gbp = Currency(code: "GBP")!
let jpy = Currency(code: "JPY")!

func ts(_ text: String) -> Timestamp {
    Timestamp.parse(text, allowDateOnly: true) ?? Timestamp(epochSeconds: 0)
}

let window = ReportWindow(since: ts("2024-01-10"), until: ts("2024-01-11"))

func payout(_ id: String, _ amount: Int64, _ currency: Currency = usd, status: PayoutStatus = .succeeded,
            at created: String = "2024-01-10T12:00:00Z") -> Fetched<Payout> {
    .record(Payout(id: id, status: status, amount: Money(minorUnits: amount, currency: currency), createdAt: ts(created)))
}

func line(_ id: String, _ amount: Int64, _ type: TransactionType = .payment, _ currency: Currency = usd,
          direction: Direction? = nil, status: TransactionStatus = .succeeded, invoice: String? = nil,
          request: String? = nil, customer: String? = nil) -> Fetched<PayoutTransaction> {
    .record(PayoutTransaction(id: id, status: status, amount: Money(minorUnits: amount, currency: currency), type: type,
                              direction: direction, invoiceID: invoice, paymentRequestID: request, customerID: customer))
}

func payment(_ id: String, _ amount: Int64, _ type: TransactionType? = nil, _ currency: Currency = usd,
             status: TransactionStatus = .succeeded, invoice: String? = nil, request: String? = nil,
             customer: String? = nil) -> Fetched<Transaction> {
    .record(Transaction(id: id, amount: Money(minorUnits: amount, currency: currency), status: status, type: type,
                        invoiceID: invoice, paymentRequestID: request, customerID: customer))
}

func invoiceRecord(_ id: String, _ amount: Int64, _ status: InvoiceStatus = .paid, _ currency: Currency = usd,
                   customer: String? = nil, created: String? = "2024-01-10T08:00:00Z",
                   items: [InvoiceLineItem]? = nil) -> Invoice {
    Invoice(id: id, customerID: customer, status: status, amount: Money(minorUnits: amount, currency: currency),
            createdAt: created.map(ts), lineItems: items)
}

func invoice(_ id: String, _ amount: Int64, _ status: InvoiceStatus = .paid, _ currency: Currency = usd,
             customer: String? = nil, created: String? = "2024-01-10T08:00:00Z",
             items: [InvoiceLineItem]? = nil) -> Fetched<Invoice> {
    .record(invoiceRecord(id, amount, status, currency, customer: customer, created: created, items: items))
}

func found(_ invoice: Fetched<Invoice>) -> Lookup<Invoice> { .found(invoice) }

func request(_ id: String, _ amount: Int64, _ status: PaymentRequestStatus = .paid,
             _ currency: Currency = usd) -> Lookup<PaymentRequest> {
    .found(.record(PaymentRequest(id: id, amount: Money(minorUnits: amount, currency: currency), status: status)))
}

func unreadable<T>(_ endpoint: String, id: String?, raw: String, reason: String) -> Fetched<T> {
    .unreadable(UnreadableRecord(endpoint: endpoint, id: id, rawJSON: raw, reason: reason))
}

/// The fields a test compares exactly; the message is checked separately where it matters.
struct D: Equatable, CustomStringConvertible {
    var code: DiagnosticCode
    var payout: String? = nil
    var txn: String? = nil
    var invoice: String? = nil
    var request: String? = nil
    var expected: Int64? = nil
    var actual: Int64? = nil
    var delta: Int64? = nil
    var currency: Currency? = nil
    var candidates: [String] = []

    init(_ code: DiagnosticCode, payout: String? = nil, txn: String? = nil, invoice: String? = nil,
         request: String? = nil, expected: Int64? = nil, actual: Int64? = nil, delta: Int64? = nil,
         currency: Currency? = nil, candidates: [String] = []) {
        self.code = code
        self.payout = payout
        self.txn = txn
        self.invoice = invoice
        self.request = request
        self.expected = expected
        self.actual = actual
        self.delta = delta
        self.currency = currency
        self.candidates = candidates
    }

    init(_ d: Diagnostic) {
        self.init(d.code, payout: d.payoutID, txn: d.transactionID, invoice: d.invoiceID, request: d.paymentRequestID,
                  expected: d.expected, actual: d.actual, delta: d.delta, currency: d.currency,
                  candidates: d.candidateInvoiceIDs)
    }

    var description: String {
        "\(code.rawValue) p=\(payout ?? "-") t=\(txn ?? "-") i=\(invoice ?? "-") r=\(request ?? "-") "
            + "e=\(expected.map(String.init) ?? "-") a=\(actual.map(String.init) ?? "-") d=\(delta.map(String.init) ?? "-") "
            + "c=\(currency?.code ?? "-") cand=\(candidates)"
    }
}

func diagnostics(_ input: ReconciliationInput) -> [D] {
    reconcile(input).diagnostics.map(D.init)
}

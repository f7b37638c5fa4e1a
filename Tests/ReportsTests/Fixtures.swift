import APModels
import Reconciliation
import Reports

// Results built by hand so each golden test controls every string that reaches a file.
// Currency literals are constants of the test, so a failed parse is a test bug, not data.

let usd = Currency(code: "USD")!
let jpy = Currency(code: "JPY")!
let bhd = Currency(code: "BHD")!

func ts(_ text: String) -> Timestamp {
    Timestamp.parse(text, allowDateOnly: true) ?? Timestamp(epochSeconds: 0)
}

let window = ReportWindow(since: ts("2024-01-10"), until: ts("2024-01-11"))

let run = RunInfo(toolVersion: "0.3.0", baseURL: "https://api.example.test/v1", window: window,
                  asOf: ts("2024-01-11T06:00:00Z"),
                  requestsByEndpoint: ["GET /payouts": 1, "GET /payouts/{id}/transactions": 3, "GET /invoices/{id}": 2, "POST /oauth/token": 1],
                  retriesByEndpoint: ["GET /payouts": 1],
                  failOn: .warning)

func money(_ minor: Int64, _ currency: Currency) -> Money { Money(minorUnits: minor, currency: currency) }

func byRule(_ pairs: [MatchRuleKind: Int]) -> [MatchRuleKind: Int] {
    var all: [MatchRuleKind: Int] = [:]
    for kind in MatchRuleKind.allCases { all[kind] = pairs[kind] ?? 0 }
    return all
}

func byCode(_ pairs: [DiagnosticCode: Int]) -> [DiagnosticCode: Int] {
    var all: [DiagnosticCode: Int] = [:]
    for code in DiagnosticCode.allCases { all[code] = pairs[code] ?? 0 }
    return all
}

func bySeverity(_ pairs: [Severity: Int]) -> [Severity: Int] {
    var all: [Severity: Int] = [:]
    for s in Severity.allCases { all[s] = pairs[s] ?? 0 }
    return all
}

let emptyResult = ReconciliationResult(
    window: window, payouts: [], invoices: [], paymentRequests: [], diagnostics: [],
    summary: Summary(payoutCount: 0, lineCount: 0, linesByRule: byRule([:]), diagnosticsByCode: byCode([:]),
                     diagnosticsBySeverity: bySeverity([:]), currencies: []))

/// Three payouts in USD, JPY (0 decimals) and BHD (3 decimals), with ids that probe quoting
/// (`txn,1`, `inv_"q"`), formula injection (`=1+1`, `+1`, `-1`, `@SUM(A1)`, TAB and CR) and
/// unicode (日本語, é), and a negative difference that must stay a plain number.
let sampleResult: ReconciliationResult = {
    let po1 = Payout(id: "po_1", status: .succeeded, amount: money(147_500, usd), createdAt: ts("2024-01-10T12:00:00Z"))
    let po2 = Payout(id: "po_jpy", status: .succeeded, amount: money(1500, jpy), createdAt: ts("2024-01-10T13:00:00Z"))
    let po3 = Payout(id: "po_bhd", status: .other("@hold"), amount: money(-1500, bhd), createdAt: ts("2024-01-10T14:00:00.5Z"))

    let pay = PayoutTransaction(id: "txn,1", status: .succeeded, amount: money(150_000, usd), type: .payment,
                                direction: .inbound, invoiceID: "inv_\"q\"", customerID: "cus_é")
    let fee = PayoutTransaction(id: "=1+1", status: .other("\r=x"), amount: money(1250, usd), type: .fee, direction: nil)
    let bad = UnreadableRecord(endpoint: "GET /payouts/po_1/transactions", id: "txn_bad",
                               rawJSON: #"{"amount":"12.5","id":"txn_bad"}"#,
                               reason: #"amount "12.5" is not a whole number of minor units"#)
    let yen = PayoutTransaction(id: "+1", status: .succeeded, amount: money(1500, jpy), type: .payment,
                                direction: .inbound, customerID: "日本語")
    let refund = PayoutTransaction(id: "-1", status: .succeeded, amount: money(1500, bhd), type: .refund,
                                   direction: .outbound, paymentRequestID: "pr_1")

    let payouts = [
        PayoutResult(payout: po1, lines: [
            PayoutLineResult(position: 0, line: .record(pay), match: .payoutLink, invoiceID: "inv_\"q\"",
                             paymentRequestID: nil, countedInAmount: true, firstSeenInPayoutID: nil),
            PayoutLineResult(position: 1, line: .record(fee), match: .notApplicable, invoiceID: nil,
                             paymentRequestID: nil, countedInAmount: true, firstSeenInPayoutID: nil),
            PayoutLineResult(position: 2, line: .unreadable(bad), match: .unreadable, invoiceID: nil,
                             paymentRequestID: nil, countedInAmount: false, firstSeenInPayoutID: nil),
        ], computedAmount: 148_750, difference: -1250, diagnosticCount: 2),
        PayoutResult(payout: po2, lines: [
            PayoutLineResult(position: 0, line: .record(yen), match: .suggested(["\t=x", "@SUM(A1)"]), invoiceID: nil,
                             paymentRequestID: nil, countedInAmount: true, firstSeenInPayoutID: "po_1"),
        ], computedAmount: 1500, difference: 0, diagnosticCount: 1),
        PayoutResult(payout: po3, lines: [
            PayoutLineResult(position: 0, line: .record(refund), match: .payoutLink, invoiceID: nil,
                             paymentRequestID: "pr_1", countedInAmount: true, firstSeenInPayoutID: nil),
        ], computedAmount: -1500, difference: 0, diagnosticCount: 0),
    ]
    let invoices = [
        InvoiceResult(invoice: Invoice(id: "@SUM(A1)", customerID: "日本語", status: .open, amount: money(1500, jpy)),
                      netSettled: 0, settledPaymentIDs: [], state: .unsettled, diagnosticCount: 0),
        InvoiceResult(invoice: Invoice(id: "inv_\"q\"", customerID: "cus_é", status: .paid, amount: money(150_000, usd)),
                      netSettled: 150_000, settledPaymentIDs: ["txn,1"], state: .settled, diagnosticCount: 0),
    ]
    let requests = [
        PaymentRequestResult(paymentRequest: PaymentRequest(id: "pr_1", amount: money(1500, bhd), status: .pending,
                                                            referenceID: "=HYPERLINK(\"x\")"),
                             netSettled: nil, settledPaymentIDs: [], state: .unknown, expected: true, diagnosticCount: 0),
    ]
    let diagnostics = [
        Diagnostic(code: .payoutAmountMismatch,
                   message: "Payout po_1 pays 1475.00 USD but its transactions add up to 1487.50 USD.",
                   payoutID: "po_1", expected: 148_750, actual: 147_500, currency: usd),
        Diagnostic(code: .recordUnreadable, message: "A transaction of payout po_1 cannot be read:\nfix it at the source.",
                   payoutID: "po_1", transactionID: "txn_bad", endpoint: bad.endpoint, rawJSON: bad.rawJSON,
                   reason: bad.reason),
        Diagnostic(code: .txnSuggestedMatch, message: "-1 candidate, \"check\" it",
                   payoutID: "po_jpy", transactionID: "+1", expected: 1500, actual: 1500, currency: jpy,
                   candidateInvoiceIDs: ["@SUM(A1)", "\t=x"]),
    ]
    let summary = Summary(
        payoutCount: 3, lineCount: 5,
        linesByRule: byRule([.payoutLink: 2, .notApplicable: 1, .unreadable: 1, .suggested: 1]),
        diagnosticsByCode: byCode([.payoutAmountMismatch: 1, .recordUnreadable: 1, .txnSuggestedMatch: 1]),
        diagnosticsBySeverity: bySeverity([.error: 2, .warning: 1]),
        currencies: [
            CurrencyTotals(currency: bhd, payoutCount: 1, payoutAmountTotal: -1500, inboundTotal: 0, outboundTotal: 1500,
                           outboundByType: [TypeTotal(type: "refund", total: 1500)]),
            CurrencyTotals(currency: jpy, payoutCount: 1, payoutAmountTotal: 1500, inboundTotal: 1500, outboundTotal: 0,
                           outboundByType: []),
            CurrencyTotals(currency: usd, payoutCount: 1, payoutAmountTotal: 147_500, inboundTotal: 150_000,
                           outboundTotal: nil, outboundByType: [TypeTotal(type: "fee", total: nil)]),
        ])
    return ReconciliationResult(window: window, payouts: payouts, invoices: invoices, paymentRequests: requests,
                                diagnostics: diagnostics, summary: summary)
}()

/// The file of that name, or an empty one so that the test's exact comparison fails visibly.
func file(_ name: String, in files: [ReportFile]) -> ReportFile {
    files.first { $0.name == name } ?? ReportFile(name: "missing \(name)", bytes: [], rowCount: -1)
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// CSV rows joined by CRLF, with the final CRLF.
func crlf(_ lines: String...) -> String { lines.map { $0 + "\r\n" }.joined() }

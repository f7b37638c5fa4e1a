import Foundation
import APModels
import Reconciliation
import Reports

// Results for the report.html tests.

/// One payout whose every API string tries to break out of HTML: a script tag, both quotes,
/// `&`, an attribute breaker, and unicode that must pass through untouched.
let hostileResult: ReconciliationResult = {
    let payout = Payout(id: #"<script>alert("po")</script>"#, status: .other("a&b"), amount: money(1000, usd),
                        createdAt: ts("2024-01-10T08:00:00Z"))
    let line = PayoutTransaction(id: #"t"><img src=x onerror=alert(1)>"#, status: .succeeded, amount: money(1000, usd),
                                 type: .payment, direction: .inbound, invoiceID: "inv_'1'",
                                 customerID: #"O'Brien & "Söhne" 日本語 🙂"#)
    let diagnostic = Diagnostic(code: .txnUnlinked, message: #"Line </td><script>x()</script> & 'quoted' "text" é"#,
                                payoutID: payout.id, transactionID: line.id, expected: 1000, actual: 900, currency: usd)
    let summary = Summary(
        payoutCount: 1, lineCount: 1, linesByRule: byRule([.payoutLink: 1]),
        diagnosticsByCode: byCode([.txnUnlinked: 1]), diagnosticsBySeverity: bySeverity([.warning: 1]),
        currencies: [CurrencyTotals(currency: usd, payoutCount: 1, payoutAmountTotal: 1000, inboundTotal: 1000,
                                    outboundTotal: 0, outboundByType: [])])
    return ReconciliationResult(
        window: window,
        payouts: [PayoutResult(payout: payout, lines: [
            PayoutLineResult(position: 0, line: .record(line), match: .payoutLink, invoiceID: "inv_'1'",
                             paymentRequestID: nil, countedInAmount: true, firstSeenInPayoutID: nil),
        ], computedAmount: 1000, difference: 0, diagnosticCount: 1)],
        invoices: [], paymentRequests: [], diagnostics: [diagnostic], summary: summary)
}()

/// `count` diagnostics: `unlinked` TXN_UNLINKED warnings, the rest PAYOUT_AMOUNT_MISMATCH errors,
/// over 100 USD payouts, in the documented order.
func manyDiagnostics(_ count: Int, unlinked: Int) -> ReconciliationResult {
    var payouts: [PayoutResult] = []
    for i in 0..<100 {
        let p = Payout(id: "po_\(1000 + i)", status: .succeeded, amount: money(Int64(10_000 + i), usd),
                       createdAt: ts("2024-01-10").adding(seconds: Int64(i) * 600))
        payouts.append(PayoutResult(payout: p, lines: [], computedAmount: 0, difference: Int64(10_000 + i),
                                    diagnosticCount: count / 100))
    }
    var diagnostics: [Diagnostic] = []
    for i in 0..<count {
        let payout = "po_\(1000 + i % 100)"
        if i < unlinked {
            diagnostics.append(Diagnostic(code: .txnUnlinked, message: "Transaction txn_\(i) links to nothing.",
                                          payoutID: payout, transactionID: "txn_\(100_000 + i)"))
        } else {
            diagnostics.append(Diagnostic(code: .payoutAmountMismatch, message: "Payout \(payout) does not add up (\(i)).",
                                          payoutID: payout, transactionID: "txn_\(100_000 + i)",
                                          expected: 0, actual: Int64(i), currency: usd))
        }
    }
    diagnostics.sort(by: Diagnostic.precedes)
    let errors = count - unlinked
    let summary = Summary(
        payoutCount: 100, lineCount: 0, linesByRule: byRule([:]),
        diagnosticsByCode: byCode([.txnUnlinked: unlinked, .payoutAmountMismatch: errors]),
        diagnosticsBySeverity: bySeverity([.error: errors, .warning: unlinked]),
        currencies: [CurrencyTotals(currency: usd, payoutCount: 100, payoutAmountTotal: 1_004_950, inboundTotal: 0,
                                    outboundTotal: 0, outboundByType: [])])
    return ReconciliationResult(window: window, payouts: payouts, invoices: [], paymentRequests: [],
                                diagnostics: diagnostics, summary: summary)
}

func html(_ result: ReconciliationResult, run: RunInfo = run) -> String {
    text(HTMLReport.render(result, run: run).bytes)
}

/// How many times `needle` occurs in `haystack` (non-overlapping).
func occurrences(of needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}

import APModels
import Reconciliation
import Testing

/// One payout whose lines all balance it, so only settlement diagnostics remain.
func balancedPayout(_ lines: [Fetched<PayoutTransaction>], currency: Currency = usd) -> (Fetched<Payout>, [String: [Fetched<PayoutTransaction>]]) {
    var total: Int64 = 0
    for case .record(let l) in lines {
        total += l.effectiveDirection == .outbound ? -l.amount.minorUnits : l.amount.minorUnits
    }
    return (payout("po_1", total, currency), ["po_1": lines])
}

@Suite("Invoice and payment request diagnostics")
struct SettlementDiagnosticsTests {
    @Test func duplicatePaymentReplacesOverpaid() throws {
        let (p, lines) = balancedPayout([line("tx_2", 1_000, invoice: "inv_1"), line("tx_1", 1_000, invoice: "inv_1")])
        let result = reconcile(ReconciliationInput(window: window, payouts: [p], payoutLines: lines,
                                                   invoices: ["inv_1": found(invoice("inv_1", 1_000))]))
        #expect(result.diagnostics.map(D.init) == [
            D(.invoiceDuplicatePayment, invoice: "inv_1", expected: 1_000, actual: 2_000, delta: 1_000, currency: usd),
        ])
        #expect(result.diagnostics.first?.message == "Invoice inv_1 of 10.00 USD was paid in full 2 times (tx_1, tx_2); "
            + "refund the extra payments or apply them elsewhere.")
        #expect(result.invoices.first?.state == .oversettled)
        #expect(result.invoices.first?.settledPaymentCount == 2)
    }

    @Test func overpaidWhateverTheStatus() {
        let (p, lines) = balancedPayout([
            line("tx_1", 600, invoice: "inv_1"), line("tx_2", 600, invoice: "inv_1"),
            line("tx_3", 900, invoice: "inv_2"), line("tx_4", 200, invoice: "inv_2"),
        ])
        let input = ReconciliationInput(window: window, payouts: [p], payoutLines: lines,
                                        invoices: ["inv_1": found(invoice("inv_1", 1_000)),
                                                   "inv_2": found(invoice("inv_2", 1_000, .open))])
        #expect(diagnostics(input) == [
            D(.invoiceOverpaid, invoice: "inv_1", expected: 1_000, actual: 1_200, delta: 200, currency: usd),
            D(.invoiceOverpaid, invoice: "inv_2", expected: 1_000, actual: 1_100, delta: 100, currency: usd),
        ])
    }

    @Test func underpaidPaidInvoice() {
        let (p, lines) = balancedPayout([line("tx_1", 600, invoice: "inv_1")])
        let result = reconcile(ReconciliationInput(window: window, payouts: [p], payoutLines: lines,
                                                   invoices: ["inv_1": found(invoice("inv_1", 1_000))]))
        #expect(result.diagnostics.map(D.init) == [
            D(.invoiceUnderpaid, invoice: "inv_1", expected: 1_000, actual: 600, delta: -400, currency: usd),
        ])
        #expect(result.diagnostics.first?.message == "Invoice inv_1 is marked PAID but only 6.00 USD of 10.00 USD was "
            + "settled; 4.00 USD is missing, so collect the rest or correct the status.")
    }

    @Test func refundsAndChargebacksReduceNetSettled() {
        let (p, lines) = balancedPayout([
            line("tx_1", 1_000, invoice: "inv_1"),
            line("tx_r", 300, .refund, invoice: "inv_1"),
            line("tx_cb", 100, .chargeback, invoice: "inv_1"),
            line("tx_rf", 50, .refund, status: .failed, invoice: "inv_1"), // not succeeded: does not count
        ])
        let result = reconcile(ReconciliationInput(window: window, payouts: [p], payoutLines: lines,
                                                   invoices: ["inv_1": found(invoice("inv_1", 1_000))]))
        #expect(result.diagnostics.map(D.init) == [
            D(.invoiceUnderpaid, invoice: "inv_1", expected: 1_000, actual: 600, delta: -400, currency: usd),
            D(.txnNotSucceeded, payout: "po_1", txn: "tx_rf"),
        ])
    }

    @Test func paidWithoutPaymentAndScopeOfPaidInvoices() {
        let input = ReconciliationInput(
            window: window,
            payments: [payment("tx_f", 1_000, status: .failed, invoice: "inv_1")],
            paidInvoicesInWindow: [
                invoice("inv_1", 1_000),
                invoice("inv_old", 1_000, created: "2024-01-09T10:00:00Z"), // outside the window
                invoice("inv_open", 1_000, .open),                            // not PAID
                invoice("inv_nodate", 2_000, created: nil),                   // trusted to the API filter
            ])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.invoicePaidWithoutPayment, invoice: "inv_1", expected: 1_000, actual: 0, delta: -1_000, currency: usd),
            D(.invoicePaidWithoutPayment, invoice: "inv_nodate", expected: 2_000, actual: 0, delta: -2_000, currency: usd),
        ])
        #expect(result.invoices.map(\.invoice.id) == ["inv_1", "inv_nodate"])
    }

    @Test func paymentInPaymentsListButNotPaidOut() {
        let input = ReconciliationInput(
            window: window,
            payments: [payment("tx_9", 1_000, invoice: "inv_1"), payment("tx_9", 1_000, invoice: "inv_1")],
            paidInvoicesInWindow: [invoice("inv_1", 1_000)])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [D(.invoicePaymentNotPaidOut, invoice: "inv_1")])
        #expect(result.diagnostics.first?.severity == .info)
        #expect(result.invoices.first?.netSettled == 1_000)
        #expect(result.invoices.first?.settledPaymentIDs == ["tx_9"])
    }

    @Test func partiallyPaidOpenInvoice() {
        let (p, lines) = balancedPayout([line("tx_1", 400, invoice: "inv_1")])
        let result = reconcile(ReconciliationInput(window: window, payouts: [p], payoutLines: lines,
                                                   invoices: ["inv_1": found(invoice("inv_1", 1_000, .open))]))
        #expect(result.diagnostics.map(D.init) == [
            D(.invoicePartiallyPaid, invoice: "inv_1", expected: 1_000, actual: 400, delta: -600, currency: usd),
        ])
        #expect(result.invoices.first?.state == .partiallySettled)
    }

    @Test func statusStaleOverdueInvoice() {
        let (p, lines) = balancedPayout([line("tx_1", 1_000, invoice: "inv_1")])
        let result = reconcile(ReconciliationInput(window: window, payouts: [p], payoutLines: lines,
                                                   invoices: ["inv_1": found(invoice("inv_1", 1_000, .overdue))]))
        #expect(result.diagnostics.map(D.init) == [
            D(.invoiceStatusStale, invoice: "inv_1", expected: 1_000, actual: 1_000, delta: 0, currency: usd),
        ])
        #expect(result.diagnostics.first?.message
            == "Invoice inv_1 is still OVERDUE although its 10.00 USD has been settled in full; mark it PAID.")
    }

    @Test func lineItemsMismatch() {
        let items = [InvoiceLineItem(description: "a", amount: 300, quantity: 2),
                     InvoiceLineItem(description: "b", amount: 350, quantity: 1)]
        let fine = [InvoiceLineItem(description: "c", amount: 250, quantity: 4)]
        let input = ReconciliationInput(
            window: window,
            paidInvoicesInWindow: [invoice("inv_1", 1_000, items: items), invoice("inv_2", 1_000, items: fine),
                                   invoice("inv_3", 1_000, items: [])])
        let found = diagnostics(input).filter { $0.code == .invoiceLineItemsMismatch }
        #expect(found == [
            D(.invoiceLineItemsMismatch, invoice: "inv_1", expected: 950, actual: 1_000, delta: 50, currency: usd),
        ])
    }

    @Test func paymentRequestStatusStale() {
        let (p, lines) = balancedPayout([line("tx_1", 5_000, request: "pr_1")])
        let input = ReconciliationInput(window: window, payouts: [p], payoutLines: lines,
                                        paymentRequests: ["pr_1": request("pr_1", 5_000, .pending)])
        #expect(diagnostics(input) == [
            D(.paymentRequestStatusStale, request: "pr_1", expected: 5_000, actual: 5_000, delta: 0, currency: usd),
        ])
    }

    @Test func paymentRequestPaidWithoutPayment() {
        let input = ReconciliationInput(
            window: window,
            payments: [payment("tx_1", 5_000, .payment, eur, request: "pr_1")], // other currency: not settled
            paymentRequests: ["pr_1": request("pr_1", 5_000), "pr_2": request("pr_2", 100, .pending),
                              "pr_3": request("pr_3", 100)],
            expectedPaymentRequestIDs: ["pr_1", "pr_2", "pr_1", "pr_missing"])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.paymentRequestPaidWithoutPayment, request: "pr_1", expected: 5_000, actual: 0, delta: -5_000, currency: usd),
            D(.txnCurrencyMismatch, txn: "tx_1", request: "pr_1", currency: eur),
        ])
        // pr_3 is neither linked nor expected: out of scope
        #expect(result.paymentRequests.map(\.paymentRequest.id) == ["pr_1", "pr_2"])
    }
}

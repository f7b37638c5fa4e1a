import APModels
import Reconciliation
import Testing

@Suite("Payout diagnostics")
struct PayoutDiagnosticsTests {
    @Test func cleanDatasetHasNoDiagnostics() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 150_000)],
            payoutLines: ["po_1": [
                line("tx_1", 105_000, invoice: "inv_1", customer: "cus_1"),
                line("tx_2", 50_000, request: "pr_1"),
                line("tx_f", 5_000, .fee),
            ]],
            payments: [payment("tx_1", 105_000, invoice: "inv_1")],
            invoices: ["inv_1": found(invoice("inv_1", 105_000, customer: "cus_1"))],
            paymentRequests: ["pr_1": request("pr_1", 50_000)],
            paidInvoicesInWindow: [invoice("inv_1", 105_000, customer: "cus_1")],
            candidateInvoices: [invoice("inv_9", 105_000, .open, customer: "cus_1")],
            expectedPaymentRequestIDs: ["pr_1"])
        let result = reconcile(input)
        #expect(result.diagnostics.isEmpty)
        #expect(result.payouts.count == 1)
        #expect(result.payouts.first?.computedAmount == 150_000)
        #expect(result.payouts.first?.difference == 0)
        #expect(result.payouts.first?.lines.map(\.match) == [.payoutLink, .payoutLink, .notApplicable])
        #expect(result.invoices.map(\.invoice.id) == ["inv_1"])
        #expect(result.invoices.first?.netSettled == 105_000)
        #expect(result.invoices.first?.state == .settled)
        #expect(result.paymentRequests.map(\.paymentRequest.id) == ["pr_1"])
        #expect(result.paymentRequests.first?.settledPaymentIDs == ["tx_2"])
        #expect(result.paymentRequests.first?.expected == true)
    }

    @Test func payoutAmountMismatch() throws {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_123", 150_000)],
            payoutLines: ["po_123": [line("tx_1", 145_000, invoice: "inv_1")]],
            invoices: ["inv_1": found(invoice("inv_1", 145_000))])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.payoutAmountMismatch, payout: "po_123", expected: 145_000, actual: 150_000, delta: 5_000, currency: usd),
        ])
        let d = try #require(result.diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.message == "Payout po_123 is 1500.00 USD but its transactions add up to 1450.00 USD; "
            + "the difference is 50.00 USD. Ask the provider for the missing or extra lines.")
        #expect(d.fingerprint == "PAYOUT_AMOUNT_MISMATCH|po_123|||")
        #expect(result.payouts.first?.difference == 5_000)
        #expect(result.payouts.first?.diagnosticCount == 1)
    }

    @Test func payoutCurrencyMismatchLeavesTheLineOutOfTheSum() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 10_000)],
            payoutLines: ["po_1": [line("tx_1", 10_000, .payment, eur, invoice: "inv_1")]],
            invoices: ["inv_1": found(invoice("inv_1", 10_000, .paid, eur))])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.payoutAmountMismatch, payout: "po_1", expected: 0, actual: 10_000, delta: 10_000, currency: usd),
            D(.payoutCurrencyMismatch, payout: "po_1", txn: "tx_1", currency: eur),
        ])
        #expect(result.payouts.first?.lines.first?.countedInAmount == false)
        // the EUR payment still settles the EUR invoice
        #expect(result.invoices.first?.netSettled == 10_000)
    }

    @Test func payoutEmptyReplacesAmountMismatch() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 5_000), payout("po_zero", 0), payout("po_2", 700)],
            payoutLines: ["po_2": []])
        #expect(diagnostics(input) == [
            D(.payoutEmpty, payout: "po_1", expected: 0, actual: 5_000, delta: 5_000, currency: usd),
            D(.payoutEmpty, payout: "po_2", expected: 0, actual: 700, delta: 700, currency: usd),
        ])
    }

    @Test func payoutFailedOrCanceled() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_f", 0, status: PayoutStatus("FAILED")), payout("po_c", 0, status: .canceled),
                      payout("po_p", 0, status: .pending), payout("po_t", 0, status: .inTransit)])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [D(.payoutFailed, payout: "po_c"), D(.payoutFailed, payout: "po_f")])
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning })
    }

    @Test func txnNotSucceededIncludesFees() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 10_000)],
            payoutLines: ["po_1": [
                line("tx_1", 10_100, invoice: "inv_1"),
                line("tx_f", 100, .fee, status: .pending),
            ]],
            invoices: ["inv_1": found(invoice("inv_1", 10_100))])
        #expect(diagnostics(input) == [D(.txnNotSucceeded, payout: "po_1", txn: "tx_f")])
    }

    @Test func txnInMultiplePayoutsCountsOnceForSettlement() {
        let lines: [String: [Fetched<PayoutTransaction>]] = [
            "po_a": [line("tx_1", 10_000, invoice: "inv_1")],
            "po_b": [line("tx_1", 10_000, invoice: "inv_1")],
            "po_c": [line("tx_1", 10_000, invoice: "inv_1")],
        ]
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_c", 10_000, at: "2024-01-10T12:00:00Z"), payout("po_a", 10_000, at: "2024-01-10T10:00:00Z"),
                      payout("po_b", 10_000, at: "2024-01-10T11:00:00Z")],
            payoutLines: lines,
            invoices: ["inv_1": found(invoice("inv_1", 10_000))])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.txnInMultiplePayouts, payout: "po_b", txn: "tx_1"),
            D(.txnInMultiplePayouts, payout: "po_c", txn: "tx_1"),
        ])
        #expect(result.payouts.map(\.payout.id) == ["po_a", "po_b", "po_c"])
        #expect(result.payouts.map { $0.lines.first?.firstSeenInPayoutID } == [nil, "po_a", "po_a"])
        #expect(result.payouts.map(\.computedAmount) == [10_000, 10_000, 10_000])
        #expect(result.invoices.first?.netSettled == 10_000)
        #expect(result.invoices.first?.settledPaymentIDs == ["tx_1"])
        #expect(result.diagnostics.first?.message == "Transaction tx_1 is in payout po_b and already in payout po_a; "
            + "it counts once for settlement, so ask the provider which payout it belongs to.")
    }

    @Test func windowIsHalfOpenAndDuplicatePayoutsCountOnce() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_start", 1, at: "2024-01-10T00:00:00Z"), payout("po_end", 1, at: "2024-01-11T00:00:00Z"),
                      payout("po_before", 1, at: "2024-01-09T23:59:59.999Z"), payout("po_start", 1, at: "2024-01-10T00:00:00Z")],
            payoutLines: ["po_start": [line("tx_1", 1, .adjustment, direction: .inbound)],
                          "po_end": [line("tx_2", 5, .adjustment, direction: .inbound)]])
        let result = reconcile(input)
        #expect(result.payouts.map(\.payout.id) == ["po_start"])
        #expect(result.diagnostics.isEmpty)
        #expect(result.summary.lineCount == 1)
    }
}

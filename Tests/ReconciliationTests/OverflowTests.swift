import APModels
import Reconciliation
import Testing

@Suite("Amounts near the Int64 limits")
struct OverflowTests {
    @Test func payoutSumOverflowIsReportedNotTrapped() {
        let max = Int64.max
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", max, at: "2024-01-10T01:00:00Z"), payout("po_2", max, at: "2024-01-10T02:00:00Z")],
            payoutLines: [
                "po_1": [line("tx_1", max, .adjustment, direction: .inbound),
                         line("tx_2", max, .adjustment, direction: .inbound)],
                // passes Int64.max halfway and comes back: exact, no overflow
                "po_2": [line("tx_3", max, .adjustment, direction: .inbound),
                         line("tx_4", max, .adjustment, direction: .inbound),
                         line("tx_5", max, .adjustment, direction: .outbound)],
            ])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.amountOverflow, currency: usd),
            D(.amountOverflow, currency: usd),
            D(.amountOverflow, payout: "po_1", currency: usd),
        ])
        #expect(result.diagnostics.map(\.fingerprint) == [
            "AMOUNT_OVERFLOW|||||summary:inbound amounts:USD",
            "AMOUNT_OVERFLOW|||||summary:payout amounts:USD",
            "AMOUNT_OVERFLOW|po_1||||payout_transactions",
        ])
        #expect(result.diagnostics.first?.severity == .error)
        #expect(result.payouts.map(\.computedAmount) == [nil, max])
        #expect(result.payouts.map(\.difference) == [nil, 0])
        let totals = result.summary.currencies.first
        #expect(totals?.payoutAmountTotal == nil)
        #expect(totals?.inboundTotal == nil)
        #expect(totals?.outboundTotal == max)
        #expect(totals?.outboundByType == [TypeTotal(type: "adjustment", total: max)])
        #expect(result.diagnostics[2].message == "The sum of the transactions of payout po_1 does not fit in 64-bit "
            + "minor units, so it could not be checked; the records carry impossible amounts, ask the provider to correct them.")
    }

    @Test func differenceThatDoesNotFitHasNoDelta() throws {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", Int64.min)],
            payoutLines: ["po_1": [line("tx_1", 1, .adjustment, direction: .inbound)]])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.payoutAmountMismatch, payout: "po_1", expected: 1, actual: Int64.min, delta: nil, currency: usd),
        ])
        let d = try #require(result.diagnostics.first)
        #expect(d.message == "Payout po_1 is -92233720368547758.08 USD but its transactions add up to 0.01 USD; "
            + "the difference is too large to compute. Ask the provider for the missing or extra lines.")
        #expect(result.payouts.first?.difference == nil)
    }

    @Test func invoiceSumsOverflow() {
        let max = Int64.max
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 0)],
            payoutLines: ["po_1": [line("tx_a", max, invoice: "inv_big"), line("tx_b", max, .refund, invoice: "inv_x")]],
            payments: [payment("tx_c", max, invoice: "inv_big")],
            invoices: ["inv_big": found(invoice("inv_big", max)), "inv_x": found(invoice("inv_x", max, .open))],
            paidInvoicesInWindow: [invoice("inv_li", 1, items: [InvoiceLineItem(description: nil, amount: max, quantity: 2)]),
                                   invoice("inv_li2", 1, items: [InvoiceLineItem(description: nil, amount: max, quantity: 1),
                                                                  InvoiceLineItem(description: nil, amount: 1, quantity: 1)])])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.amountOverflow, invoice: "inv_big", currency: usd),
            D(.amountOverflow, invoice: "inv_li", currency: usd),
            D(.amountOverflow, invoice: "inv_li2", currency: usd),
            D(.invoiceDuplicatePayment, invoice: "inv_big", expected: max, actual: nil, currency: usd),
            D(.invoicePaidWithoutPayment, invoice: "inv_li", expected: 1, actual: 0, delta: -1, currency: usd),
            D(.invoicePaidWithoutPayment, invoice: "inv_li2", expected: 1, actual: 0, delta: -1, currency: usd),
            D(.refundWithoutPayment, txn: "tx_b", invoice: "inv_x", actual: max, currency: usd),
            D(.invoicePaymentNotPaidOut, invoice: "inv_big"),
        ])
        #expect(result.invoices.first { $0.invoice.id == "inv_big" }?.state == .unknown)
        #expect(result.invoices.first { $0.invoice.id == "inv_x" }?.netSettled == -max)
    }
}

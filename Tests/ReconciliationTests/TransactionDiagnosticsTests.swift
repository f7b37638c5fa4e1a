import APModels
import Reconciliation
import Testing

@Suite("Transaction diagnostics and matching")
struct TransactionDiagnosticsTests {
    @Test func txnUnlinkedOnlyForPaymentsAndRefunds() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 1_450)],
            payoutLines: ["po_1": [
                line("tx_1", 2_500),
                line("tx_c", 500, .chargeback),
                line("tx_r", 500, .refund),
                line("tx_f", 50, .fee),
            ]],
            payments: [payment("tx_1", 2_500)], // known to GET /payments, still without a link
            candidateInvoices: [invoice("inv_a", 2_600, .open)])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.txnUnlinked, payout: "po_1", txn: "tx_1", actual: 2_500, currency: usd),
            D(.txnUnlinked, payout: "po_1", txn: "tx_r", actual: 500, currency: usd),
        ])
        #expect(result.payouts.first?.lines.map(\.match) == [.unmatched, .unmatched, .unmatched, .notApplicable])
        #expect(result.diagnostics.first?.severity == .warning)
        #expect(result.diagnostics.first?.message == "Payment tx_1 of 25.00 USD in payout po_1 links to no invoice or "
            + "payment request and no open invoice has that amount; find what it pays and record it by hand.")
    }

    @Test func txnSuggestedMatchUsesCurrencyAmountAndCustomer() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 2_500)],
            payoutLines: ["po_1": [line("tx_1", 2_500)]],
            // the customer is learned from GET /payments
            payments: [payment("tx_1", 2_500, customer: "cus_1")],
            candidateInvoices: [
                invoice("inv_a", 2_500, .open, customer: "cus_1"),
                invoice("inv_b", 2_500, .open, customer: "cus_2"),
                invoice("inv_c", 2_500, .paid, customer: "cus_1"),
                invoice("inv_d", 2_500, .open, eur, customer: "cus_1"),
                invoice("inv_e", 2_501, .overdue, customer: "cus_1"),
                invoice("inv_f", 2_500, .open),
            ])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.txnSuggestedMatch, payout: "po_1", txn: "tx_1", actual: 2_500, currency: usd, candidates: ["inv_a"]),
        ])
        #expect(result.payouts.first?.lines.first?.match == .suggested(["inv_a"]))
        #expect(result.payouts.first?.lines.first?.invoiceID == nil)
        // a candidate is never a settlement: the invoice is not even touched
        #expect(result.invoices.isEmpty)
    }

    @Test func txnAmbiguousMatchNamesEveryCandidateSorted() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 2_500)],
            payoutLines: ["po_1": [line("tx_1", 2_500)]],
            candidateInvoices: [
                invoice("inv_b", 2_500, .open, customer: "cus_2"),
                invoice("inv_a", 2_500, .open, customer: "cus_1"),
                invoice("inv_c", 2_500, InvoiceStatus("overdue")),
                invoice("inv_a", 2_500, .open, customer: "cus_1"), // listed twice
            ])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.txnAmbiguousMatch, payout: "po_1", txn: "tx_1", actual: 2_500, currency: usd,
              candidates: ["inv_a", "inv_b", "inv_c"]),
        ])
        #expect(result.payouts.first?.lines.first?.match == .ambiguous(["inv_a", "inv_b", "inv_c"]))
    }

    @Test func linkFromPaymentsLookupIsUsed() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 3_000)],
            payoutLines: ["po_1": [line("tx_1", 3_000)]],
            payments: [payment("tx_1", 3_000, invoice: "inv_1")],
            invoices: ["inv_1": found(invoice("inv_1", 3_000))])
        let result = reconcile(input)
        #expect(result.diagnostics.isEmpty)
        #expect(result.payouts.first?.lines.first?.match == .paymentsLookup)
        #expect(result.payouts.first?.lines.first?.invoiceID == "inv_1")
        #expect(result.invoices.first?.settledPaymentIDs == ["tx_1"])
    }

    @Test func txnInvoiceNotFound() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 1_000)],
            payoutLines: ["po_1": [line("tx_1", 1_000, invoice: "inv_x")]],
            invoices: ["inv_x": .notFound])
        #expect(diagnostics(input) == [D(.txnInvoiceNotFound, payout: "po_1", txn: "tx_1", invoice: "inv_x")])
    }

    @Test func txnPaymentRequestNotFound() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 1_000)],
            payoutLines: ["po_1": [line("tx_1", 1_000, request: "pr_x")]],
            paymentRequests: ["pr_x": .notFound])
        #expect(diagnostics(input) == [D(.txnPaymentRequestNotFound, payout: "po_1", txn: "tx_1", request: "pr_x")])
    }

    @Test func txnCurrencyMismatchForInvoiceAndRequest() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 20_000, eur)],
            payoutLines: ["po_1": [
                line("tx_1", 10_000, .payment, eur, invoice: "inv_1"),
                line("tx_2", 10_000, .payment, eur, request: "pr_1"),
            ]],
            invoices: ["inv_1": found(invoice("inv_1", 10_000, .open, usd))],
            paymentRequests: ["pr_1": request("pr_1", 10_000, .pending, gbp)])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.txnCurrencyMismatch, txn: "tx_1", invoice: "inv_1", currency: eur),
            D(.txnCurrencyMismatch, txn: "tx_2", request: "pr_1", currency: eur),
        ])
        #expect(result.invoices.first?.netSettled == 0)
        #expect(result.invoices.first?.state == .unsettled)
    }

    @Test func txnAmountMismatchAgainstPaymentRequest() throws {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 4_900)],
            payoutLines: ["po_1": [line("tx_1", 4_900, request: "pr_1")]],
            paymentRequests: ["pr_1": request("pr_1", 5_000)])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.txnAmountMismatch, txn: "tx_1", request: "pr_1", expected: 5_000, actual: 4_900, delta: -100, currency: usd),
        ])
        let d = try #require(result.diagnostics.first)
        #expect(d.message == "Payment tx_1 is 49.00 USD but payment request pr_1 asks for 50.00 USD; "
            + "the difference is -1.00 USD. Check whether the customer paid the right amount.")
        #expect(result.paymentRequests.first?.settledPaymentIDs == ["tx_1"])
        #expect(result.paymentRequests.first?.state == .partiallySettled)
    }

    @Test func refundWithoutPaymentForInvoiceAndRequest() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 3_500)],
            payoutLines: ["po_1": [
                line("tx_p", 5_000, invoice: "inv_2"),
                line("tx_r", 1_000, .refund, invoice: "inv_1"),
                line("tx_r2", 500, .refund, request: "pr_1"),
            ]],
            invoices: ["inv_1": found(invoice("inv_1", 5_000, .open)), "inv_2": found(invoice("inv_2", 5_000))],
            paymentRequests: ["pr_1": request("pr_1", 500, .pending)])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.refundWithoutPayment, txn: "tx_r", invoice: "inv_1", actual: 1_000, currency: usd),
            D(.refundWithoutPayment, txn: "tx_r2", request: "pr_1", actual: 500, currency: usd),
        ])
        #expect(result.invoices.map(\.netSettled) == [-1_000, 5_000])
    }

    @Test func recordUnreadableOncePerRecordWithRawJSON() {
        let badPayment = "{\"amount\":\"12.5\",\"currency\":\"USD\",\"id\":\"tx_bad\",\"status\":\"succeeded\"}"
        let badLine = "{\"amount\":100,\"id\":\"tx_nocur\",\"status\":\"succeeded\",\"type\":\"payment\"}"
        let input = ReconciliationInput(
            window: window,
            payouts: [
                payout("po_1", 1_000),
                unreadable("GET /payouts", id: "po_bad", raw: "{\"id\":\"po_bad\"}", reason: "field \"amount\": missing"),
            ],
            payoutLines: ["po_1": [
                line("tx_1", 1_000, invoice: "inv_1"),
                unreadable("GET /payouts/{id}/transactions", id: "tx_nocur", raw: badLine,
                           reason: "field \"currency\": missing"),
                line("tx_adj", 50, .adjustment),
            ]],
            payments: [
                unreadable("GET /payments", id: "tx_bad", raw: badPayment,
                           reason: "field \"amount\": amount \"12.5\" is not a whole number of minor units"),
                unreadable("GET /payments", id: "tx_bad", raw: badPayment,
                           reason: "field \"amount\": amount \"12.5\" is not a whole number of minor units"),
            ],
            invoices: ["inv_1": found(invoice("inv_1", 1_000)),
                       "inv_bad": .found(unreadable("GET /invoices/{id}", id: "inv_bad", raw: "{}",
                                                    reason: "field \"id\": missing"))],
            candidateInvoices: [unreadable("GET /invoices", id: nil, raw: "{\"amount\":1}", reason: "field \"id\": missing")])
        let result = reconcile(input)
        #expect(result.diagnostics.map(D.init) == [
            D(.recordUnreadable),
            D(.recordUnreadable, invoice: "inv_bad"),
            D(.recordUnreadable, txn: "tx_bad"),
            D(.recordUnreadable, payout: "po_1", txn: "tx_adj"),
            D(.recordUnreadable, payout: "po_1", txn: "tx_nocur"),
            D(.recordUnreadable, payout: "po_bad"),
        ])
        #expect(result.diagnostics.map(\.endpoint) == [
            "GET /invoices", "GET /invoices/{id}", "GET /payments", "GET /payouts/{id}/transactions",
            "GET /payouts/{id}/transactions", "GET /payouts",
        ])
        #expect(result.diagnostics[4].rawJSON == badLine)
        #expect(result.diagnostics[2].reason == "field \"amount\": amount \"12.5\" is not a whole number of minor units")
        // the direction-less adjustment is kept as the JSON of what was decoded
        #expect(result.diagnostics[3].rawJSON
            == "{\"amount\":50,\"currency\":\"USD\",\"id\":\"tx_adj\",\"status\":\"succeeded\",\"type\":\"adjustment\"}")
        #expect(result.diagnostics[3].reason == "field \"direction\": missing, and type \"adjustment\" implies none, "
            + "so the line cannot be added to or subtracted from the payout")
        #expect(result.diagnostics[2].message == "A record from GET /payments (id tx_bad) could not be used: field "
            + "\"amount\": amount \"12.5\" is not a whole number of minor units. It was left out of the reconciliation; "
            + "ask the provider to correct it.")
        #expect(result.diagnostics[0].fingerprint == "RECORD_UNREADABLE|||||GET /invoices|"
            + Self.fnv1a("{\"amount\":1}"))
        #expect(result.diagnostics[5].fingerprint == "RECORD_UNREADABLE|po_bad||||GET /payouts")
        // the engine names the endpoint as APClient does (the template), so a line the client could not
        // decode and a line the engine cannot sum share one endpoint in the reports
        #expect(result.diagnostics[3].fingerprint == "RECORD_UNREADABLE|po_1|tx_adj|||GET /payouts/{id}/transactions")
        #expect(result.diagnostics.allSatisfy { $0.severity == .error })
        // the equation left both unusable lines out and still balances
        #expect(result.payouts.first?.computedAmount == 1_000)
        #expect(result.payouts.first?.lines.map(\.match) == [.payoutLink, .unreadable, .notApplicable])
        #expect(result.payouts.first?.lines.map(\.countedInAmount) == [true, false, false])
        #expect(result.payouts.first?.diagnosticCount == 2)
    }

    /// An independent FNV-1a so the test does not trust the code under test.
    static func fnv1a(_ s: String) -> String {
        var h: UInt64 = 14_695_981_039_346_656_037
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

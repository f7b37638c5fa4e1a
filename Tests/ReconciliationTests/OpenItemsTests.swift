import APModels
import Reconciliation
import Testing

/// OpenItems.compare: this run's diagnostics against the items the previous run left open.
@Suite struct OpenItemsTests {
    static let night1 = ts("2024-01-11T06:00:00Z")
    static let night2 = ts("2024-01-12T06:00:00Z")
    static let night5 = ts("2024-01-15T05:59:59Z")

    /// A result that looked at `payouts`, `invoices` and `requests` and found `diagnostics`.
    func result(payouts: [String] = [], invoices: [String] = [], requests: [String] = [],
                _ diagnostics: [Diagnostic]) -> ReconciliationResult {
        ReconciliationResult(
            window: window,
            payouts: payouts.map { id in
                PayoutResult(payout: Payout(id: id, status: .succeeded, amount: Money(minorUnits: 0, currency: usd), createdAt: ts("2024-01-10T12:00:00Z")),
                             lines: [], computedAmount: 0, difference: 0, diagnosticCount: 0)
            },
            invoices: invoices.map { id in
                InvoiceResult(invoice: invoiceRecord(id, 100), netSettled: 0, settledPaymentIDs: [], state: .unsettled, diagnosticCount: 0)
            },
            paymentRequests: requests.map { id in
                PaymentRequestResult(paymentRequest: PaymentRequest(id: id, amount: Money(minorUnits: 100, currency: usd), status: .paid),
                                     netSettled: 0, settledPaymentIDs: [], state: .unsettled, expected: false, diagnosticCount: 0)
            },
            diagnostics: diagnostics,
            summary: Summary(payoutCount: payouts.count, lineCount: 0, linesByRule: [:], diagnosticsByCode: [:],
                             diagnosticsBySeverity: [:], currencies: []))
    }

    let mismatch1 = Diagnostic(code: .payoutAmountMismatch, message: "po_1 is 1.00 short", payoutID: "po_1",
                               expected: 1000, actual: 900, currency: usd)
    let mismatch1Later = Diagnostic(code: .payoutAmountMismatch, message: "po_1 is 2.00 short", payoutID: "po_1",
                                    expected: 1000, actual: 800, currency: usd)
    let unlinked2 = Diagnostic(code: .txnUnlinked, message: "t_2 pays nothing known", payoutID: "po_2", transactionID: "t_2")
    let paidNoPayment = Diagnostic(code: .invoicePaidWithoutPayment, message: "inv_7 is PAID with no payment", invoiceID: "inv_7")
    let requestStale = Diagnostic(code: .paymentRequestStatusStale, message: "pr_3 is stale", paymentRequestID: "pr_3")

    func fingerprints(_ items: [OpenItem]) -> [String] { items.map(\.fingerprint) }

    @Test
    func firstRunMakesEveryDiagnosticNewAndOpen() {
        let items = OpenItems.compare(previous: [], result: result(payouts: ["po_1", "po_2"], [mismatch1, unlinked2]), asOf: Self.night1)
        #expect(items.statusByFingerprint == ["PAYOUT_AMOUNT_MISMATCH|po_1|||": .new, "TXN_UNLINKED|po_2|t_2||": .new])
        #expect(fingerprints(items.openAfterRun) == ["PAYOUT_AMOUNT_MISMATCH|po_1|||", "TXN_UNLINKED|po_2|t_2||"])
        #expect(items.openAfterRun.allSatisfy { $0.firstSeen == Self.night1 && $0.lastSeen == Self.night1 })
        #expect(items.resolved.isEmpty)
        #expect((items.newCount, items.openCount, items.carriedCount, items.resolvedCount) == (2, 0, 0, 0))
        #expect(items.item(fingerprint: "TXN_UNLINKED|po_2|t_2||")?.transactionID == "t_2")
        #expect(items.item(fingerprint: "TXN_UNLINKED|po_9|t_2||") == nil)
    }

    @Test
    func secondRunKeepsFirstSeenResolvesWhatItReexaminedAndCarriesTheRest() throws {
        let first = OpenItems.compare(previous: [], result: result(payouts: ["po_1", "po_2"], invoices: ["inv_7"],
                                                                   [mismatch1, unlinked2, paidNoPayment]), asOf: Self.night1)
        // Night 2 looks at po_1 (still short, by a different amount) and po_3 (a new problem);
        // po_2 and inv_7 are outside its window.
        let newProblem = Diagnostic(code: .txnUnlinked, message: "t_5 pays nothing known", payoutID: "po_3", transactionID: "t_5")
        let second = OpenItems.compare(previous: first.openAfterRun,
                                       result: result(payouts: ["po_1", "po_3"], [mismatch1Later, newProblem]), asOf: Self.night2)
        #expect(second.statusByFingerprint == ["PAYOUT_AMOUNT_MISMATCH|po_1|||": .open, "TXN_UNLINKED|po_3|t_5||": .new])
        #expect(fingerprints(second.openAfterRun) == ["INVOICE_PAID_WITHOUT_PAYMENT|||inv_7|", "PAYOUT_AMOUNT_MISMATCH|po_1|||",
                                                      "TXN_UNLINKED|po_2|t_2||", "TXN_UNLINKED|po_3|t_5||"])
        #expect((second.newCount, second.openCount, second.carriedCount, second.resolvedCount) == (1, 1, 2, 0))
        let still = try #require(second.item(fingerprint: "PAYOUT_AMOUNT_MISMATCH|po_1|||"))
        #expect(still.firstSeen == Self.night1)
        #expect(still.lastSeen == Self.night2)
        #expect(still.message == "po_1 is 2.00 short")
        #expect(still.ageDays(asOf: Self.night2) == 1)
        // A carried item is kept exactly as the previous run left it.
        #expect(second.item(fingerprint: "TXN_UNLINKED|po_2|t_2||") == first.item(fingerprint: "TXN_UNLINKED|po_2|t_2||"))

        // Night 3 looks at po_1, po_2 and inv_7 again and finds nothing: those three are resolved.
        let third = OpenItems.compare(previous: second.openAfterRun,
                                      result: result(payouts: ["po_1", "po_2"], invoices: ["inv_7"], []), asOf: Self.night5)
        #expect(third.statusByFingerprint.isEmpty)
        #expect(fingerprints(third.resolved) == ["INVOICE_PAID_WITHOUT_PAYMENT|||inv_7|", "PAYOUT_AMOUNT_MISMATCH|po_1|||",
                                                 "TXN_UNLINKED|po_2|t_2||"])
        #expect(fingerprints(third.openAfterRun) == ["TXN_UNLINKED|po_3|t_5||"])
        #expect((third.newCount, third.openCount, third.carriedCount, third.resolvedCount) == (0, 0, 1, 3))
        // A resolved item is reported as it was last seen.
        #expect(third.resolved[1].lastSeen == Self.night2)
    }

    @Test
    func itemsWithoutAPayoutAreResolvedByTheirInvoiceOrPaymentRequest() {
        let previous = OpenItems.compare(previous: [], result: result(invoices: ["inv_7"], requests: ["pr_3"], [paidNoPayment, requestStale]),
                                         asOf: Self.night1).openAfterRun
        let onlyInvoice = OpenItems.compare(previous: previous, result: result(invoices: ["inv_7"], []), asOf: Self.night2)
        #expect(fingerprints(onlyInvoice.resolved) == ["INVOICE_PAID_WITHOUT_PAYMENT|||inv_7|"])
        #expect(fingerprints(onlyInvoice.openAfterRun) == ["PAYMENT_REQUEST_STATUS_STALE||||pr_3"])
        let onlyRequest = OpenItems.compare(previous: previous, result: result(requests: ["pr_3"], []), asOf: Self.night2)
        #expect(fingerprints(onlyRequest.resolved) == ["PAYMENT_REQUEST_STATUS_STALE||||pr_3"])
        #expect(onlyRequest.carriedCount == 1)
    }

    @Test
    func anItemWithNoIdIsResolvedByAnyRunThatNoLongerFindsIt() {
        let unreadable = Diagnostic(code: .recordUnreadable, message: "a payout could not be read", endpoint: "GET /payouts",
                                    rawJSON: #"{"amount":1.5}"#, reason: "missing id", fingerprintDetail: ["GET /payouts", "x"])
        let previous = OpenItems.compare(previous: [], result: result([unreadable]), asOf: Self.night1).openAfterRun
        let next = OpenItems.compare(previous: previous, result: result(payouts: ["po_8"], []), asOf: Self.night2)
        #expect(fingerprints(next.resolved) == ["RECORD_UNREADABLE|||||GET /payouts|x"])
        #expect(next.openAfterRun.isEmpty)
    }

    @Test
    func duplicatesAreCountedOnce() {
        let items = OpenItems.compare(previous: [], result: result(payouts: ["po_1"], [mismatch1, mismatch1Later]), asOf: Self.night1)
        #expect(items.newCount == 1)
        #expect(items.openAfterRun.count == 1)
        #expect(items.openAfterRun.first?.message == "po_1 is 1.00 short")
        // A state listing one fingerprint twice resolves it once.
        let twice = items.openAfterRun + items.openAfterRun
        let next = OpenItems.compare(previous: twice, result: result(payouts: ["po_1"], []), asOf: Self.night2)
        #expect(fingerprints(next.resolved) == ["PAYOUT_AMOUNT_MISMATCH|po_1|||"])
        #expect(next.resolvedCount == 1)
    }

    @Test
    func ageCountsWholeDaysAndNeverGoesNegative() {
        let item = OpenItem(fingerprint: "f", code: "PAYOUT_EMPTY", severity: .warning, firstSeen: Self.night1, lastSeen: Self.night1, message: "m")
        #expect(item.ageDays(asOf: Self.night1) == 0)
        #expect(item.ageDays(asOf: Self.night2) == 1)
        #expect(item.ageDays(asOf: Self.night5) == 3) // 3 days 23:59:59
        #expect(item.ageDays(asOf: ts("2024-01-01")) == 0)
    }

    @Test
    func firstSeenNeverMovesLaterWhenARunIsReplayedWithAnEarlierClock() {
        let previous = OpenItems.compare(previous: [], result: result(payouts: ["po_1"], [mismatch1]), asOf: Self.night2).openAfterRun
        let earlier = OpenItems.compare(previous: previous, result: result(payouts: ["po_1"], [mismatch1]), asOf: Self.night1)
        #expect(earlier.openAfterRun.first?.firstSeen == Self.night1)
    }
}

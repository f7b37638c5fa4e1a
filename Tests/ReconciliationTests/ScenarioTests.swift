import APModels
import Reconciliation
import Testing

/// A night with a bit of everything, used for the summary, order and fingerprint tests.
/// `scale` multiplies every amount so fingerprints can be compared across different numbers.
func mixedScenario(scale: Int64 = 1) -> ReconciliationInput {
    let s = scale
    return ReconciliationInput(
        window: window,
        payouts: [
            payout("po_2", 10_000 * s, status: .failed, at: "2024-01-10T09:00:00Z"),
            payout("po_1", 150_000 * s, at: "2024-01-10T09:00:00Z"),
            payout("po_3", 2_100 * s, eur, at: "2024-01-10T08:00:00Z"),
            payout("po_old", 1 * s, at: "2024-01-09T08:00:00Z"),
        ],
        payoutLines: [
            "po_1": [line("tx_1", 105_000 * s, invoice: "inv_1"), line("tx_2", 50_000 * s, request: "pr_1"),
                     line("tx_f", 5_000 * s, .fee)],
            "po_2": [line("tx_3", 12_000 * s), line("tx_4", 1_000 * s, .refund)],
            "po_3": [line("tx_5", 2_000 * s, .payment, eur), line("tx_6", 100 * s, .adjustment, eur, direction: .inbound),
                     line("tx_7", 500 * s, .payment, jpy)],
            "po_old": [line("tx_old", 1 * s)],
        ],
        payments: [payment("tx_1", 105_000 * s, invoice: "inv_1"), payment("tx_8", 700 * s, invoice: "inv_2")],
        invoices: ["inv_1": found(invoice("inv_1", 105_000 * s))],
        paymentRequests: ["pr_1": request("pr_1", 50_000 * s)],
        paidInvoicesInWindow: [invoice("inv_2", 1_000 * s), invoice("inv_1", 105_000 * s)],
        candidateInvoices: [invoice("inv_c1", 2_000 * s, .open, eur), invoice("inv_c2", 2_001 * s, .open, eur)],
        expectedPaymentRequestIDs: ["pr_1"])
}

@Suite("Whole-run behaviour")
struct ScenarioTests {
    @Test func summaryNumbersAreExact() {
        let result = reconcile(mixedScenario())
        #expect(result.diagnostics.map(D.init) == [
            D(.invoiceUnderpaid, invoice: "inv_2", expected: 1_000, actual: 700, delta: -300, currency: usd),
            D(.payoutAmountMismatch, payout: "po_2", expected: 11_000, actual: 10_000, delta: -1_000, currency: usd),
            D(.payoutCurrencyMismatch, payout: "po_3", txn: "tx_7", currency: jpy),
            D(.payoutFailed, payout: "po_2"),
            D(.txnSuggestedMatch, payout: "po_3", txn: "tx_5", actual: 2_000, currency: eur, candidates: ["inv_c1"]),
            D(.txnUnlinked, payout: "po_2", txn: "tx_3", actual: 12_000, currency: usd),
            D(.txnUnlinked, payout: "po_2", txn: "tx_4", actual: 1_000, currency: usd),
            D(.txnUnlinked, payout: "po_3", txn: "tx_7", actual: 500, currency: jpy),
            D(.invoicePaymentNotPaidOut, invoice: "inv_2"),
        ])
        let summary = result.summary
        #expect(summary.payoutCount == 3)
        #expect(summary.lineCount == 8)
        #expect(summary.linesByRule == [.payoutLink: 2, .paymentsLookup: 0, .suggested: 1, .ambiguous: 0,
                                        .unmatched: 3, .notApplicable: 2, .unreadable: 0])
        var byCode = Dictionary(uniqueKeysWithValues: DiagnosticCode.allCases.map { ($0, 0) })
        byCode[.invoiceUnderpaid] = 1
        byCode[.payoutAmountMismatch] = 1
        byCode[.payoutCurrencyMismatch] = 1
        byCode[.payoutFailed] = 1
        byCode[.txnSuggestedMatch] = 1
        byCode[.txnUnlinked] = 3
        byCode[.invoicePaymentNotPaidOut] = 1
        #expect(summary.diagnosticsByCode == byCode)
        #expect(summary.diagnosticsBySeverity == [.error: 3, .warning: 5, .info: 1])
        #expect(summary.currencies == [
            CurrencyTotals(currency: eur, payoutCount: 1, payoutAmountTotal: 2_100, inboundTotal: 2_100, outboundTotal: 0,
                           outboundByType: []),
            CurrencyTotals(currency: usd, payoutCount: 2, payoutAmountTotal: 160_000, inboundTotal: 167_000,
                           outboundTotal: 6_000,
                           outboundByType: [TypeTotal(type: "fee", total: 5_000), TypeTotal(type: "refund", total: 1_000)]),
        ])
        #expect(result.payouts.map(\.payout.id) == ["po_3", "po_1", "po_2"])
        #expect(result.payouts.map(\.diagnosticCount) == [3, 0, 4])
        #expect(result.invoices.map(\.invoice.id) == ["inv_1", "inv_2"])
        #expect(result.invoices.map(\.state) == [.settled, .partiallySettled])
        #expect(result.invoices.map(\.diagnosticCount) == [0, 2])
    }

    @Test(arguments: [1, 2, 3, 42, 2024] as [UInt64])
    func orderIsStableWhenInputsAreShuffled(seed: UInt64) {
        let base = mixedScenario()
        var shuffled = base
        var rng = SplitMix64(seed: seed)
        shuffled.payouts.shuffle(using: &rng)
        shuffled.payments.shuffle(using: &rng)
        shuffled.paidInvoicesInWindow.shuffle(using: &rng)
        shuffled.candidateInvoices.shuffle(using: &rng)
        shuffled.expectedPaymentRequestIDs.shuffle(using: &rng)
        let a = reconcile(base)
        let b = reconcile(shuffled)
        #expect(a.diagnostics == b.diagnostics)
        #expect(a.payouts.map(\.payout.id) == b.payouts.map(\.payout.id))
        #expect(a.invoices.map(\.invoice.id) == b.invoices.map(\.invoice.id))
        #expect(a.summary == b.summary)
        #expect(!a.diagnostics.isEmpty)
    }

    @Test func fingerprintsDoNotDependOnAmounts() {
        let a = reconcile(mixedScenario(scale: 1))
        let b = reconcile(mixedScenario(scale: 7))
        #expect(a.diagnostics.map(\.fingerprint) == b.diagnostics.map(\.fingerprint))
        // the amounts really differ, so the comparison above means something
        #expect(a.diagnostics.compactMap(\.actual) != b.diagnostics.compactMap(\.actual))
        #expect(a.diagnostics.map(\.fingerprint) == [
            "INVOICE_UNDERPAID|||inv_2|",
            "PAYOUT_AMOUNT_MISMATCH|po_2|||",
            "PAYOUT_CURRENCY_MISMATCH|po_3|tx_7||",
            "PAYOUT_FAILED|po_2|||",
            "TXN_SUGGESTED_MATCH|po_3|tx_5||",
            "TXN_UNLINKED|po_2|tx_3||",
            "TXN_UNLINKED|po_2|tx_4||",
            "TXN_UNLINKED|po_3|tx_7||",
            "INVOICE_PAYMENT_NOT_PAID_OUT|||inv_2|",
        ])
    }

    @Test func fingerprintEscapesTheSeparator() {
        let input = ReconciliationInput(window: window, payouts: [payout("po|1%", 5)])
        #expect(reconcile(input).diagnostics.map(\.fingerprint) == ["PAYOUT_EMPTY|po%7C1%25|||"])
    }

    @Test func sameTransactionInPayoutAndPaymentsCountsOnce() {
        let input = ReconciliationInput(
            window: window,
            payouts: [payout("po_1", 1_000)],
            payoutLines: ["po_1": [line("tx_1", 1_000, invoice: "inv_1")]],
            payments: [payment("tx_1", 1_000, invoice: "inv_1"), payment("tx_1", 1_000, invoice: "inv_1")],
            invoices: ["inv_1": found(invoice("inv_1", 1_000))],
            paidInvoicesInWindow: [invoice("inv_1", 1_000), invoice("inv_1", 1_000)])
        let result = reconcile(input)
        #expect(result.diagnostics.isEmpty)
        #expect(result.invoices.count == 1)
        #expect(result.invoices.first?.settledPaymentIDs == ["tx_1"])
    }

    @Test func everyCodeHasItsDocumentedSeverity() {
        let errors: Set<DiagnosticCode> = [
            .payoutAmountMismatch, .payoutCurrencyMismatch, .payoutEmpty, .txnNotSucceeded, .txnInMultiplePayouts,
            .txnInvoiceNotFound, .txnPaymentRequestNotFound, .txnCurrencyMismatch, .txnAmountMismatch,
            .recordUnreadable, .invoiceDuplicatePayment, .invoiceOverpaid, .invoiceUnderpaid,
            .invoicePaidWithoutPayment, .paymentRequestPaidWithoutPayment, .amountOverflow,
            .payoutNotInBank, .payoutBankAmountMismatch, .payoutFailedButCredited, .bankEntryUnreadable,
        ]
        let infos: Set<DiagnosticCode> = [.invoicePaymentNotPaidOut, .invoicePartiallyPaid]
        #expect(DiagnosticCode.allCases.count == 33)
        for code in DiagnosticCode.allCases {
            let want: Severity = errors.contains(code) ? .error : infos.contains(code) ? .info : .warning
            #expect(code.severity == want, "\(code.rawValue)")
        }
    }
}

/// A seeded generator so a failing shuffle can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

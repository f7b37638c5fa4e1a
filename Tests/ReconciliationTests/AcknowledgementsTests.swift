import APModels
import Reconciliation
import Testing

/// Acknowledgements.review, FailOn with acknowledged diagnostics, money at stake and ageing.
@Suite struct AcknowledgementsTests {
    static let asOf = ts("2026-12-03T06:00:00Z")
    let mismatch = Diagnostic(code: .payoutAmountMismatch, message: "po_1 is 1.00 short", payoutID: "po_1",
                              expected: 1000, actual: 900, currency: usd)
    let unlinked = Diagnostic(code: .txnUnlinked, message: "t_2 pays nothing known", payoutID: "po_2", transactionID: "t_2",
                              actual: 2500, currency: usd)

    func ack(_ fingerprint: String, until: String? = nil, expected: Int64? = nil, actual: Int64? = nil,
             currency: Currency? = nil) -> Acknowledgement {
        Acknowledgement(fingerprint: fingerprint, reason: "known fee", by: "alice", at: ts("2026-12-01T09:00:00Z"),
                        until: until.map(ts), expected: expected, actual: actual, currency: currency)
    }

    @Test func acknowledgedDiagnosticIsNotOpenAndDoesNotTripFailOn() {
        let acks = Acknowledgements([ack("PAYOUT_AMOUNT_MISMATCH|po_1|||")])
        let review = acks.review([mismatch, unlinked], asOf: Self.asOf)
        #expect(review.disposition(of: mismatch) == .acknowledged)
        #expect(review.disposition(of: unlinked) == .open)
        #expect(review.acknowledgement(for: mismatch)?.by == "alice")
        #expect(review.stale == [])
        #expect(review.open([mismatch, unlinked]) == [unlinked])
        #expect(FailOn.error.isTripped(by: [mismatch, unlinked], review: review) == false)
        #expect(FailOn.warning.isTripped(by: [mismatch, unlinked], review: review) == true)
        #expect(FailOn.error.isTripped(by: [mismatch], review: .none) == true)
        #expect(FailOn.openCounts([mismatch, unlinked], review: review) == [.warning: 1])
    }

    @Test func expiryIsJudgedAgainstTheRunsClock() {
        let acks = Acknowledgements([ack("PAYOUT_AMOUNT_MISMATCH|po_1|||", until: "2026-12-03T06:00:00Z")])
        let before = acks.review([mismatch], asOf: ts("2026-12-03T05:59:59Z"))
        #expect(before.disposition(of: mismatch) == .acknowledged)
        let at = acks.review([mismatch], asOf: Self.asOf)
        #expect(at.disposition(of: mismatch) == .open)
        #expect(at.stale.map(\.reason) == [.expired])
        #expect(FailOn.error.isTripped(by: [mismatch], review: at) == true)
    }

    @Test func changedAmountsReopen() {
        let same = Acknowledgements([ack("PAYOUT_AMOUNT_MISMATCH|po_1|||", expected: 1000, actual: 900, currency: usd)])
        #expect(same.review([mismatch], asOf: Self.asOf).disposition(of: mismatch) == .acknowledged)
        let other = Acknowledgements([ack("PAYOUT_AMOUNT_MISMATCH|po_1|||", expected: 1000, actual: 800, currency: usd)])
        let review = other.review([mismatch], asOf: Self.asOf)
        #expect(review.disposition(of: mismatch) == .open)
        #expect(review.stale.map(\.reason) == [.amountsChanged])
    }

    @Test func acknowledgementsMatchingNothingAreStale() {
        let acks = Acknowledgements([ack("TXN_UNLINKED|po_9|t_9||"), ack("PAYOUT_AMOUNT_MISMATCH|po_1|||"),
                                     ack("PAYOUT_FAILED|po_8|||", until: "2026-12-02")])
        let review = acks.review([mismatch], asOf: Self.asOf)
        #expect(review.stale.map(\.acknowledgement.fingerprint) == ["TXN_UNLINKED|po_9|t_9||", "PAYOUT_FAILED|po_8|||"])
        #expect(review.stale.map(\.reason) == [.noMatch, .expired])
    }

    @Test func amountAtStakeFollowsTheCataloguesRule() {
        #expect(mismatch.amountAtStake == Money(minorUnits: 100, currency: usd))
        #expect(unlinked.amountAtStake == Money(minorUnits: 2500, currency: usd))
        let refund = Diagnostic(code: .refundWithoutPayment, message: "r", transactionID: "t_3", actual: -700, currency: usd)
        #expect(refund.amountAtStake == Money(minorUnits: 700, currency: usd))
        let paid = Diagnostic(code: .invoicePaidWithoutPayment, message: "p", invoiceID: "inv_1", expected: 4200, actual: 0, currency: usd)
        #expect(paid.amountAtStake == Money(minorUnits: 4200, currency: usd))
        let stale = Diagnostic(code: .invoiceStatusStale, message: "s", invoiceID: "inv_2", expected: 10, actual: 10, currency: usd)
        #expect(stale.amountAtStake == nil)
        let huge = Diagnostic(code: .payoutAmountMismatch, message: "h", payoutID: "po_h", expected: .min, actual: 0, currency: usd)
        #expect(huge.amountAtStake == nil)
        #expect(DiagnosticCode.allCases.filter { $0.atStakeRule == .none }.count == 14)
    }

    @Test func atStakeTotalsPerCurrencySeverityAndCode() {
        let eur = Currency(code: "EUR")!
        let other = Diagnostic(code: .txnUnlinked, message: "t_4", payoutID: "po_4", transactionID: "t_4", actual: 300, currency: usd)
        let euro = Diagnostic(code: .txnUnlinked, message: "t_5", payoutID: "po_5", transactionID: "t_5", actual: 99, currency: eur)
        let totals = AtStakeTotals([mismatch, unlinked, other, euro])
        #expect(totals.currencies.map { "\($0.currency) \($0.minorUnits.map(String.init) ?? "overflow")" } == ["EUR 99", "USD 2900"])
        #expect(totals.rows.map { "\($0.key.currency) \($0.key.severity) \($0.key.code.rawValue) \($0.minorUnits ?? -1)" }
            == ["EUR warning TXN_UNLINKED 99", "USD error PAYOUT_AMOUNT_MISMATCH 100", "USD warning TXN_UNLINKED 2800"])
        let max = Diagnostic(code: .txnUnlinked, message: "m", payoutID: "po_m", transactionID: "t_m", actual: .max, currency: usd)
        #expect(AtStakeTotals([max, unlinked]).currencies.map(\.minorUnits) == [nil])
    }

    @Test func ageingBuckets() {
        #expect([0, 7, 8, 30, 31, 90, 91, 400].map { AgeingBucket(days: $0).rawValue }
            == ["0-7", "0-7", "8-30", "8-30", "31-90", "31-90", "over_90", "over_90"])
        let review = Acknowledgements([ack("TXN_UNLINKED|po_2|t_2||")]).review([mismatch, unlinked], asOf: Self.asOf)
        let ageing = Ageing([mismatch, unlinked], review: review) { $0.payoutID == "po_1" ? 45 : 0 }
        #expect(ageing.currencies == ["USD"])
        #expect(ageing.buckets("USD").map { "\($0.bucket.rawValue):\($0.cell.count):\($0.cell.atStake ?? -1)" }
            == ["0-7:0:0", "8-30:0:0", "31-90:1:100", "over_90:0:0"])
    }
}

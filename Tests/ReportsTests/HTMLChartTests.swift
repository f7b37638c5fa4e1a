import APModels
import Reconciliation
import Testing
@testable import Reports

@Suite struct HTMLChartTests {
    func payout(_ id: String, _ minor: Int64, _ currency: Currency, _ created: String) -> PayoutResult {
        PayoutResult(payout: Payout(id: id, status: .succeeded, amount: money(minor, currency), createdAt: ts(created)),
                     lines: [], computedAmount: minor, difference: 0, diagnosticCount: 0)
    }

    @Test func codeBarsAreScaledToTheMostFrequentCodeWithIntegers() throws {
        let chart = try #require(CodeChart.make(byCode([.txnUnlinked: 3, .payoutAmountMismatch: 3, .invoicePartiallyPaid: 1])))
        #expect(chart.height == 8 + 3 * 22)
        #expect(chart.bars.map(\.code) == ["PAYOUT_AMOUNT_MISMATCH", "TXN_UNLINKED", "INVOICE_PARTIALLY_PAID"])
        #expect(chart.bars.map(\.severity) == ["error", "warning", "info"])
        #expect(chart.bars.map(\.barWidth) == [310, 310, 103])
        #expect(chart.bars.map(\.barY) == [8, 30, 52])
        #expect(chart.bars.map(\.countX) == [566, 566, 359])
        #expect(CodeChart.make(byCode([:])) == nil)
    }

    @Test func amountBarsGoUpAndDownFromTheZeroLine() {
        // One week, USD: +300.00 on day 1, −100.00 on day 3 (two payouts), nothing else.
        let window = ReportWindow(since: ts("2024-01-01"), until: ts("2024-01-08"))
        let payouts = [payout("a", 30_000, usd, "2024-01-01T10:00:00Z"),
                       payout("b", -15_000, usd, "2024-01-03T01:00:00Z"),
                       payout("c", 5_000, usd, "2024-01-03T23:59:59Z"),
                       payout("j", 999, jpy, "2024-01-02T00:00:00Z")]
        let chart = AmountChart.make(currency: usd, payouts: payouts, window: window)
        #expect(chart.bars.count == 7)
        // plot 12…148 (136 px) spans −100.00…300.00: zero at 148 − 136·10000/40000 = 114
        #expect(chart.zeroY == 114)
        #expect(chart.bars[0].y == 12 && chart.bars[0].height == 102 && chart.bars[0].sign == "positive")
        #expect(chart.bars[2].y == 114 && chart.bars[2].height == 34 && chart.bars[2].sign == "negative")
        #expect(chart.bars[1].height == 0)
        // plot 84…412: 46 px a day, 7 px gaps
        #expect(chart.bars.map(\.x) == [91, 137, 183, 229, 275, 321, 367])
        #expect(chart.bars[0].width == 32)
        #expect(chart.bars[2].title == "2024-01-03: -100.00 USD in 2 payouts")
        #expect(chart.bars[0].title == "2024-01-01: 300.00 USD in 1 payout")
        #expect(chart.maxLabel == "300.00" && chart.minLabel == "-100.00")
        #expect(chart.firstPeriod == "2024-01-01" && chart.lastPeriod == "2024-01-07")
        #expect(chart.note == nil)
    }

    @Test func aLongWindowGroupsDaysAndHugeAmountsStayExact() {
        // 365 days → 6 days a bar, 61 bars; amounts near Int64.max scale without overflow.
        let window = ReportWindow(since: ts("2024-01-01"), until: ts("2024-12-31"))
        let payouts = [payout("a", Int64.max, usd, "2024-01-02T00:00:00Z"),
                       payout("b", Int64.min + 1, usd, "2024-12-30T00:00:00Z")]
        let chart = AmountChart.make(currency: usd, payouts: payouts, window: window)
        #expect(chart.bars.count == 61)
        #expect(chart.firstPeriod == "2024-01-01 – 2024-01-06")
        #expect(chart.lastPeriod == "2024-12-26 – 2024-12-30")
        #expect(chart.zeroY == 80)
        #expect(chart.bars[0].y == 12 && chart.bars[0].height == 68)
        #expect(chart.bars[60].y == 80 && chart.bars[60].height == 68)
        #expect(chart.maxLabel == "92,233,720,368,547,758.07")
    }

    @Test func aPeriodThatOverflowsIsNotChartedAndSaysWhy() {
        let window = ReportWindow(since: ts("2024-01-01"), until: ts("2024-01-02"))
        let payouts = [payout("a", Int64.max, usd, "2024-01-01T01:00:00Z"), payout("b", 1, usd, "2024-01-01T02:00:00Z")]
        let chart = AmountChart.make(currency: usd, payouts: payouts, window: window)
        #expect(chart.bars.isEmpty)
        #expect(chart.note == "A period's payouts add up to more than 64-bit minor units can hold: not charted (see the AMOUNT_OVERFLOW diagnostic).")
    }

    @Test func amountsAndSharesAreFormattedWithoutFloatingPoint() {
        #expect(HTMLFormat.amount(123_456_789, usd) == "1,234,567.89")
        #expect(HTMLFormat.amount(-1_500, bhd) == "-1.500")
        #expect(HTMLFormat.amount(1_000_000, jpy) == "1,000,000")
        #expect(HTMLFormat.amount(-100_000, usd) == "-1,000.00")
        #expect(HTMLFormat.amount(Int64.min, usd) == "-92,233,720,368,547,758.08")
        #expect(HTMLFormat.money(nil, usd) == "—")
        #expect(HTMLFormat.count(10_000) == "10,000")
        #expect(HTMLFormat.share(1, of: 3) == "33.3 %")
        #expect(HTMLFormat.share(2, of: 3) == "66.7 %")
        #expect(HTMLFormat.share(47, of: 47) == "100.0 %")
        #expect(HTMLFormat.share(0, of: 0) == "—")
    }
}

import APModels
import Reconciliation

// The two inline SVG charts of report.html, as geometry the template draws. Every coordinate is
// an integer computed from integer counts and minor units (128-bit intermediate products), so the
// bytes never depend on floating-point rounding and money never passes through a Double.

/// One bar of the diagnostics-by-code chart.
struct CodeBar: Sendable {
    let code: String
    let severity: String
    let count: String
    let labelY: Int
    let barY: Int
    let barWidth: Int
    let countX: Int
}

/// Diagnostics by code: a horizontal bar per code that occurred, most frequent first.
struct CodeChart: Sendable {
    static let width = 600
    static let labelRight = 244
    static let barLeft = 250
    static let maxBar = 310
    static let rowHeight = 22

    let width: Int
    let height: Int
    let barLeft: Int
    let labelRight: Int
    let bars: [CodeBar]

    /// nil when there is no diagnostic (the page says so in words instead).
    static func make(_ byCode: [DiagnosticCode: Int]) -> CodeChart? {
        let present = byCode.filter { $0.value > 0 }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        guard let top = present.first?.value else { return nil }
        let bars = present.enumerated().map { i, entry in
            let width = max(1, entry.value * maxBar / top)
            let rowTop = 4 + i * rowHeight
            return CodeBar(code: entry.key.rawValue, severity: entry.key.severity.rawValue,
                           count: HTMLFormat.count(entry.value), labelY: rowTop + 15, barY: rowTop + 4,
                           barWidth: width, countX: barLeft + width + 6)
        }
        return CodeChart(width: width, height: 8 + present.count * rowHeight, barLeft: barLeft,
                         labelRight: labelRight, bars: bars)
    }
}

/// One period of the payout-amount chart.
struct AmountBar: Sendable {
    let x: Int
    let y: Int
    let width: Int
    let height: Int
    /// "positive" or "negative" (a CSS class).
    let sign: String
    /// What a reader hovering (or a screen reader) learns: period, total, payout count.
    let title: String
}

/// Payout amounts over the window in one currency: one bar per day (per several days when the
/// window is longer than `maxBars` days), summed by payout `created_at`.
struct AmountChart: Sendable {
    static let width = 420
    static let height = 180
    static let left = 84
    static let right = 412
    static let top = 12
    static let bottom = 148
    static let maxBars = 62
    static let day: Int64 = 86_400

    let currency: String
    let width: Int
    let height: Int
    let left: Int
    let right: Int
    let top: Int
    let bottom: Int
    let zeroY: Int
    let bars: [AmountBar]
    let maxLabel: String
    let maxLabelY: Int
    /// Only when some period is negative (otherwise the axis starts at 0, which `maxLabel` implies).
    let minLabel: String?
    let minLabelY: Int
    let firstPeriod: String
    let lastPeriod: String
    let dateLabelY: Int
    /// Set when the chart cannot be drawn (a period's sum does not fit in 64 bits).
    let note: String?

    static func make(currency: Currency, payouts: [PayoutResult], window: ReportWindow) -> AmountChart {
        let span = max(Int64(1), window.until.epochSeconds - window.since.epochSeconds)
        let days = (span + day - 1) / day
        let daysPerBar = (days + Int64(maxBars) - 1) / Int64(maxBars)
        let periodSeconds = daysPerBar * day
        let periods = Int((span + periodSeconds - 1) / periodSeconds)

        var sums = [Int64](repeating: 0, count: periods)
        var counts = [Int](repeating: 0, count: periods)
        var overflow = false
        for p in payouts where p.payout.amount.currency == currency {
            let offset = p.payout.createdAt.epochSeconds - window.since.epochSeconds
            guard offset >= 0 else { continue }
            let index = Int(offset / periodSeconds)
            guard index < periods else { continue }
            let (sum, o) = sums[index].addingReportingOverflow(p.payout.amount.minorUnits)
            overflow = overflow || o
            sums[index] = sum
            counts[index] += 1
        }

        func period(_ i: Int) -> String {
            let start = window.since.adding(seconds: Int64(i) * periodSeconds)
            guard daysPerBar > 1 else { return start.utcDate }
            let last = min(start.adding(seconds: periodSeconds - 1), window.until.adding(seconds: -1))
            return start.utcDate + " – " + last.utcDate
        }

        let dateLabelY = bottom + 18
        if overflow {
            return AmountChart(currency: currency.code, width: width, height: height, left: left, right: right,
                               top: top, bottom: bottom, zeroY: bottom, bars: [], maxLabel: "", maxLabelY: top,
                               minLabel: nil, minLabelY: bottom, firstPeriod: period(0), lastPeriod: period(periods - 1),
                               dateLabelY: dateLabelY,
                               note: "A period's payouts add up to more than 64-bit minor units can hold: not charted (see the AMOUNT_OVERFLOW diagnostic).")
        }

        let low = min(0, sums.min() ?? 0)
        let high = max(0, sums.max() ?? 0)
        // hi − lo always fits in UInt64 even when it does not fit in Int64.
        let range = UInt64(bitPattern: high &- low)
        let plotHeight = UInt64(bottom - top)
        func y(_ value: Int64) -> Int {
            guard range > 0 else { return bottom }
            let offset = UInt64(bitPattern: value &- low)
            let product = offset.multipliedFullWidth(by: plotHeight)
            let (scaled, _) = range.dividingFullWidth(product)
            return bottom - Int(scaled)
        }
        let zeroY = y(0)
        let slot = (right - left) / periods
        let gap = slot / 6
        let bars = sums.enumerated().map { i, sum -> AmountBar in
            var barTop = min(y(sum), zeroY)
            var barHeight = abs(y(sum) - zeroY)
            // A small nonzero total still shows as a hairline rather than vanishing.
            if sum != 0 && barHeight == 0 {
                barHeight = 1
                if sum > 0 { barTop = zeroY - 1 }
            }
            let payouts = counts[i] == 1 ? "1 payout" : "\(HTMLFormat.count(counts[i])) payouts"
            return AmountBar(x: left + i * slot + gap, y: barTop, width: max(1, slot - 2 * gap), height: barHeight,
                             sign: sum < 0 ? "negative" : "positive",
                             title: "\(period(i)): \(HTMLFormat.money(sum, currency)) in \(payouts)")
        }
        return AmountChart(currency: currency.code, width: width, height: height, left: left, right: right,
                           top: top, bottom: bottom, zeroY: zeroY, bars: bars,
                           maxLabel: HTMLFormat.amount(high, currency), maxLabelY: y(high) + 4,
                           minLabel: low < 0 ? HTMLFormat.amount(low, currency) : nil, minLabelY: y(low) + 4,
                           firstPeriod: period(0), lastPeriod: period(periods - 1), dateLabelY: dateLabelY, note: nil)
    }
}

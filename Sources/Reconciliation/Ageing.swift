import APModels

/// How long an item has been open, in the buckets finance teams age receivables by.
public enum AgeingBucket: String, Sendable, Hashable, CaseIterable, Comparable {
    case days0to7 = "0-7"
    case days8to30 = "8-30"
    case days31to90 = "31-90"
    case over90 = "over_90"

    /// `days` is whole days since first seen (`OpenItem.ageDays`): 0–7, 8–30, 31–90, over 90.
    public init(days: Int) {
        switch days {
        case ...7: self = .days0to7
        case 8...30: self = .days8to30
        case 31...90: self = .days31to90
        default: self = .over90
        }
    }

    public static func < (a: AgeingBucket, b: AgeingBucket) -> Bool {
        a.rank < b.rank
    }

    /// 0 for the youngest bucket.
    public var rank: Int {
        switch self {
        case .days0to7: 0
        case .days8to30: 1
        case .days31to90: 2
        case .over90: 3
        }
    }
}

/// Open diagnostics of a run per currency and ageing bucket: how many, and the money at stake.
/// Acknowledged diagnostics are left out (they are not waiting for anyone); a diagnostic with
/// no currency is counted under no currency.
public struct Ageing: Sendable, Hashable {
    public struct Cell: Sendable, Hashable {
        public var count = 0
        /// nil when the sum overflowed Int64.
        public var atStake: Int64? = 0
    }

    /// Currency code ("" for diagnostics without a currency) → bucket → cell.
    public private(set) var cells: [String: [AgeingBucket: Cell]] = [:]

    public init() {}

    /// `ageDays` gives a diagnostic's age as of the run (0 when the run keeps no state).
    public init(_ diagnostics: [Diagnostic], review: AcknowledgementReview, ageDays: (Diagnostic) -> Int) {
        for d in diagnostics where review.disposition(of: d) == .open {
            let bucket = AgeingBucket(days: ageDays(d))
            var cell = cells[d.currency?.code ?? "", default: [:]][bucket, default: Cell()]
            cell.count += 1
            if let stake = d.amountAtStake?.minorUnits, let sum = cell.atStake {
                let (total, overflow) = sum.addingReportingOverflow(stake)
                cell.atStake = overflow ? nil : total
            }
            cells[d.currency?.code ?? "", default: [:]][bucket] = cell
        }
    }

    /// Currency codes present, sorted ("" first).
    public var currencies: [String] { cells.keys.sorted() }

    /// Every bucket of `currency`, zero cells included, in bucket order.
    public func buckets(_ currency: String) -> [(bucket: AgeingBucket, cell: Cell)] {
        AgeingBucket.allCases.map { ($0, cells[currency]?[$0] ?? Cell()) }
    }
}

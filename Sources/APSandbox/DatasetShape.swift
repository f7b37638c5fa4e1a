/// How a generated dataset's invoices are spread in time, beyond the plain shape where each
/// invoice is created inside the payouts' span. Real merchants invoice on net terms and carry
/// years of invoice history, and a fetcher tuned on the plain shape alone looks better than it
/// is. Every option off (the default) leaves `generate`'s records and bytes exactly as before:
/// the draws for these options come from a separate SplitMix64 stream, so turning one on moves
/// invoice times but not names, amounts or line items.
public struct DatasetShape: Sendable, Equatable {
    /// Net terms: each invoice a payment line settles is created this many days before that
    /// payment (uniform over whole seconds, both ends included). nil: the plain timing.
    public var invoiceLeadDays: ClosedRange<Int>?
    /// Invoices no line pays, created before the data's start: ids continue after the linked
    /// ones, statuses mixed (PAID, OPEN, OVERDUE, VOID and a few odd ones the API may answer).
    public var historyInvoices: Int
    /// Age of the history invoices, in days before the data's start (uniform over whole seconds).
    public var historyAgeDays: ClosedRange<Int>
    /// Per mille of the invoices a payment line settles that belong to the long tail: created
    /// `tailAgeDays` before their payment instead of `invoiceLeadDays` (or the plain timing).
    public var tailPerMille: Int
    public var tailAgeDays: ClosedRange<Int>
    /// Seconds between payouts (payout p is created at start + p × spacing); a day by default,
    /// less to put many payouts into a short window such as a month.
    public var payoutSpacingSeconds: Int64

    public init(invoiceLeadDays: ClosedRange<Int>? = nil, historyInvoices: Int = 0, historyAgeDays: ClosedRange<Int> = 1...730,
                tailPerMille: Int = 0, tailAgeDays: ClosedRange<Int> = 365...1095, payoutSpacingSeconds: Int64 = 86_400) {
        self.invoiceLeadDays = invoiceLeadDays
        self.historyInvoices = historyInvoices
        self.historyAgeDays = historyAgeDays
        self.tailPerMille = tailPerMille
        self.tailAgeDays = tailAgeDays
        self.payoutSpacingSeconds = payoutSpacingSeconds
    }

    /// The plain shape: what `generate` did before these options existed.
    public static let plain = DatasetShape()

    /// Statuses of history invoices with their weights out of 100: mostly settled, some still
    /// owed, and a few statuses the contract calls "others possible".
    static let historyStatuses: [(String, Int)] = [("PAID", 60), ("OPEN", 14), ("OVERDUE", 14), ("VOID", 8), ("DRAFT", 2), ("UNCOLLECTIBLE", 2)]

    /// Seed of the separate stream the shape draws from, derived from the dataset's seed.
    static func shapeSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x5348_4150_4553_0001 }

    /// When the payment line that settles invoice `index` (0-based, in generation order) is
    /// created, or nil when no line pays it: invoices go to payment lines in order, line l of
    /// payout p (1-based) is created at start + p × spacing − 1 day + l minutes.
    static func paymentTime(ofInvoice index: Int, start t0: Int64, payouts: Int, paymentLinesPerPayout: Int, spacing: Int64) -> Int64? {
        guard paymentLinesPerPayout > 0, index < payouts * paymentLinesPerPayout else { return nil }
        let p = index / paymentLinesPerPayout + 1
        let l = index % paymentLinesPerPayout
        return t0 + Int64(p) * spacing - 86_400 + Int64(l) * 60
    }

    /// Seconds before its payment that a linked invoice is created: a tail draw first (one per
    /// invoice when the tail is on), then the lead range. nil: the plain timing.
    func leadSeconds(_ rng: inout SplitMix64) -> Int64? {
        if tailPerMille > 0, rng.int(in: 0...999) < tailPerMille {
            return Self.seconds(in: tailAgeDays, &rng)
        }
        return invoiceLeadDays.map { Self.seconds(in: $0, &rng) }
    }

    static func seconds(in days: ClosedRange<Int>, _ rng: inout SplitMix64) -> Int64 {
        Int64(rng.int(in: days.lowerBound * 86_400...days.upperBound * 86_400))
    }

    /// Whether any option moves invoices or payouts from the plain timing.
    var movesInvoices: Bool { invoiceLeadDays != nil || tailPerMille > 0 }
}

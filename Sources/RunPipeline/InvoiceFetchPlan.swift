import APModels
import JobSettings
import Reconciliation

/// How the fetch stage gets the linked invoices that the window's PAID listing did not contain
/// (the "missing" ids): a pure decision from the API's answers only, so `replay` decides the same.
///
/// With net terms an invoice is created 20–90 days before the payment that settles it, so most
/// linked invoices lie outside the window; one `GET /invoices/{id}` each is one request per line.
/// The adaptive plan (docs/fetching.md, "Linked invoices outside the window"):
///
/// 1. **Sample.** Fewer than `minimumMissing` missing ids: all by id, as before. Otherwise the
///    `sampleSize` ids with the smallest `hash(id)` (ties by id) are fetched by id
///    first — they are needed anyway. `hash` is FNV-1a (64 bits) of the UTF-8 bytes, then
///    SplitMix64's finaliser: FNV-1a alone ranks sequential ids (inv_0030, inv_0031, …) next
///    to each other. The sample depends only on the set of ids, never on arrival order or time.
/// 2. **Slices.** The sample's `created_at` times t₁ ≤ … ≤ tₛ (sorted; 404s and records without
///    `created_at` give none) are cut into groups wherever two neighbours are more than
///    `gapLimit = max(1 h, gapFactor × g)` apart, where `g` is the typical gap: the median of
///    the s − 1 gaps between neighbours (at least 1 s), which a long tail of a few old
///    invoices does not move.
///    A group with fewer than `minimumSamplesPerGroup` times (an old long tail) is not listed;
///    its ids are fetched by id. The `chains` listing chains are shared among the kept groups in
///    proportion to their sample counts (at least one each); a group of `c` times and `b` chains
///    is cut into `b` slices holding `c/b` times each (cuts at sample times), the group's outer
///    ends widened by `edgeGaps × g` so invoices beyond the outermost sample are covered too:
///    with s samples of n invoices spread evenly, about n/s lie between the outermost sample
///    and the group's true end, and the share of them beyond `k` typical gaps falls like
///    `2^−k` (the median gap is ln 2 of the mean), so 3 gaps leave about 1/8 of them to by-id.
///    `gapFactor` is 16: with evenly spread invoices a gap of 16 median gaps among 64 samples
///    has a chance of about 63 × 2^−16, so one dense range is not cut by chance.
/// 3. **Listing.** Each slice is listed with `GET /invoices?created_at_start&created_at_end`
///    (any status), one cursor chain per slice, all concurrently. A chain keeps only missing
///    ids outside the sample, and stops after a page when `found < payoff × (pages − grace)`
///    (cumulative: `found` missing ids so far in its `pages` pages) — a page must replace at
///    least `payoff` by-id requests on average, after `grace` pages that may find nothing: the
///    first slice of a group starts `edgeGaps` typical gaps before its first sample time, and in
///    `created_at` order the pages there can hold only history before the linked invoices
///    begin. So a chain never costs more than `found / payoff + grace + 1` pages.
/// 4. **The rest** — missing ids neither sampled nor listed — go through steps 1–3 again when
///    the round listed something and `minimumMissing` of them remain (the sparse ends of a
///    range whose `created_at` density ramps up and down lie beyond the outermost samples, and
///    a sample of the rest finds them), at most `rounds` rounds; then by id, in sorted order.
///
/// Every decision reads only the set of missing ids, the sample's answers and each chain's own
/// pages, so the requests (method, path, query, occurrences) are a function of the API's answers.
public struct InvoiceFetchPlan: Sendable, Hashable {
    public typealias Mode = InvoiceFetchMode

    public var mode: Mode
    /// Missing ids fetched by id first to learn where the rest were created.
    public var sampleSize: Int
    /// Below this many missing ids everything is fetched by id: a listing could save little.
    public var minimumMissing: Int
    /// Missing ids a listing page must bring on average for its chain to go on.
    public var payoff: Int
    /// Pages a chain may spend finding nothing before the payoff rule applies.
    public var grace: Int
    /// Sample times a group needs to be listed; a sparser group is fetched by id.
    public var minimumSamplesPerGroup: Int
    /// A gap between neighbouring sample times wider than this many typical gaps cuts a group.
    public var gapFactor: Int64
    /// Typical gaps a group's outer ends are widened by.
    public var edgeGaps: Int64
    /// Times the plan runs, each on what the previous round left; the last leaves the rest to by-id.
    public var rounds: Int

    public init(mode: Mode = .adaptive, sampleSize: Int = 64, minimumMissing: Int = 256, payoff: Int = 2, grace: Int = 8,
                minimumSamplesPerGroup: Int = 2, gapFactor: Int64 = 16, edgeGaps: Int64 = 3, rounds: Int = 2) {
        self.mode = mode
        self.sampleSize = max(1, sampleSize)
        self.minimumMissing = max(1, minimumMissing)
        self.payoff = max(1, payoff)
        self.grace = max(0, grace)
        self.minimumSamplesPerGroup = max(1, minimumSamplesPerGroup)
        self.gapFactor = max(1, gapFactor)
        self.edgeGaps = max(0, edgeGaps)
        self.rounds = max(1, rounds)
    }

    public static let adaptive = InvoiceFetchPlan()
    public static let byID = InvoiceFetchPlan(mode: .byID)

    /// The ids to fetch by id first (sorted), or none when everything goes by id anyway.
    public func sample(of missing: [String]) -> [String] {
        let ids = missing.orderedUnique()
        guard mode == .adaptive, ids.count >= minimumMissing else { return [] }
        let ranked = ids.map { (Self.rank($0), $0) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return ranked.prefix(sampleSize).map(\.1).sorted()
    }

    /// The `created_at` slices to list, oldest first, from the sample's creation times.
    public func slices(sampleCreated: [Timestamp], chains: Int) -> [ReportWindow] {
        guard mode == .adaptive else { return [] }
        let times = sampleCreated.map(\.epochSeconds).sorted()
        let s = times.count
        guard s >= minimumSamplesPerGroup, s >= 2 else { return [] }
        let gaps = zip(times, times.dropFirst()).map { $1 - $0 }.sorted()
        let typical = max(1, gaps[gaps.count / 2])
        let gapLimit = max(SplitListing.minimumSliceSeconds, gapFactor * typical)

        var groups: [[Int64]] = [[times[0]]]
        for t in times.dropFirst() {
            if let last = groups[groups.count - 1].last, t - last > gapLimit { groups.append([t]) } else { groups[groups.count - 1].append(t) }
        }
        groups = groups.filter { $0.count >= minimumSamplesPerGroup }
        let kept = groups.reduce(0) { $0 + $1.count }
        guard kept > 0 else { return [] }
        let chains = max(1, chains)

        var slices: [ReportWindow] = []
        for group in groups {
            let c = group.count
            let b = max(1, min(c / minimumSamplesPerGroup, chains * c / kept))
            var cuts: [Int64] = [group[0] - edgeGaps * typical]
            for j in 1..<max(1, b) { cuts.append(group[c * j / b]) }
            cuts.append(group[c - 1] + edgeGaps * typical + 1)
            var previous: Int64?
            for (start, end) in zip(cuts, cuts.dropFirst()) where end > start {
                if let previous, start <= previous { continue }
                slices.append(ReportWindow(since: Timestamp(epochSeconds: start), until: Timestamp(epochSeconds: end)))
                previous = start
            }
        }
        return slices
    }

    /// Whether a chain that found `found` missing ids in `pages` pages asks for its next page.
    public func keepsListing(found: Int, pages: Int) -> Bool {
        found >= payoff * (pages - grace)
    }

    /// FNV-1a (64 bits) of the id's UTF-8 bytes, mixed by SplitMix64's finaliser: a fixed
    /// spread, the same on every machine and in every run.
    static func rank(_ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}

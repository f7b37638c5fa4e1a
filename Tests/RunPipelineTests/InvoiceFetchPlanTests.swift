import APModels
import JobSettings
import Reconciliation
@testable import RunPipeline
import Testing

/// The adaptive invoice plan's decisions on constructed samples, without a network.
@Suite struct InvoiceFetchPlanTests {
    let ids = (0..<300).map { "inv_\($0)" }

    @Test func fewMissingIdsOrTheOneByOnePlanSampleNothing() {
        #expect(InvoiceFetchPlan.adaptive.sample(of: Array(ids.prefix(255))).isEmpty)
        #expect(InvoiceFetchPlan.byID.sample(of: ids).isEmpty)
        #expect(InvoiceFetchPlan.byID.slices(sampleCreated: (0..<10).map { Timestamp(epochSeconds: $0 * 3_600) }, chains: 4).isEmpty)
    }

    /// The sample is a function of the set of ids: the same whatever their order or repeats,
    /// sorted, of the plan's size.
    @Test func theSampleDependsOnlyOnTheSetOfIds() {
        let plan = InvoiceFetchPlan(sampleSize: 5, minimumMissing: 10)
        let sample = plan.sample(of: ids)
        #expect(sample == ["inv_140", "inv_19", "inv_291", "inv_295", "inv_82"])
        #expect(plan.sample(of: ids.reversed() + ids.prefix(40)) == sample)
        #expect(InvoiceFetchPlan.adaptive.sample(of: ids).count == 64)
        #expect(InvoiceFetchPlan.rank("inv_0") != InvoiceFetchPlan.rank("inv_1"))
    }

    /// A dense hour-by-hour cluster and one invoice two years older: the old one is a group of
    /// one (fetched by id), the cluster is cut into 4 slices of 2 sample times each, its outer
    /// ends widened by three typical gaps (3 h).
    @Test func aLongTailIsNotListedAndTheDensePartIsCutIntoEqualSlices() {
        let t: Int64 = 1_790_000_000, h: Int64 = 3_600
        let times = [t - 730 * 86_400] + (0..<8).map { t + $0 * h }
        let plan = InvoiceFetchPlan(sampleSize: 9, minimumMissing: 9)
        let slices = plan.slices(sampleCreated: times.reversed().map { Timestamp(epochSeconds: $0) }, chains: 4)
        let expected: [(Int64, Int64)] = [(t - 3 * h, t + 2 * h), (t + 2 * h, t + 4 * h), (t + 4 * h, t + 6 * h), (t + 6 * h, t + 10 * h + 1)]
        #expect(slices == expected.map { ReportWindow(since: Timestamp(epochSeconds: $0.0), until: Timestamp(epochSeconds: $0.1)) })
    }

    /// Net terms: two clusters (30–40 and 60–70 days back) with nothing between; each is its own
    /// group, chains shared by sample count (6 and 2 times of 8 → 3 and 1 chains at 4), and the
    /// empty weeks between are never listed.
    @Test func twoClustersWithAGapAreListedApart() {
        let d: Int64 = 86_400, w: Int64 = 1_800_000_000
        let near = [40, 39, 38, 37, 36, 35].map { w - $0 * d }, far = [70, 69].map { w - $0 * d }
        let slices = InvoiceFetchPlan.adaptive.slices(sampleCreated: (near + far).map { Timestamp(epochSeconds: $0) }, chains: 4)
        // Gaps: 1 day ×6, 29 days → median 1 day, limit 16 days; outer ends widened by 3 days.
        let expected: [(Int64, Int64)] = [
            (w - 73 * d, w - 69 * d + 3 * d + 1),
            (w - 43 * d, w - 38 * d), (w - 38 * d, w - 36 * d), (w - 36 * d, w - 35 * d + 3 * d + 1),
        ]
        #expect(slices == expected.map { ReportWindow(since: Timestamp(epochSeconds: $0.0), until: Timestamp(epochSeconds: $0.1)) })
    }

    @Test func tooFewTimesOrAllAloneGiveNoSlice() {
        let plan = InvoiceFetchPlan.adaptive
        #expect(plan.slices(sampleCreated: [], chains: 16).isEmpty)
        #expect(plan.slices(sampleCreated: [Timestamp(epochSeconds: 1_000_000)], chains: 16).isEmpty)
        // Three times a year apart: every gap is the median, so they are one group, one slice;
        // its chain stops after its ninth page unless the pages pay off (keepsListing).
        let years = [0, 1, 2].map { Timestamp(epochSeconds: 1_600_000_000 + $0 * 31_536_000) }
        #expect(plan.slices(sampleCreated: years, chains: 2).count == 1)
    }

    /// A chain goes on while its pages average at least `payoff` missing ids, after `grace`
    /// (8) pages that may find nothing.
    @Test func aChainStopsWhenItsPagesStopPayingOff() {
        let plan = InvoiceFetchPlan.adaptive
        #expect(plan.keepsListing(found: 0, pages: 0))
        #expect(plan.keepsListing(found: 0, pages: 8))
        #expect(!plan.keepsListing(found: 0, pages: 9))
        #expect(plan.keepsListing(found: 4, pages: 10))
        #expect(!plan.keepsListing(found: 3, pages: 10))
        #expect(InvoiceFetchPlan(payoff: 5, grace: 0).keepsListing(found: 10, pages: 2))
        #expect(!InvoiceFetchPlan(payoff: 5, grace: 0).keepsListing(found: 9, pages: 2))
        #expect(!InvoiceFetchPlan(grace: 0).keepsListing(found: 1, pages: 1))
    }
}

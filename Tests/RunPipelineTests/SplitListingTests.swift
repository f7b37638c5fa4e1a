import APModels
import Reconciliation
import JobSettings
@testable import RunPipeline
import Testing

/// The pure parts of the split PAID listing: how deep, where the cuts fall, how slices merge.
@Suite struct SplitListingTests {
    @Test(arguments: [(1, 0), (2, 1), (3, 1), (4, 2), (7, 2), (8, 3), (16, 4), (31, 4), (32, 5), (5_000, 10)])
    func levelsGiveAtMostConcurrencyChains(concurrency: Int, levels: Int) {
        #expect(SplitListing.levels(concurrency: concurrency) == levels)
    }

    @Test func halvesOverlapByOneSecondAroundTheMiddle() throws {
        let window = ReportWindow(since: Timestamp(epochSeconds: 1_000_000), until: Timestamp(epochSeconds: 1_086_401))
        let (left, right) = try #require(SplitListing.halves(of: window))
        // mid = 1_000_000 + 86_401 / 2 = 1_043_200
        #expect(left == ReportWindow(since: Timestamp(epochSeconds: 1_000_000), until: Timestamp(epochSeconds: 1_043_201)))
        #expect(right == ReportWindow(since: Timestamp(epochSeconds: 1_043_200), until: Timestamp(epochSeconds: 1_086_401)))
    }

    @Test func theEndsKeepTheirFractionOfASecond() throws {
        let window = ReportWindow(since: Timestamp(epochSeconds: 0, nanoseconds: 5), until: Timestamp(epochSeconds: 7_200, nanoseconds: 9))
        let (left, right) = try #require(SplitListing.halves(of: window))
        #expect(left.since == Timestamp(epochSeconds: 0, nanoseconds: 5))
        #expect(right.until == Timestamp(epochSeconds: 7_200, nanoseconds: 9))
    }

    @Test func noCutBelowTwoHoursOrInAnEmptyWindow() {
        #expect(SplitListing.halves(of: ReportWindow(since: Timestamp(epochSeconds: 0), until: Timestamp(epochSeconds: 7_199))) == nil)
        #expect(SplitListing.halves(of: ReportWindow(since: Timestamp(epochSeconds: 0), until: Timestamp(epochSeconds: 7_200))) != nil)
        #expect(SplitListing.halves(of: ReportWindow(since: Timestamp(epochSeconds: 9_000), until: Timestamp(epochSeconds: 0))) == nil)
    }

    @Test func mergeKeepsTheFirstCopyOfARecordListedTwice() {
        func invoice(_ id: String, _ amount: Int64) -> Fetched<Invoice> {
            .record(Invoice(id: id, customerID: "cus_1", status: .paid, amount: Money(minorUnits: amount, currency: Currency(code: "USD")!), dueDate: nil, createdAt: nil))
        }
        let unreadable = Fetched<Invoice>.unreadable(UnreadableRecord(endpoint: "GET /invoices", id: nil, rawJSON: #"{"amount":"x"}"#, reason: "amount"))
        let merged = SplitListing.merge([invoice("inv_1", 100), invoice("inv_2", 200), unreadable],
                                        [invoice("inv_2", 999), invoice("inv_3", 300), unreadable])
        #expect(merged.map { $0.record?.id ?? "unreadable" } == ["inv_1", "inv_2", "unreadable", "inv_3"])
        #expect(merged[1].record?.amount.minorUnits == 200)
    }
}

import APClient
import APModels
import JobSettings
import Publishing
import Reconciliation
import RunState
import Snapshots

/// A listing filtered by `created_at` over a long window, fetched as several cursor chains at once.
///
/// A cursor chain is sequential: one page per round trip, whatever the concurrency. Over a month
/// of PAID invoices (hundreds of pages) that one chain is the longest path of the whole run
/// (docs/performance.md). The API's `created_at_start`/`created_at_end` filters let the window be
/// cut into slices, each its own chain, fetched concurrently.
///
/// The rule (docs/fetching.md), decided only from what the API answers, so a replay decides the same:
/// - follow the window's chain for up to `wholeChainPages` pages; a listing that ends there is
///   fetched as one chain (splitting a short chain costs more requests than the time it saves);
/// - otherwise, while splits are left and the window is at least two hours wide, drop what was
///   fetched and fetch the two halves concurrently, each by the same rule but with a one-page look
///   (a half whose first page is its last is done);
/// - when no split is left, follow the chain to its end.
/// Splits: `log2(concurrency)` levels, so at most `concurrency` chains (1 → no split at all).
/// A split listing costs the dropped pages (`wholeChainPages`, then one per further split) and at
/// most one part-filled page per slice more than one chain would.
///
public enum SplitListing {
    /// A slice is never cut below an hour: narrower slices would add requests and buy little.
    public static let minimumSliceSeconds: Int64 = 3_600

    /// How many times a listing may be halved at this concurrency: 2^levels chains at most.
    public static func levels(concurrency: Int) -> Int {
        var levels = 0
        while levels < 10, 1 << (levels + 1) <= concurrency { levels += 1 }
        return levels
    }

    /// The two overlapping halves of `window`, or nil when it is too narrow to cut.
    public static func halves(of window: ReportWindow) -> (ReportWindow, ReportWindow)? {
        let since = window.since.epochSeconds, until = window.until.epochSeconds
        guard until > since, until - since >= 2 * minimumSliceSeconds else { return nil }
        let mid = since + (until - since) / 2
        return (ReportWindow(since: window.since, until: Timestamp(epochSeconds: mid + 1)),
                ReportWindow(since: Timestamp(epochSeconds: mid), until: window.until))
    }

    /// A listing that ends within this many pages is never split.
    public static let wholeChainPages = 8

    /// The records of `list(window)`, by the rule above.
    static func fetch<Record: APIRecord>(
        _ window: ReportWindow, levels: Int, look: Int = wholeChainPages,
        list: @escaping @Sendable (ReportWindow) -> PagedRecords<Record>
    ) async throws -> [Fetched<Record>] {
        var pages = list(window).pages()
        var all: [Fetched<Record>] = []
        for _ in 0..<max(1, look) {
            guard let page = try await pages.next() else { return all }
            all += page
            if !pages.hasMore { return all }
        }
        if levels > 0, let (left, right) = halves(of: window) {
            async let earlier = fetch(left, levels: levels - 1, look: 1, list: list)
            async let later = fetch(right, levels: levels - 1, look: 1, list: list)
            return merge(try await earlier, try await later)
        }
        while let page = try await pages.next() { all += page }
        return all
    }

    /// `earlier` then the records of `later` not already in it (the overlap second).
    static func merge<Record: APIRecord>(_ earlier: [Fetched<Record>], _ later: [Fetched<Record>]) -> [Fetched<Record>] {
        func key(_ item: Fetched<Record>) -> String {
            switch item {
            case .record(let r): "r:" + r.id
            case .unreadable(let u): u.id.map { "r:" + $0 } ?? "u:" + u.rawJSON
            }
        }
        var seen = Set(earlier.map(key))
        return earlier + later.filter { seen.insert(key($0)).inserted }
    }
}

import APClient
import APSandbox
import Foundation
import Logging
import JobSettings
import Operations
import Publishing
import RunPipeline
import RunState
import Snapshots
import Reconciliation
import Testing

/// The fetch stage against the sandbox: exactly the requests docs/fetching.md promises.
@Suite struct FetchPlanTests {
    /// One payout whose only line names no invoice; GET /payments?customer_id=cus_1 says it pays
    /// inv_1. The same customer also has an old payment for inv_old, outside the window's scope.
    func dataset() throws -> SandboxDataset {
        let folder = try temporaryDataset(payouts: """
        [{"id":"po_1","status":"succeeded","amount":50000,"currency":"USD","created_at":"2026-11-03T09:00:00Z","lines":[
          {"id":"txn_1","status":"succeeded","amount":50000,"currency":"USD","type":"payment","direction":"inbound","customer_id":"cus_1"}]}]
        """)
        try Data("""
        [{"id":"txn_1","amount":50000,"currency":"USD","status":"succeeded","payment_method":"card","created_at":"2026-11-02T10:00:00Z","type":"payment","invoice_id":"inv_1","customer_id":"cus_1"},
         {"id":"txn_old","amount":9900,"currency":"USD","status":"succeeded","payment_method":"card","created_at":"2025-01-02T10:00:00Z","type":"payment","invoice_id":"inv_old","customer_id":"cus_1"}]
        """.utf8).write(to: folder.appendingPathComponent("transactions.json"))
        try Data("""
        [{"id":"inv_1","customer_id":"cus_1","status":"PAID","amount":50000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-01T00:00:00Z"},
         {"id":"inv_old","customer_id":"cus_1","status":"PAID","amount":9900,"currency":"USD","due_date":"2025-01-01","created_at":"2024-12-01T00:00:00Z"}]
        """.utf8).write(to: folder.appendingPathComponent("invoices.json"))
        return try SandboxDataset.load(directory: folder)
    }

    @Test func learnsTheLinkAndFetchesOnlyWhatTheWindowLinksTo() async throws {
        let window = ReportWindow(since: Timestamp.parse("2026-11-01", allowDateOnly: true)!, until: Timestamp.parse("2026-11-08", allowDateOnly: true)!)
        let (input, routes) = try await withSandbox(dataset: try dataset()) { sandbox, client, _ in
            let fetcher = Fetcher(client: client, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), concurrency: 4)
            return (try await fetcher.fetch(window: window), sandbox.stats().requestsByRoute)
        }
        #expect(routes == [
            "POST /oauth/token": 1,
            "GET /payouts": 1,
            "GET /payouts/{id}/transactions": 1,
            "GET /payments": 1,          // ?customer_id=cus_1, to learn txn_1's link
            "GET /invoices": 1,          // PAID in the window (no candidates needed: the link was learned)
            "GET /invoices/{id}": 1,     // inv_1 only, never inv_old
        ])
        #expect(Array(input.invoices.keys) == ["inv_1"])
        let result = reconcile(input)
        #expect(result.diagnostics.isEmpty)
        #expect(result.payouts.first?.lines.first?.match == .paymentsLookup)
        #expect(result.payouts.first?.lines.first?.invoiceID == "inv_1")
    }

    /// A generated month (ap-bench's shape, small): the run makes exactly the minimum the data
    /// needs — every listing page once, every payment request once (no list endpoint), nothing
    /// per record where a listing serves — over no more connections than requests in flight.
    @Test func makesExactlyTheMinimumRequestsOverReusedConnections() async throws {
        // 12 payouts × 30 lines = 12 × (29 payments + 1 fee); 300 invoices, so 48 payments pay requests.
        let dataset = SandboxDataset.generate(seed: 3, customers: 10, invoices: 300, payouts: 12, linesPerPayout: 30)
        let start = Timestamp(epochSeconds: 1_704_067_200)
        let window = ReportWindow(since: start, until: Timestamp(epochSeconds: 1_704_067_200 + 13 * 86_400))
        let (input, stats) = try await withSandbox(dataset: dataset, pageSize: 10) { sandbox, client, _ in
            let fetcher = Fetcher(client: client, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), concurrency: 4)
            return (try await fetcher.fetch(window: window), sandbox.stats())
        }
        // The PAID listing (300 invoices, one every 10 minutes from the window's start, so all in
        // its first 50 hours; 30 pages as one chain) is longer than 8 pages, so it is split twice
        // at concurrency 4 (docs/fetching.md): 8 pages of the whole window looked at and dropped;
        // the first half's first page dropped; the second half holds none (one empty page); the
        // first half's quarters (ends inclusive, as the sandbox reads them; halves overlap by one
        // second): all 300 in the first (30 pages), none in the second (one page).
        // 8 + 1 + 1 + 30 + 1 = 41: 11 more than one chain, for a dataset this lopsided.
        let s = start.epochSeconds, mid = s + 13 * 86_400 / 2
        let quarters: [(Int64, Int64)] = [(s, s + 280_800 + 1), (s + 280_800, mid + 1), (mid, mid + 280_800 + 1), (mid + 280_800, s + 13 * 86_400)]
        #expect(quarters.map { range in paidInvoices(of: dataset).filter { range.0 <= $0 && $0 <= range.1 }.count } == [300, 0, 0, 0])
        #expect(stats.requestsByRoute == [
            "POST /oauth/token": 1,
            "GET /payouts": 2,                       // 12 payouts, 10 a page
            "GET /payouts/{id}/transactions": 36,    // 3 full pages per payout, no empty page after
            "GET /invoices": 41,
            "GET /payments/request/{id}": 48,        // one each, no list endpoint
        ])
        // The harness's transport keeps at most 8 transfers in flight: one connection each, reused.
        #expect(stats.connectionsAccepted <= 8)
        #expect(input.paidInvoicesInWindow.count == 300)
        #expect(input.paymentRequests.count == 48)
        let result = reconcile(input)
        #expect(result.summary.lineCount == 360)
        #expect(result.diagnostics.isEmpty)
    }

    /// created_at (epoch seconds) of every PAID invoice in a dataset.
    func paidInvoices(of dataset: SandboxDataset) -> [Int64] {
        dataset.invoices.compactMap { invoice in
            guard invoice["status"]?.stringValue == "PAID", let text = invoice["created_at"]?.stringValue,
                  let created = Timestamp.parse(text) else { return nil }
            return created.epochSeconds
        }
    }

    /// Invoices created exactly at the cuts (and a second either side), at both ends of the window
    /// and just outside it: the split listing finds each in-window invoice once, the same as one
    /// chain does, at every concurrency.
    @Test(arguments: [1, 2, 4, 8])
    func theSplitListingLosesAndRepeatsNothingAtTheCuts(concurrency: Int) async throws {
        let since: Int64 = 1_793_491_200 // 2026-11-01T00:00:00Z
        let until = since + 4 * 86_400
        let mid = since + 2 * 86_400, quarter = since + 86_400, threeQuarters = since + 3 * 86_400
        var times: [Int64] = [since - 1, since, until - 1, until]
        for cut in [quarter, mid, threeQuarters] { times += [cut - 1, cut, cut + 1, cut + 1] }
        for i in 0..<24 { times.append(since + 3_600 * Int64(i) * 4 + 17) }
        let invoices = times.enumerated().map { i, t in
            #"{"id":"inv_\#(String(format: "%03d", i))","customer_id":"cus_1","status":"PAID","amount":1000,"currency":"USD","due_date":"2026-12-01","created_at":"\#(Timestamp(epochSeconds: t).rfc3339)"}"#
        }
        let folder = try temporaryDataset(payouts: """
        [{"id":"po_1","status":"succeeded","amount":0,"currency":"USD","created_at":"2026-11-02T09:00:00Z","lines":[]}]
        """)
        try Data(("[" + invoices.joined(separator: ",") + "]").utf8).write(to: folder.appendingPathComponent("invoices.json"))
        let dataset = try SandboxDataset.load(directory: folder)
        let window = ReportWindow(since: Timestamp(epochSeconds: since), until: Timestamp(epochSeconds: until))
        let (input, stats) = try await withSandbox(dataset: dataset, pageSize: 3) { sandbox, client, _ in
            let fetcher = Fetcher(client: client, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), concurrency: concurrency)
            return (try await fetcher.fetch(window: window), sandbox.stats())
        }
        let listed = input.paidInvoicesInWindow.compactMap(\.record?.id)
        #expect(listed.count == Set(listed).count, "no invoice twice")
        // Everything created in [since, until), once (the API lists the one at `until` too, the
        // fetcher drops it, whatever the split).
        let expected = times.enumerated().filter { since <= $0.element && $0.element < until }.map { "inv_" + String(format: "%03d", $0.offset) }
        #expect(listed.sorted() == expected.sorted())
        let chainPages = (times.filter { since <= $0 && $0 <= until }.count + 2) / 3 // what the API lists: both ends
        #expect(chainPages > SplitListing.wholeChainPages)
        if concurrency == 1 {
            #expect(stats.requestsByRoute["GET /invoices"] == chainPages) // one chain: too short to split
        } else {
            #expect((stats.requestsByRoute["GET /invoices"] ?? 0) > chainPages)
        }
    }

    /// A payouts listing longer than 8 pages is split like the PAID listing: 40 payouts one every
    /// 2.4 h over 4 days, 3 a page, concurrency 4 (two levels of cuts). 8 pages of the whole window
    /// looked at and dropped; each half's first page dropped (2); the quarters, ends inclusive as
    /// the sandbox reads them: payouts 0–10, 10–20, 20–30 (11 each → 4 pages) and 30–39 (10 → 4
    /// pages). 8 + 2 + 16 = 26, against 14 as one chain; every payout once.
    @Test func aLongPayoutsListingIsSplitAndLosesNothing() async throws {
        let since: Int64 = 1_793_491_200
        let payouts = (0..<40).map { i in
            #"{"id":"po_\#(String(format: "%02d", i))","status":"succeeded","amount":0,"currency":"USD","created_at":"\#(Timestamp(epochSeconds: since + Int64(i) * 8_640).rfc3339)","lines":[]}"#
        }
        let dataset = try SandboxDataset.load(directory: try temporaryDataset(payouts: "[" + payouts.joined(separator: ",") + "]"))
        let window = ReportWindow(since: Timestamp(epochSeconds: since), until: Timestamp(epochSeconds: since + 4 * 86_400))
        let (input, stats) = try await withSandbox(dataset: dataset, pageSize: 3) { sandbox, client, _ in
            let fetcher = Fetcher(client: client, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), concurrency: 4)
            return (try await fetcher.fetch(window: window), sandbox.stats())
        }
        #expect(input.payouts.compactMap(\.record?.id) == (0..<40).map { "po_" + String(format: "%02d", $0) })
        #expect(stats.requestsByRoute == [
            "POST /oauth/token": 1,
            "GET /payouts": 26,
            "GET /payouts/{id}/transactions": 40,
            "GET /invoices": 1,
        ])
    }
}

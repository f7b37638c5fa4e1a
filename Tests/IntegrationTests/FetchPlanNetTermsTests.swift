import APClient
import APSandbox
import APTransport
import Foundation
import JobSettings
import Logging
import Reconciliation
import RunPipeline
import Testing

/// Linked invoices created weeks before the window (net terms), next to years of history no line
/// pays: the adaptive invoice plan (InvoiceFetchPlan) asks far fewer requests than one per
/// invoice, the same data gives the same reports whichever plan fetched it, and a recorded run
/// replays with the same requests.
@Suite struct FetchPlanNetTermsTests {
    static let since: Int64 = 1_793_491_200 // 2026-11-01T00:00:00Z, JobHarness.since
    static let day: Int64 = 86_400

    /// The window 2026-11-01..08 and, in created_at order:
    /// - `tail` linked PAID invoices 1–3 years old (inv_t…), among 40 unlinked PAID ones of
    ///   2024–25 (inv_o…), one every 15 days from 2024-01-01;
    /// - `dense` linked PAID invoices (inv_d…) over 30 days from 45 days before the window, one
    ///   every `30 days / dense`; half-way to the next an unlinked one (inv_h…), alternately PAID
    ///   and OPEN: history a slice covers, never in the report;
    /// - 14 unlinked invoices (inv_g…), one a day in the 14 days before the window (PAID, OVERDUE):
    ///   the gap net terms leave, where no linked invoice is;
    /// - 5 linked PAID invoices created in the window (inv_w…), listed by the PAID listing;
    /// - a line linking to inv_gone, which the API does not know (404).
    /// Payouts of 23 lines each (the last may be shorter), every line a succeeded payment of its
    /// invoice's amount, so only inv_gone is a diagnostic.
    static func dataset(dense: Int, tail: Int = 3) throws -> SandboxDataset {
        var invoices: [String] = []
        func invoice(_ id: String, _ status: String, _ amount: Int, _ created: Int64) {
            let due = Timestamp(epochSeconds: created + 30 * day).rfc3339.prefix(10)
            invoices.append(#"{"id":"\#(id)","customer_id":"cus_1","status":"\#(status)","amount":\#(amount),"currency":"USD","due_date":"\#(due)","created_at":"\#(Timestamp(epochSeconds: created).rfc3339)"}"#)
        }
        var linked: [(String, Int)] = []
        let y2024: Int64 = 1_704_067_200
        for i in 0..<40 { invoice(String(format: "inv_o%02d", i), "PAID", 700 + i, y2024 + Int64(i) * 15 * day) }
        for i in 0..<tail {
            let id = "inv_t\(i)"
            invoice(id, "PAID", 900 + i, y2024 + 9 * day + Int64(i) * 181 * day)
            linked.append((id, 900 + i))
        }
        let start = since - 45 * day, step = 30 * day / Int64(dense)
        for i in 0..<dense {
            let id = String(format: "inv_d%04d", i)
            invoice(id, "PAID", 1_000 + i, start + Int64(i) * step)
            linked.append((id, 1_000 + i))
            invoice(String(format: "inv_h%04d", i), i % 2 == 0 ? "PAID" : "OPEN", 5_000 + i, start + Int64(i) * step + step / 2)
        }
        for i in 0..<14 { invoice(String(format: "inv_g%02d", i), i % 2 == 0 ? "PAID" : "OVERDUE", 800 + i, since - Int64(14 - i) * day) }
        for i in 0..<5 {
            let id = "inv_w\(i)"
            invoice(id, "PAID", 600 + i, since + Int64(i) * day + 3_600)
            linked.append((id, 600 + i))
        }
        linked.append(("inv_gone", 500))

        var payouts: [String] = []
        for (p, chunk) in stride(from: 0, to: linked.count, by: 23).map({ (Int($0) / 23, linked[$0..<min($0 + 23, linked.count)]) }) {
            let lines = chunk.enumerated().map { l, line in
                #"{"id":"txn_\#(p)_\#(l)","status":"succeeded","amount":\#(line.1),"currency":"USD","type":"payment","direction":"inbound","customer_id":"cus_1","invoice_id":"\#(line.0)"}"#
            }
            let created = Timestamp(epochSeconds: since + Int64(p % 6) * day + 9 * 3_600 + Int64(p) * 60).rfc3339
            payouts.append(#"{"id":"po_\#(p)","status":"succeeded","amount":\#(chunk.reduce(0) { $0 + $1.1 }),"currency":"USD","created_at":"\#(created)","lines":[\#(lines.joined(separator: ","))]}"#)
        }
        return try JobHarness.dataset([
            "invoices.json": "[" + invoices.joined(separator: ",\n") + "]",
            "payouts.json": "[" + payouts.joined(separator: ",\n") + "]",
        ])
    }

    static let quiet = Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A small net-terms dataset through the Fetcher with a small plan (sample 8, from 16 missing
    /// ids; 4 grace pages, groups cut at 8 typical gaps, ends widened by one), page size 10,
    /// concurrency 4: exactly these requests.
    @Test func aNetTermsMonthInMiniatureCostsExactlyThesePages() async throws {
        // 60 dense + 3 tail + 1 gone = 64 linked invoices the PAID listing (the 5 of the window)
        // does not hold.
        let dataset = try Self.dataset(dense: 60)
        let plan = InvoiceFetchPlan(sampleSize: 8, minimumMissing: 16, grace: 4, gapFactor: 8, edgeGaps: 1)
        let window = ReportWindow(since: Timestamp(epochSeconds: Self.since), until: Timestamp(epochSeconds: Self.since + 7 * Self.day))
        let missing = (0..<60).map { String(format: "inv_d%04d", $0) } + ["inv_gone", "inv_t0", "inv_t1", "inv_t2"]
        // The sample: the 8 ids of the smallest rank (InvoiceFetchPlan.rank).
        let sample = plan.sample(of: missing)
        #expect(sample == ["inv_d0003", "inv_d0010", "inv_d0018", "inv_d0027", "inv_d0037", "inv_d0038", "inv_d0042", "inv_d0054"])
        // Their created_at: inv_d00k at start + 12 h × k (start = the window − 45 days). Gaps in
        // units of 12 h: 7, 8, 9, 10, 1, 4, 12 → median 8 (96 h), limit 8 × 96 h: one group.
        // 8 times, 4 chains: min(8/2, 4 × 8/8) = 4 slices cut at the 3rd, 5th and 7th time
        // (k = 18, 37, 42), the outer ends widened by 96 h:
        let start = Self.since - 45 * Self.day, h: Int64 = 3_600
        let slices = plan.slices(sampleCreated: [3, 10, 18, 27, 37, 38, 42, 54].map { Timestamp(epochSeconds: start + $0 * 12 * h) }, chains: 4)
        let cuts: [Int64] = [36 - 96, 216, 444, 504, 648 + 96]
        #expect(slices == (0..<4).map { ReportWindow(since: Timestamp(epochSeconds: start + cuts[$0] * h),
                                                      until: Timestamp(epochSeconds: start + cuts[$0 + 1] * h + ($0 == 3 ? 1 : 0))) })
        // Each slice is listed (any status; the sandbox's ends are inclusive), 10 a page; a dense
        // linked invoice every 12 h and a history one 6 h after it, so ~5 wanted a page and no
        // chain stops early (payoff 2):
        // - [start − 60 h, start + 216 h]: inv_d0000–d0018 (19) + inv_h0000–h0017 (18) = 37 → 4 pages;
        // - [start + 216 h, start + 444 h]: d0018–d0037 (20) + h0018–h0036 (19) = 39 → 4 pages;
        // - [start + 444 h, start + 504 h]: d0037–d0042 (6) + h0037–h0041 (5) = 11 → 2 pages;
        // - [start + 504 h, start + 744 h + 1 s]: d0042–d0059 (18) + h0042–h0059 (18) = 36 → 4 pages.
        // 14 listing pages hold all 52 unsampled dense ids; the rest by id: inv_gone, inv_t0–t2.
        // GET /invoices/{id}: 8 sampled + 4 = 12. GET /invoices: 1 PAID page of the window + 14.
        // One by one: 64 by id + 1 = 65 invoice requests; adaptive: 27.
        let (input, stats) = try await withSandbox(dataset: dataset, pageSize: 10) { sandbox, client, _ in
            let fetcher = Fetcher(client: client, logger: Self.quiet, concurrency: 4, invoicePlan: plan)
            return (try await fetcher.fetch(window: window), sandbox.stats())
        }
        #expect(stats.requestsByRoute == [
            "POST /oauth/token": 1,
            "GET /payouts": 1,
            "GET /payouts/{id}/transactions": 9,   // 69 lines: 3 payouts of 23, 3 pages each
            "GET /invoices": 15,
            "GET /invoices/{id}": 12,
        ])
        // Only what a line links to: never the history the slices covered.
        #expect(input.invoices.count == 69)
        #expect(Set(input.invoices.keys) == Set(missing + (0..<5).map { "inv_w\($0)" }))
        if case .notFound = input.invoices["inv_gone"] {} else { Issue.record("inv_gone is not a 404") }
        let result = reconcile(input)
        #expect(result.diagnostics.map(\.code.rawValue) == ["TXN_INVOICE_NOT_FOUND"])
    }

    /// What the first round's slices leave gets a second round: with no widening at the ends
    /// (edgeGaps 0), the dense ids beyond the outermost samples are left by round 1; a sample of
    /// them lists them in round 2. Same answers as one by one, fewer by-id requests than one round.
    @Test func whatTheSlicesLeaveGetsASecondRound() async throws {
        let dataset = try Self.dataset(dense: 200, tail: 12)
        let window = ReportWindow(since: Timestamp(epochSeconds: Self.since), until: Timestamp(epochSeconds: Self.since + 7 * Self.day))
        func fetch(_ plan: InvoiceFetchPlan) async throws -> ([String: String], [String: Int]) {
            try await withSandbox(dataset: dataset, pageSize: 10) { sandbox, client, _ in
                let input = try await Fetcher(client: client, logger: Self.quiet, concurrency: 4, invoicePlan: plan).fetch(window: window)
                var answers: [String: String] = [:]
                for (id, found) in input.invoices {
                    if case .found(.record(let invoice)) = found { answers[id] = "\(invoice.amount.minorUnits) \(invoice.status)" } else { answers[id] = "-" }
                }
                return (answers, sandbox.stats().requestsByRoute)
            }
        }
        let small = InvoiceFetchPlan(sampleSize: 8, minimumMissing: 16, grace: 4, gapFactor: 8, edgeGaps: 0)
        var single = small
        single.rounds = 1
        let (twoRounds, twoRequests) = try await fetch(small)
        let (oneRound, oneRequests) = try await fetch(single)
        let (byID, _) = try await fetch(.byID)
        #expect(twoRounds == byID)
        #expect(oneRound == byID)
        #expect(twoRounds.count == 218)
        let (two, one) = (try #require(twoRequests["GET /invoices/{id}"]), try #require(oneRequests["GET /invoices/{id}"]))
        #expect(two < one, "by id: two rounds \(two), one round \(one)")
    }

    struct Run {
        var outcome: RunOutcome
        var files: [String: Data]
        var requests: [String: Int]
        var out: URL
    }

    /// `run` in-process against a fresh sandbox, 10 records a page.
    static func run(_ dataset: SandboxDataset, plan: InvoiceFetchMode, concurrency: Int, record: Bool = false) async throws -> Run {
        let sandbox = try await JobHarness.start(dataset)
        let out = JobHarness.scratch("nt").appendingPathComponent("reports")
        let asOf = try WindowParser.instant(JobHarness.asOf, option: "--as-of")
        var request = RunRequest(
            baseURL: JobHarness.stableBaseURL, credentials: ClientCredentials(clientID: JobHarness.clientID, clientSecret: JobHarness.secret),
            window: try WindowParser.window(since: JobHarness.since, until: JobHarness.until, now: asOf), asOf: asOf,
            outputDirectory: out.path, failOn: .never, concurrency: concurrency, retryPolicy: JobHarness.fastRetries, pageSize: 10)
        request.invoiceFetch = plan
        if record { request.snapshot = .record }
        var configuration = TransportConfiguration()
        configuration.maxConcurrentRequests = concurrency
        let curl = CurlTransport(configuration: configuration)
        let outcome = await Pipeline.run(request, logger: quiet, transport: RedirectingTransport(from: JobHarness.stableBaseURL, to: sandbox.baseURL, inner: curl))
        curl.shutdown()
        let stats = sandbox.stats()
        await sandbox.stop()
        return Run(outcome: outcome, files: try reportFiles(in: out), requests: stats.requestsByRoute, out: out)
    }

    /// The report files of a folder (subfolders such as snapshot/ left out).
    static func reportFiles(in folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            var isDirectory: ObjCBool = false
            let path = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = try Data(contentsOf: path)
            }
        }
        return files
    }

    /// report.json without the request counts (run.requests_total, run.requests_by_endpoint and
    /// the same for retries);
    /// manifest.json without report.json's entry (its digest and size follow those counts).
    static func withoutRequestCounts(_ name: String, _ data: Data) throws -> NSDictionary {
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        if name == "report.json" {
            var run = try #require(object["run"] as? [String: Any])
            #expect(run.removeValue(forKey: "requests_by_endpoint") != nil)
            #expect(run.removeValue(forKey: "requests_total") != nil)
            run.removeValue(forKey: "retries_by_endpoint")
            run.removeValue(forKey: "retries_total")
            object["run"] = run
        } else {
            let files = try #require(object["files"] as? [[String: Any]])
            object["files"] = files.filter { $0["name"] as? String != "report.json" }
        }
        return object as NSDictionary
    }

    /// The top-level keys (and run.* keys) whose values differ, for a readable failure.
    static func difference(_ a: NSDictionary, _ b: NSDictionary) -> [String] {
        var keys: [String] = []
        for case let key as String in a.allKeys where (a[key] as? NSObject) != (b[key] as? NSObject) {
            if let x = a[key] as? NSDictionary, let y = b[key] as? NSDictionary { keys += difference(x, y).map { key + "." + $0 } } else { keys.append(key) }
        }
        return keys.sorted()
    }

    /// The same data through the adaptive plan and the forced one-by-one plan: byte-identical
    /// CSV and HTML reports; report.json and manifest.json equal but for the request counts.
    @Test func theAdaptivePlanAndTheOneByOnePlanWriteTheSameReports() async throws {
        // 400 dense + 12 tail + gone: 413 missing, above the default plan's 256.
        let dataset = try Self.dataset(dense: 400, tail: 12)
        let adaptive = try await Self.run(dataset, plan: .adaptive, concurrency: 8)
        let byID = try await Self.run(dataset, plan: .byID, concurrency: 8)
        #expect(adaptive.outcome.status == .clean || adaptive.outcome.status == .diagnosticsFound)
        #expect(adaptive.outcome.status == byID.outcome.status)
        #expect(adaptive.outcome.headline.replacingOccurrences(of: adaptive.out.path, with: "OUT")
                == byID.outcome.headline.replacingOccurrences(of: byID.out.path, with: "OUT"))
        #expect(Set(adaptive.files.keys) == Set(byID.files.keys))
        #expect(adaptive.files.count == 8) // bank.csv too: every run writes it
        for (name, bytes) in adaptive.files {
            if name == "report.json" || name == "manifest.json" {
                let (a, b) = (try Self.withoutRequestCounts(name, bytes), try Self.withoutRequestCounts(name, try #require(byID.files[name])))
                #expect(a == b, "\(name) differs: \(Self.difference(a, b))")
            } else {
                #expect(bytes == byID.files[name], "\(name) differs")
            }
        }
        // The one diagnostic is the 404; no history invoice made it into the report.
        let diagnostics = String(decoding: try #require(adaptive.files["diagnostics.csv"]), as: UTF8.self)
        #expect(diagnostics.split(whereSeparator: \.isNewline).count == 2)
        #expect(diagnostics.contains("TXN_INVOICE_NOT_FOUND"))
        let invoices = String(decoding: try #require(adaptive.files["invoices.csv"]), as: UTF8.self)
        for prefix in ["inv_h", "inv_g0", "inv_g1", "inv_o"] { #expect(!invoices.contains(prefix)) }
        // One by one: 413 by id. Adaptive at concurrency 8: 64 sampled, 8 slices of 85 pages in
        // all (the outer ends reach three typical gaps beyond the outermost samples, so every
        // dense id is listed), 12 by id (the tail ids outside the sample and inv_gone) — 162
        // with the window's PAID page, against 414.
        #expect(byID.requests["GET /invoices/{id}"] == 413)
        #expect(byID.requests["GET /invoices"] == 1)
        #expect(adaptive.requests["GET /invoices/{id}"] == 76, "\(adaptive.requests)")
        #expect(adaptive.requests["GET /invoices"] == 86, "\(adaptive.requests)")
    }

    /// Recorded at two concurrencies, each replays with exactly the recorded requests (a request
    /// the snapshot lacks fails the replay), and both recordings asked the same requests.
    @Test func aNetTermsRunReplaysAtTwoConcurrencies() async throws {
        let dataset = try Self.dataset(dense: 400, tail: 12)
        var counts: [[String: Int]] = []
        for concurrency in [2, 8] {
            let recorded = try await Self.run(dataset, plan: .adaptive, concurrency: concurrency, record: true)
            #expect(recorded.outcome.outputDirectory != nil, "\(recorded.outcome.headline)")
            let replayed = JobHarness.scratch("nt-replay").appendingPathComponent("reports")
            let outcome = await Replay.run(ReplayRequest(snapshotFolder: recorded.out.appendingPathComponent("snapshot").path,
                                                         outputDirectory: replayed.path), logger: Self.quiet)
            #expect(outcome.status == recorded.outcome.status, "\(outcome.headline)")
            let files = try Self.reportFiles(in: replayed)
            for name in ["report.json", "payouts.csv", "transactions.csv", "invoices.csv", "diagnostics.csv", "report.html"] {
                #expect(files[name] == recorded.files[name], "\(name) differs at concurrency \(concurrency)")
            }
            var requests = recorded.requests
            requests.removeValue(forKey: "POST /oauth/token")
            counts.append(requests)
        }
        // The plan's chains are cut by the concurrency, so only the by-id part may differ; the
        // listings of the window and the lines are the same.
        #expect(counts[0]["GET /payouts/{id}/transactions"] == counts[1]["GET /payouts/{id}/transactions"])
    }
}

import APSandbox
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// docs/fault-matrix.md: one fault per row, the job end to end against the sandbox, and the outcome
/// the row promises: the report a fault-free run writes (see `SameReport`), or a documented
/// exit code with no new report file. docs/fault-matrix.md is the table of these rows.
///
/// Rows that end in a report run in-process through `Pipeline.run` (real libcurl, paging,
/// publish) so the transport's stall timeout can be short; rows that end in an exit code run
/// the built binary.
@Suite struct FaultMatrixTests {
    func baseline() async throws -> JobHarness.PipelineRun {
        let run = try await JobHarness.baseline.value
        try #require(run.outcome.status == .clean, "the fault-free run failed: \(run.outcome.headline)")
        return run
    }

    // MARK: identical report

    @Test func tenPercentRateLimitedWithRetryAfter() async throws {
        let run = try await JobHarness.pipeline(try JobHarness.sampleDataset(), faults: FaultConfiguration(rateLimitRate: 0.1, retryAfterSeconds: 1))
        #expect(run.stats.faultsInjected["rate_limit", default: 0] > 0)
        #expect(SameReport.retries(run) == run.stats.faultsInjected.values.reduce(0, +))
        print("fault matrix: tenPercentRateLimitedWithRetryAfter: faults \(run.stats.faultsInjected.sorted { $0.key < $1.key }), tokens \(run.stats.tokensIssued), job retries \(SameReport.retries(run)), exit \(run.outcome.status.rawValue)")
        SameReport.expectSame(run, as: try await baseline())
    }

    @Test(arguments: [false, true])
    func tenPercentServerErrors(html: Bool) async throws {
        let run = try await JobHarness.pipeline(try JobHarness.sampleDataset(), faults: FaultConfiguration(errorRate: 0.1, htmlErrors: html))
        let injected = run.stats.faultsInjected
        #expect(injected["status_500", default: 0] + injected["status_502", default: 0] + injected["status_503", default: 0] > 0)
        #expect(SameReport.retries(run) == injected.values.reduce(0, +))
        print("fault matrix: tenPercentServerErrors: faults \(run.stats.faultsInjected.sorted { $0.key < $1.key }), tokens \(run.stats.tokensIssued), job retries \(SameReport.retries(run)), exit \(run.outcome.status.rawValue)")
        SameReport.expectSame(run, as: try await baseline())
    }

    @Test func fivePercentConnectionsResetBeforeAResponse() async throws {
        let run = try await JobHarness.pipeline(try JobHarness.sampleDataset(), faults: FaultConfiguration(dropRate: 0.05))
        #expect(run.stats.faultsInjected["drop", default: 0] > 0)
        // Fewer retries than drops is expected: libcurl itself resends a request once when a
        // reused keep-alive connection closes before any reply, and the job never sees that.
        print("fault matrix: \(run.stats.faultsInjected["drop", default: 0]) drops, \(SameReport.retries(run)) retries by the job")
        print("fault matrix: fivePercentConnectionsResetBeforeAResponse: faults \(run.stats.faultsInjected.sorted { $0.key < $1.key }), tokens \(run.stats.tokensIssued), job retries \(SameReport.retries(run)), exit \(run.outcome.status.rawValue)")
        SameReport.expectSame(run, as: try await baseline())
    }

    @Test func threePercentBodiesTruncatedMidJSON() async throws {
        let run = try await JobHarness.pipeline(try JobHarness.sampleDataset(), faults: FaultConfiguration(truncateRate: 0.03))
        #expect(run.stats.faultsInjected["truncate", default: 0] > 0)
        #expect(SameReport.retries(run) == run.stats.faultsInjected.values.reduce(0, +))
        print("fault matrix: threePercentBodiesTruncatedMidJSON: faults \(run.stats.faultsInjected.sorted { $0.key < $1.key }), tokens \(run.stats.tokensIssued), job retries \(SameReport.retries(run)), exit \(run.outcome.status.rawValue)")
        SameReport.expectSame(run, as: try await baseline())
    }

    @Test func aResponseStallsLongerThanTheStallTimeout() async throws {
        // A 1 s stall timeout (curl's low-speed limit) against 8 s stalls halfway through a body.
        // libcurl judges speed over a moving window of about 5 s, so a stall is noticed after
        // roughly window + timeout: 2.5 s stalls go unnoticed with a 1 s timeout.
        let run = try await JobHarness.pipeline(
            try JobHarness.sampleDataset(), transport: { $0.stallTimeout = .seconds(1) },
            script: { sandbox in
                sandbox.enqueue(.stall(ms: 8000), matching: "/payouts/", count: 1)
                sandbox.enqueue(.stall(ms: 8000), matching: "/invoices", count: 1)
            })
        #expect(run.stats.faultsInjected["stall", default: 0] == 2)
        #expect(SameReport.retries(run) >= 2) // the two stalls; on a loaded machine a 1 s stall timeout may also cut another slow reply
        print("fault matrix: aResponseStallsLongerThanTheStallTimeout: faults \(run.stats.faultsInjected.sorted { $0.key < $1.key }), tokens \(run.stats.tokensIssued), job retries \(SameReport.retries(run)), exit \(run.outcome.status.rawValue)")
        SameReport.expectSame(run, as: try await baseline())
    }

    @Test func tokenTTLOfTwoSecondsOverALongRun() async throws {
        // 60 ms per request, 2 at a time: the run outlives several tokens.
        let run = try await JobHarness.pipeline(try JobHarness.sampleDataset(), faults: FaultConfiguration(latencyMs: 60),
                                                tokenTTL: 2, concurrency: 2)
        #expect(run.stats.tokensIssued >= 2)
        print("fault matrix: tokenTTLOfTwoSecondsOverALongRun: faults \(run.stats.faultsInjected.sorted { $0.key < $1.key }), tokens \(run.stats.tokensIssued), job retries \(SameReport.retries(run)), exit \(run.outcome.status.rawValue)")
        SameReport.expectSame(run, as: try await baseline())
    }

    // MARK: documented exit, no report

    /// The sample data, two records per page whatever `limit` the job asks for, so that
    /// cursor faults have a second page to happen on.
    func server(faults: FaultConfiguration = .none, _ dataset: SandboxDataset? = nil) async throws -> RunningSandbox {
        try await JobHarness.start(try dataset ?? JobHarness.sampleDataset(), faults: faults, pageShape: .openapi, maxPageSize: 2)
    }

    /// Runs the binary into a fresh folder; checks that no report folder and no staging folder appeared.
    func failingRun(_ sandbox: RunningSandbox, extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> JobHarness.BinaryRun {
        let parent = JobHarness.scratch("exit")
        let out = parent.appendingPathComponent("reports").path
        let result = try await JobHarness.runBinary(JobHarness.window(sandbox.baseURL, out: out) + extra)
        await sandbox.stop()
        #expect(!FileManager.default.fileExists(atPath: out), "a failed run created \(out)", sourceLocation: sourceLocation)
        #expect(JobHarness.listing(parent.path).isEmpty, "left behind: \(JobHarness.listing(parent.path))", sourceLocation: sourceLocation)
        #expect(result.lastLine.hasPrefix("ap-reconcile: FAILED (exit \(result.status)): no report written:"), "\(result.lastLine)", sourceLocation: sourceLocation)
        print("fault matrix: exit \(result.status): \(result.lastLine.prefix(300))")
        return result
    }

    @Test func everyRequest503ExitsUnavailableWithinTheRetryBudget() async throws {
        let sandbox = try await server()
        sandbox.enqueue(.status(503), matching: "/", count: 100_000)
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await failingRun(sandbox, extra: ["--max-attempts", "4", "--retry-budget", "3"])
        #expect(result.status == 69)
        #expect(result.lastLine.contains("POST /oauth/token"))
        #expect(result.lastLine.contains("[HTTP 503]"))
        print("fault matrix: every request 503 → exit \(result.status) after \(clock.now - started)")
    }

    @Test func credentialsRevokedMidRunExitsPermissionDenied() async throws {
        let sandbox = try await server()
        // The payouts list succeeds; the first payout's lines get 401 and so does the token refresh.
        sandbox.enqueue(.revokeTokens, matching: "/payouts/", count: 1)
        let result = try await failingRun(sandbox)
        #expect(result.status == 77)
        #expect(result.lastLine.contains("[HTTP 401]"))
        #expect(sandbox.stats().tokensIssued == 1)
    }

    static let protocolFaults: [ScriptedFault] = [.repeatCursor, .hasNextWithoutCursor, .duplicateIdAcrossPages, .duplicateIdWithinPage, .garbagePage, .wrongTypesPage]

    @Test(arguments: protocolFaults)
    func brokenPagingExitsProtocolFault(fault: ScriptedFault) async throws {
        let sandbox = try await server()
        sandbox.enqueue(fault, matching: "/payouts", count: 1)
        let result = try await failingRun(sandbox)
        #expect(result.status == 76, "\(fault): \(result.lastLine)")
        #expect(result.lastLine.contains("GET /payouts"))
        #expect(sandbox.stats().faultsInjected[fault.kind] == 1)
    }

    /// A record listed twice on one page of the other listings the run reads: a payout's lines
    /// (where a repeated line would be summed twice) and the PAID invoices.
    @Test(arguments: ["/payouts/", "/invoices"])
    func aRecordListedTwiceOnOnePageExitsProtocolFault(path: String) async throws {
        let sandbox = try await server()
        sandbox.enqueue(.duplicateIdWithinPage, matching: path, count: 1)
        let result = try await failingRun(sandbox)
        #expect(result.status == 76, "\(path): \(result.lastLine)")
        #expect(result.lastLine.contains("is listed twice on the same page"), "\(result.lastLine)")
        #expect(result.lastLine.contains(path == "/invoices" ? "GET /invoices" : "GET /payouts/{id}/transactions"), "\(result.lastLine)")
        #expect(sandbox.stats().faultsInjected["duplicate_id_within_page"] == 1)
    }

    @Test func unwritableOutputFolderExitsCannotWrite() async throws {
        // Root ignores permission bits, so as root the job runs as nobody (setpriv) against a
        // folder only root may write.
        let parent = JobHarness.scratch("locked")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        _ = chmod(parent.path, 0o555)
        defer { _ = chmod(parent.path, 0o755) }
        var prefix: [String] = []
        if getuid() == 0 {
            try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "running as root without setpriv: cannot drop privileges")
            prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        }
        let sandbox = try await server()
        let out = parent.appendingPathComponent("reports").path
        let result = try await JobHarness.runBinary(JobHarness.window(sandbox.baseURL, out: out), prefix: prefix)
        await sandbox.stop()
        #expect(result.status == 73, "\(result.stderr)")
        #expect(result.lastLine.hasPrefix("ap-reconcile: FAILED (exit 73): no report written: cannot write \(parent.path)/"))
        #expect(result.lastLine.hasSuffix(": permission denied"))
        #expect(JobHarness.listing(parent.path).isEmpty)
    }

    @Test func fileSizeLimitFailsTheWriteAndLeavesThePreviousReport() async throws {
        // A full disk, as a file size limit: the write that crosses it fails with EFBIG (the
        // job ignores SIGXFSZ). 40 blocks is at most 40 KiB; report.json of the sample is ~68 KB.
        let out = JobHarness.scratch("fsize").appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("previous night\n".utf8).write(to: out.appendingPathComponent("report.json"))
        let sandbox = try await server()
        let result = try await JobHarness.runBinary(JobHarness.window(sandbox.baseURL, out: out.path),
                                                    prefix: ["/bin/sh", "-c", "ulimit -f 40 && exec \"$0\" \"$@\""])
        await sandbox.stop()
        #expect(result.status == 73, "\(result.stderr)")
        #expect(result.lastLine.contains("file too large (a file size limit is in force)"))
        #expect(JobHarness.listing(out.path) == ["report.json"])
        #expect(try String(contentsOf: out.appendingPathComponent("report.json"), encoding: .utf8) == "previous night\n")
        #expect(JobHarness.listing(out.deletingLastPathComponent().path) == ["reports"])
    }

    // MARK: data faults

    static let payoutOne = """
    {"id":"po_1","status":"succeeded","amount":248500,"currency":"USD","created_at":"2026-11-03T09:00:00Z","lines":[
      {"id":"txn_1","status":"succeeded","amount":150000,"currency":"USD","type":"payment","direction":"inbound","invoice_id":"inv_1"},
      {"id":"txn_2","status":"succeeded","amount":100000,"currency":"USD","type":"payment","direction":"inbound","invoice_id":"inv_2"},
      {"id":"txn_3","status":"succeeded","amount":1500,"currency":"USD","type":"fee","direction":"outbound"}]}
    """
    static let invoices = """
    [{"id":"inv_1","customer_id":"cus_1","status":"PAID","amount":150000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-01T00:00:00Z"},
     {"id":"inv_2","customer_id":"cus_1","status":"PAID","amount":100000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-02T00:00:00Z"}]
    """

    func rows(_ data: Data?, containing id: String) -> [String] {
        String(decoding: data ?? Data(), as: UTF8.self).components(separatedBy: "\r\n").filter { $0.contains(id) }
    }

    @Test func oneRecordWithAnUnusableAmount() async throws {
        let bad = """
        {"id":"po_2","status":"succeeded","amount":5000,"currency":"USD","created_at":"2026-11-04T09:00:00Z","lines":[
          {"id":"txn_bad","status":"succeeded","amount":"12.5.0","currency":"USD","type":"payment","direction":"inbound"}]}
        """
        let clean = try await JobHarness.pipeline(try JobHarness.dataset(["payouts.json": "[\(Self.payoutOne)]", "invoices.json": Self.invoices]))
        let run = try await JobHarness.pipeline(try JobHarness.dataset(["payouts.json": "[\(Self.payoutOne),\(bad)]", "invoices.json": Self.invoices]))
        #expect(run.outcome.status == .clean) // --fail-on never: the run completes and reports
        let diagnostics = String(decoding: run.files["diagnostics.csv"] ?? Data(), as: UTF8.self)
        let unreadable = rows(run.files["diagnostics.csv"], containing: "RECORD_UNREADABLE")
        #expect(unreadable.count == 1)
        #expect(unreadable.first?.contains("txn_bad") == true)
        #expect(unreadable.first?.contains("amount") == true)
        // po_1 is reported exactly as in a run without the bad record.
        for file in ["payouts.csv", "transactions.csv", "invoices.csv"] {
            #expect(rows(run.files[file], containing: "po_1") == rows(clean.files[file], containing: "po_1"), "\(file)")
        }
        #expect(rows(run.files["invoices.csv"], containing: "inv_") == rows(clean.files["invoices.csv"], containing: "inv_"))
        #expect(!diagnostics.contains("po_1,"))
    }

    @Test func amountsNearTheInt64LimitsGiveDiagnosticsNotACrash() async throws {
        let payouts = """
        [{"id":"po_big","status":"succeeded","amount":9223372036854775807,"currency":"USD","created_at":"2026-11-03T09:00:00Z","lines":[
          {"id":"txn_max1","status":"succeeded","amount":9223372036854775000,"currency":"USD","type":"payment","direction":"inbound"},
          {"id":"txn_max2","status":"succeeded","amount":9223372036854775000,"currency":"USD","type":"payment","direction":"inbound"}]},
         {"id":"po_min","status":"succeeded","amount":-9223372036854775808,"currency":"USD","created_at":"2026-11-03T10:00:00Z","lines":[
          {"id":"txn_min","status":"succeeded","amount":9223372036854775807,"currency":"USD","type":"refund","direction":"outbound"},
          {"id":"txn_fee","status":"succeeded","amount":9223372036854775807,"currency":"USD","type":"fee","direction":"outbound"}]},
         {"id":"po_over","status":"succeeded","amount":9223372036854775808,"currency":"USD","created_at":"2026-11-03T11:00:00Z","lines":[
          {"id":"txn_over","status":"succeeded","amount":99999999999999999999,"currency":"USD","type":"payment","direction":"inbound"}]}]
        """
        let sandbox = try await server(try JobHarness.dataset(["payouts.json": payouts]))
        let out = JobHarness.scratch("int64").appendingPathComponent("reports").path
        let result = try await JobHarness.runBinary(JobHarness.window(sandbox.baseURL, out: out))
        await sandbox.stop()
        #expect(result.status == 1, "\(result.stderr)") // diagnostics at error: reports written, no crash
        let diagnostics = try String(contentsOfFile: out + "/diagnostics.csv", encoding: .utf8)
        let overflow = diagnostics.components(separatedBy: "\r\n").filter { $0.contains("AMOUNT_OVERFLOW") }
        #expect(overflow.contains { $0.contains("po_big") })
        #expect(overflow.contains { $0.contains("po_min") })
        let unreadable = diagnostics.components(separatedBy: "\r\n").filter { $0.contains("RECORD_UNREADABLE") }
        #expect(unreadable.contains { $0.contains("po_over") })
        // No wrapped sums: the only 19-digit figures in the CSVs are the API's own.
        for name in ["payouts.csv", "transactions.csv"] {
            let text = try String(contentsOfFile: out + "/" + name, encoding: .utf8)
            #expect(!text.contains("-18446744073709551"), "\(name)")
        }
    }
}

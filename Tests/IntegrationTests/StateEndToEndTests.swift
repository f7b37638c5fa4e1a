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
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `ap-reconcile run --state` as a scheduler runs it, night after night, against the in-process
/// sandbox: watermark and lookback, the failure gap, the lock, signals, open items.
/// (`swift build --build-tests` builds the binary next to the test bundle.)
@Suite struct StateEndToEndTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ap-reconcile")
    static let secret = "state-secret-Pq41Zr"
    static let environment = ["PATH": "/usr/bin:/bin", "AP_CLIENT_ID": "state", "AP_CLIENT_SECRET": secret]

    static let invoices = """
    [{"id":"inv_1","customer_id":"cus_1","status":"PAID","amount":100000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-01T00:00:00Z"},
     {"id":"inv_2","customer_id":"cus_1","status":"PAID","amount":200000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-02T00:00:00Z"},
     {"id":"inv_3","customer_id":"cus_1","status":"PAID","amount":300000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-03T00:00:00Z"}]
    """

    /// A payout on `day` with one payment of invoice `invoice`; `short` minor units missing from
    /// its amount (PAYOUT_AMOUNT_MISMATCH) when non-zero.
    static func payout(_ n: Int, day: String, amount: Int, short: Int = 0) -> String {
        """
        {"id":"po_\(n)","status":"succeeded","amount":\(amount - short),"currency":"USD","created_at":"\(day)T09:00:00Z","lines":[
          {"id":"txn_\(n)","status":"succeeded","amount":\(amount),"currency":"USD","type":"payment","direction":"inbound","invoice_id":"inv_\(n)"}]}
        """
    }

    static func dataset(_ payouts: [String]) throws -> SandboxDataset {
        let folder = try temporaryDataset(payouts: "[" + payouts.joined(separator: ",\n") + "]")
        try Data(invoices.utf8).write(to: folder.appendingPathComponent("invoices.json"))
        return try SandboxDataset.load(directory: folder)
    }

    static func withServer<R>(_ dataset: SandboxDataset, faults: FaultConfiguration = .none,
                              _ body: (RunningSandbox) async throws -> R) async throws -> R {
        let sandbox = try await SandboxServer.start(
            configuration: SandboxConfiguration(clientID: "state", clientSecret: secret, faults: faults, environment: [:]),
            dataset: dataset, logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            let result = try await body(sandbox)
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    /// A started `ap-reconcile run`; `finish()` waits for it.
    final class Launched: Sendable {
        let process: Process
        let stderrPath: String
        init(process: Process, stderrPath: String) {
            self.process = process
            self.stderrPath = stderrPath
        }
        var pid: Int32 { process.processIdentifier }
        func finish() async throws -> (status: Int32, lastLine: String, stderr: String) {
            while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            #expect(!stderr.contains(StateEndToEndTests.secret))
            return (process.terminationStatus, stderr.split(separator: "\n").last.map(String.init) ?? "", stderr)
        }
    }

    static func launch(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> Launched {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "ap-reconcile is not built next to the tests: run `swift build --build-tests` (scripts/test.sh does)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("state-e2e-\(UUID().uuidString).stderr")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run"] + arguments
        process.environment = environment.merging(extraEnvironment) { _, extra in extra }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return Launched(process: process, stderrPath: err.path)
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, lastLine: String, stderr: String) {
        try await launch(arguments).finish()
    }

    struct Job {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("state-job-\(UUID().uuidString)").path
        var state: String { root + "/state" }
        var out: String { root + "/reports" }
        func arguments(_ base: String, asOf: String, _ extra: [String] = []) -> [String] {
            ["--base-url", base, "--state", state, "--out", out, "--as-of", asOf, "--fail-on", "never", "--max-attempts", "2",
             "--retry-budget", "2"] + extra
        }
        var folders: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).sorted() }
        var latest: String? { try? FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest") }
        var stateBytes: Data? { FileManager.default.contents(atPath: state + "/state.json") }
        func file(_ folder: String, _ name: String) throws -> String {
            try String(contentsOfFile: out + "/" + folder + "/" + name, encoding: .utf8)
        }
        func window(_ folder: String) throws -> String {
            let node = try JSONSerialization.jsonObject(with: Data(file(folder, "report.json").utf8)) as? [String: Any]
            let window = (node?["run"] as? [String: Any])?["window"] as? [String: Any]
            return "\(window?["since"] as? String ?? "?") .. \(window?["until"] as? String ?? "?")"
        }
        /// The lock is free when this process can take it.
        var lockIsFree: Bool {
            guard let lock = try? RunLock.acquire(path: state + "/lock", startedAt: Timestamp(Date())) else { return false }
            lock.release()
            return true
        }
    }

    @Test func watermarkAdvancesFailureLeavesItAndTheNextRunCoversTheGap() async throws {
        let job = Job()
        let data = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000), Self.payout(2, day: "2026-11-04", amount: 200000)])
        try await Self.withServer(data) { sandbox in
            // Night 1, first run: the previous UTC day.
            let first = try await Self.run(job.arguments(sandbox.baseURL, asOf: "2026-11-04T06:00:00Z"))
            #expect(first.status == 0)
            #expect(first.lastLine.contains("reports in \(job.out)/2026-11-03T000000Z_2026-11-04T000000Z"))
            #expect(first.lastLine.hasSuffix("open items: 0 new, 0 open, 0 carried, 0 resolved"))
            #expect(job.folders == ["2026-11-03T000000Z_2026-11-04T000000Z", "latest"])
            #expect(job.latest == "2026-11-03T000000Z_2026-11-04T000000Z")
            #expect(try job.window("latest") == "2026-11-03T00:00:00Z .. 2026-11-04T00:00:00Z")
            #expect(try job.file("latest", "payouts.csv").contains("po_1"))
            let afterFirst = try #require(job.stateBytes)
            #expect(String(decoding: afterFirst, as: UTF8.self).contains("\"watermark\" : \"2026-11-04T00:00:00Z\""))

            // Night 2: the API is down. Nothing is published and the state does not move.
            sandbox.faults = FaultConfiguration(errorRate: 1.0, faultsOnTokenEndpoint: false)
            let failed = try await Self.run(job.arguments(sandbox.baseURL, asOf: "2026-11-05T06:00:00Z"))
            #expect(failed.status == 69)
            #expect(job.folders == ["2026-11-03T000000Z_2026-11-04T000000Z", "latest"])
            #expect(job.latest == "2026-11-03T000000Z_2026-11-04T000000Z")
            #expect(job.stateBytes == afterFirst)
            #expect(job.lockIsFree)

            // Night 3, lookback 1: from the old watermark minus a day, over the failed night.
            sandbox.faults = .none
            let third = try await Self.run(job.arguments(sandbox.baseURL, asOf: "2026-11-06T06:00:00Z", ["--lookback-days", "1"]))
            #expect(third.status == 0)
            #expect(job.latest == "2026-11-03T000000Z_2026-11-06T000000Z")
            #expect(try job.window("latest") == "2026-11-03T00:00:00Z .. 2026-11-06T00:00:00Z")
            let payouts = try job.file("latest", "payouts.csv")
            #expect(payouts.contains("po_1") && payouts.contains("po_2"))

            // Night 4, default lookback (3 days) from the watermark of night 3.
            let fourth = try await Self.run(job.arguments(sandbox.baseURL, asOf: "2026-11-07T06:00:00Z"))
            #expect(fourth.status == 0)
            #expect(try job.window("latest") == "2026-11-03T00:00:00Z .. 2026-11-07T00:00:00Z")
            #expect(String(decoding: job.stateBytes ?? Data(), as: UTF8.self).contains("\"watermark\" : \"2026-11-07T00:00:00Z\""))
            #expect(job.folders == ["2026-11-03T000000Z_2026-11-04T000000Z", "2026-11-03T000000Z_2026-11-06T000000Z",
                                    "2026-11-03T000000Z_2026-11-07T000000Z", "latest"])
            // Permissions: the state is private.
            let stateMode = (try FileManager.default.attributesOfItem(atPath: job.state)[.posixPermissions] as? NSNumber)?.intValue
            let fileMode = (try FileManager.default.attributesOfItem(atPath: job.state + "/state.json")[.posixPermissions] as? NSNumber)?.intValue
            #expect(stateMode == 0o700)
            #expect(fileMode == 0o600)
        }
    }

    @Test func openItemsAreNewThenOpenThenResolvedAcrossThreeNights() async throws {
        let job = Job()
        // Night 1 (window 11-03): po_1 is 5.00 short.
        let night1 = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000, short: 500)])
        let first = try await Self.withServer(night1) { try await Self.run(job.arguments($0.baseURL, asOf: "2026-11-04T06:00:00Z")) }
        #expect(first.status == 0)
        #expect(first.lastLine.hasSuffix("open items: 1 new, 0 open, 0 carried, 0 resolved"))
        var exceptions = try job.file("latest", "exceptions.csv")
        #expect(exceptions == "status,severity,code,first_seen,last_seen,age_days,payout_id,transaction_id,invoice_id,payment_request_id,message,fingerprint,"
            + "ageing_bucket,currency,amount_at_stake_minor,amount_at_stake,disposition,acknowledged_by,acknowledged_reason,bank_entry_id,candidate_bank_entry_ids\r\n"
            + "new,error,PAYOUT_AMOUNT_MISMATCH,2026-11-04T06:00:00Z,2026-11-04T06:00:00Z,0,po_1,,,,"
            + csvCell(try diagnosticMessage(job, "PAYOUT_AMOUNT_MISMATCH")) + ",PAYOUT_AMOUNT_MISMATCH|po_1|||,0-7,USD,500,5.00,open,,,,\r\n")

        // Night 2 (window 11-01 .. 11-05): po_1 still short, po_3 now short too.
        let night2 = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000, short: 500),
                                       Self.payout(3, day: "2026-11-04", amount: 300000, short: 100)])
        let second = try await Self.withServer(night2) { try await Self.run(job.arguments($0.baseURL, asOf: "2026-11-05T06:00:00Z")) }
        #expect(second.status == 0)
        #expect(second.lastLine.hasSuffix("open items: 1 new, 1 open, 0 carried, 0 resolved"))
        let diagnostics = try job.file("latest", "diagnostics.csv")
        #expect(diagnostics.contains(",PAYOUT_AMOUNT_MISMATCH|po_1|||,open,2026-11-04T06:00:00Z,1,500,5.00,0-7,open,,,,,\r\n"))
        #expect(diagnostics.contains(",PAYOUT_AMOUNT_MISMATCH|po_3|||,new,2026-11-05T06:00:00Z,0,100,1.00,0-7,open,,,,,\r\n"))
        exceptions = try job.file("latest", "exceptions.csv")
        #expect(exceptions.split(separator: "\r\n").map { $0.split(separator: ",").prefix(7).joined(separator: ",") } == [
            "status,severity,code,first_seen,last_seen,age_days,payout_id",
            "open,error,PAYOUT_AMOUNT_MISMATCH,2026-11-04T06:00:00Z,2026-11-05T06:00:00Z,1,po_1",
            "new,error,PAYOUT_AMOUNT_MISMATCH,2026-11-05T06:00:00Z,2026-11-05T06:00:00Z,0,po_3",
        ])

        // Night 3 (window 11-02 .. 11-06): po_1 was corrected, po_3 is still short.
        let night3 = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000),
                                       Self.payout(3, day: "2026-11-04", amount: 300000, short: 100)])
        let third = try await Self.withServer(night3) { try await Self.run(job.arguments($0.baseURL, asOf: "2026-11-06T06:00:00Z")) }
        #expect(third.status == 0)
        #expect(third.lastLine.hasSuffix("open items: 0 new, 1 open, 0 carried, 1 resolved"))
        exceptions = try job.file("latest", "exceptions.csv")
        #expect(exceptions.split(separator: "\r\n").map { $0.split(separator: ",").prefix(7).joined(separator: ",") } == [
            "status,severity,code,first_seen,last_seen,age_days,payout_id",
            "open,error,PAYOUT_AMOUNT_MISMATCH,2026-11-05T06:00:00Z,2026-11-06T06:00:00Z,1,po_3",
        ])
        struct Item: Decodable { var fingerprint: String; var first_seen: String; var last_seen: String }
        struct Counts: Decodable, Equatable { var new, open, carried, resolved, open_after_run: Int }
        struct OpenItemsJSON: Decodable { var counts: Counts; var resolved: [Item]; var carried: [Item] }
        struct Report: Decodable { var open_items: OpenItemsJSON? }
        let report = try JSONDecoder().decode(Report.self, from: Data(job.file("latest", "report.json").utf8))
        let open = try #require(report.open_items)
        #expect(open.counts == Counts(new: 0, open: 1, carried: 0, resolved: 1, open_after_run: 1))
        #expect(open.resolved.map(\.fingerprint) == ["PAYOUT_AMOUNT_MISMATCH|po_1|||"])
        #expect(open.resolved.first?.first_seen == "2026-11-04T06:00:00Z")
        #expect(open.resolved.first?.last_seen == "2026-11-05T06:00:00Z")
        #expect(open.carried.isEmpty)
        #expect(job.folders.count == 4) // three nights + latest
    }

    /// A text cell as the CSV writer quotes it (RFC 4180, and `;` like `,`); these messages
    /// start with a letter, so no formula prefix.
    func csvCell(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ",;\"\r\n".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    func diagnosticMessage(_ job: Job, _ code: String) throws -> String {
        let report = try JSONSerialization.jsonObject(with: Data(job.file("latest", "report.json").utf8)) as? [String: Any]
        let diagnostics = report?["diagnostics"] as? [[String: Any]] ?? []
        return diagnostics.first { $0["code"] as? String == code }?["message"] as? String ?? "?"
    }

    /// Waits until the run holding `job`'s lock has written its pid into the lock file.
    func waitForHolder(_ job: Job, pid: Int32) async throws {
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: job.state + "/lock", encoding: .utf8), text.hasPrefix("pid \(pid),") { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the run never took the lock")
    }

    /// Every request takes 400 ms: a run of this dataset lasts seconds, long enough to interfere with.
    static let slow = FaultConfiguration(latencyMs: 400)

    @Test func aSecondRunIsRefusedNamingTheHolderAndAKilledHolderDoesNotBlock() async throws {
        let job = Job()
        let data = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000)])
        try await Self.withServer(data, faults: Self.slow) { sandbox in
            let holder = try Self.launch(job.arguments(sandbox.baseURL, asOf: "2026-11-04T06:00:00Z"))
            try await waitForHolder(job, pid: holder.pid)
            let refused = try await Self.run(job.arguments(sandbox.baseURL, asOf: "2026-11-04T06:00:00Z"))
            #expect(refused.status == 75)
            #expect(refused.lastLine.hasPrefix("ap-reconcile: FAILED (exit 75): another run holds the lock \(job.state)/lock (held by pid \(holder.pid), started "))
            #expect(!job.folders.contains("latest"))

            // SIGKILL: no handler runs, the kernel drops the lock with the process.
            kill(holder.pid, SIGKILL)
            let killed = try await holder.finish()
            #expect(killed.status == SIGKILL)
            #expect(job.stateBytes == nil)
            sandbox.faults = .none
            let next = try await Self.run(job.arguments(sandbox.baseURL, asOf: "2026-11-04T06:00:00Z"))
            #expect(next.status == 0)
            #expect(job.latest == "2026-11-03T000000Z_2026-11-04T000000Z")
        }
    }

    @Test func sigtermStopsTheRunWithNothingPublishedAndTheLockFree() async throws {
        let job = Job()
        let data = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000)])
        try await Self.withServer(data, faults: Self.slow) { sandbox in
            let running = try Self.launch(job.arguments(sandbox.baseURL, asOf: "2026-11-04T06:00:00Z"))
            try await waitForHolder(job, pid: running.pid)
            try await Task.sleep(for: .milliseconds(300)) // inside the first requests
            kill(running.pid, SIGTERM)
            let stopped = try await running.finish()
            #expect(stopped.status == 75)
            #expect(stopped.lastLine == "ap-reconcile: STOPPED (exit 75): SIGTERM received: the run was stopped; nothing published, lock released, watermark unchanged; run it again")
            // one outcome line (log lines start with their time)
            #expect(stopped.stderr.split(separator: "\n").filter { $0.hasPrefix("ap-reconcile: ") }.count == 1, "\(stopped.stderr)")
            #expect(job.folders == []) // no run folder, no staging, no latest
            #expect(job.stateBytes == nil)
            #expect(job.lockIsFree)
        }
    }

    /// Three accounts, each notifying a receiver that answers 500, and a metrics file.
    func threeAccountJob(_ sandbox: RunningSandbox, root: String) throws -> String {
        let job = root + "/job.json"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let accounts = ["a", "b", "c"].map { name in
            #"{"name": "\#(name)", "client_id_env": "AP_CLIENT_ID", "client_secret_env": "AP_CLIENT_SECRET", "out": "\#(root)/\#(name)"}"#
        }
        try Data("""
        {"base_url": "\(sandbox.baseURL)", "since": "2026-11-01", "until": "2026-11-08", "fail_on": "never",
         "notify_url": "\(sandbox.baseURL)/sandbox/webhooks", "metrics_file": "\(root)/ap.prom",
         "accounts": [\(accounts.joined(separator: ", "))]}
        """.utf8).write(to: URL(fileURLWithPath: job))
        sandbox.enqueue(.status(500), matching: "/sandbox/webhooks", count: 1_000)
        return job
    }

    static let notStarted = "not started: SIGTERM received before this account started; run it again"

    func outcomeLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("ap-reconcile") }
    }

    /// One stop for the whole invocation: SIGTERM during the first account's requests stops it,
    /// the accounts after it are reported as not started, nothing is notified, and the metrics
    /// file still says what happened.
    @Test func sigtermDuringTheFirstAccountStopsTheWholeInvocation() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stop-accounts-\(UUID().uuidString)").path
        let data = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000)])
        try await Self.withServer(data, faults: Self.slow) { sandbox in
            let job = try threeAccountJob(sandbox, root: root)
            let running = try Self.launch(["--config", job, "--as-of", "2026-11-08T06:00:00Z"],
                                          extraEnvironment: ["AP_RECON_WEBHOOK_SECRET": "whsec-stop"])
            for _ in 0..<500 where sandbox.stats().totalRequests == 0 { try await Task.sleep(for: .milliseconds(10)) }
            kill(running.pid, SIGTERM)
            let stopped = try await running.finish()
            #expect(stopped.status == 75, "\(stopped.stderr)")
            #expect(outcomeLines(stopped.stderr) == [
                "ap-reconcile[a]: STOPPED (exit 75): SIGTERM received: the run was stopped; nothing published; run it again",
                "ap-reconcile[b]: STOPPED (exit 75): \(Self.notStarted)",
                "ap-reconcile[c]: STOPPED (exit 75): \(Self.notStarted)",
                "ap-reconcile: STOPPED (exit 75): 3 accounts: a STOPPED (exit 75), b STOPPED (exit 75), c STOPPED (exit 75)",
            ], "\(stopped.stderr)")
            #expect(sandbox.stats().faultsInjected["status_500"] == nil) // no notification attempted
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted() == ["ap.prom", "job.json"])
            let metrics = try String(contentsOfFile: root + "/ap.prom", encoding: .utf8)
            for name in ["a", "b", "c"] {
                #expect(metrics.contains("ap_reconcile_exit_code{account=\"\(name)\"} 75\n"), "\(metrics)")
                #expect(metrics.contains("ap_reconcile_outcome{account=\"\(name)\",outcome=\"stopped\"} 1\n"), "\(metrics)")
            }
        }
    }

    /// SIGTERM while the first account's webhook is being retried (the receiver answers 500): the
    /// retries stop at once (not after the two-minute budget), the reports already published
    /// stay, and the other accounts are not started.
    @Test func sigtermDuringWebhookRetriesStopsThemAndTheAccountsAfter() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stop-webhook-\(UUID().uuidString)").path
        let data = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000)])
        try await Self.withServer(data) { sandbox in
            let job = try threeAccountJob(sandbox, root: root)
            let running = try Self.launch(["--config", job, "--as-of", "2026-11-08T06:00:00Z"],
                                          extraEnvironment: ["AP_RECON_WEBHOOK_SECRET": "whsec-stop"])
            for _ in 0..<1000 where (sandbox.stats().faultsInjected["status_500"] ?? 0) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let attemptsAtSignal = sandbox.stats().faultsInjected["status_500"] ?? 0
            try #require(attemptsAtSignal >= 1)
            let clock = ContinuousClock()
            let signalled = clock.now
            kill(running.pid, SIGTERM)
            let stopped = try await running.finish()
            let attempts = sandbox.stats().faultsInjected["status_500"] ?? 0
            print("stop: SIGTERM during webhook retries → exit \(stopped.status) \(clock.now - signalled) after the signal; attempts \(attemptsAtSignal) at the signal, \(attempts) in all")
            #expect(stopped.status == 75, "\(stopped.stderr)")
            let lines = outcomeLines(stopped.stderr)
            try #require(lines.count == 4, "\(stopped.stderr)")
            #expect(lines[0].hasPrefix("ap-reconcile[a]: OK (exit 0): reconciled 1 payouts"), "\(lines[0])")
            #expect(lines[0].contains("; notification to http://127.0.0.1:"), "\(lines[0])")
            #expect(lines[0].hasSuffix("; stopped while waiting to retry") || lines[0].hasSuffix("; stopped, not retried"), "\(lines[0])")
            #expect(Array(lines[1...]) == [
                "ap-reconcile[b]: STOPPED (exit 75): \(Self.notStarted)",
                "ap-reconcile[c]: STOPPED (exit 75): \(Self.notStarted)",
                "ap-reconcile: STOPPED (exit 75): 3 accounts: a OK (exit 0), b STOPPED (exit 75), c STOPPED (exit 75)",
            ])
            // At most the attempt already in flight when the signal came.
            #expect(attempts <= attemptsAtSignal + 1)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted() == ["a", "ap.prom", "job.json"])
            let metrics = try String(contentsOfFile: root + "/ap.prom", encoding: .utf8)
            #expect(metrics.contains("ap_reconcile_outcome{account=\"a\",outcome=\"ok\"} 1\n"), "\(metrics)")
            #expect(metrics.contains("ap_reconcile_outcome{account=\"c\",outcome=\"stopped\"} 1\n"), "\(metrics)")
        }
    }

    @Test func sigintStopsARunWithoutStateWithExit130() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("state-int-\(UUID().uuidString)").appendingPathComponent("reports").path
        let data = try Self.dataset([Self.payout(1, day: "2026-11-03", amount: 100000)])
        try await Self.withServer(data, faults: Self.slow) { sandbox in
            let running = try Self.launch(["--base-url", sandbox.baseURL, "--since", "2026-11-01", "--until", "2026-11-08", "--out", out])
            // wait for the run to reach the API: the sandbox counts its requests
            for _ in 0..<500 where sandbox.stats().totalRequests == 0 { try await Task.sleep(for: .milliseconds(10)) }
            kill(running.pid, SIGINT)
            let stopped = try await running.finish()
            #expect(stopped.status == 130)
            #expect(stopped.lastLine == "ap-reconcile: STOPPED (exit 130): SIGINT received: the run was stopped; nothing published; run it again")
            #expect(!FileManager.default.fileExists(atPath: out))
            let parent = (out as NSString).deletingLastPathComponent
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []) == [])
        }
    }

    @Test func aCorruptStateFileIsRefusedWithExit78AndKept() async throws {
        let job = Job()
        try FileManager.default.createDirectory(atPath: job.state, withIntermediateDirectories: true)
        try Data("{\"format\": \"ap-reconcile-state\", \"format_version\": 9}".utf8).write(to: URL(fileURLWithPath: job.state + "/state.json"))
        let result = try await Self.run(job.arguments("http://127.0.0.1:9", asOf: "2026-11-04T06:00:00Z"))
        #expect(result.status == 78)
        #expect(result.lastLine.contains("state file \(job.state)/state.json has format_version 9"))
        #expect(String(decoding: job.stateBytes ?? Data(), as: UTF8.self) == "{\"format\": \"ap-reconcile-state\", \"format_version\": 9}")
        #expect(job.folders == [])
    }
}

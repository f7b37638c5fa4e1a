import APSandbox
import Foundation
import Logging
import Testing

/// The built `ap-reconcile run` binary against the in-process sandbox: exit codes, the final
/// stderr line, and the no-partial-output promise. (`swift build --build-tests` builds the
/// binary next to the test bundle; scripts/test.sh does that.)
@Suite struct RunEndToEndTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ap-reconcile")
    static let secret = "e2e-secret-Hf72Kd"

    /// One USD payout of two payments and a fee that add up, its two PAID invoices.
    static let cleanPayouts = """
    [{"id":"po_1","status":"succeeded","amount":248500,"currency":"USD","created_at":"2026-11-03T09:00:00Z","lines":[
      {"id":"txn_1","status":"succeeded","amount":150000,"currency":"USD","type":"payment","direction":"inbound","invoice_id":"inv_1"},
      {"id":"txn_2","status":"succeeded","amount":100000,"currency":"USD","type":"payment","direction":"inbound","invoice_id":"inv_2"},
      {"id":"txn_3","status":"succeeded","amount":1500,"currency":"USD","type":"fee","direction":"outbound"}]}]
    """
    static let invoices = """
    [{"id":"inv_1","customer_id":"cus_1","status":"PAID","amount":150000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-01T00:00:00Z"},
     {"id":"inv_2","customer_id":"cus_1","status":"PAID","amount":100000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-02T00:00:00Z"}]
    """

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lastLine: String { stderr.split(separator: "\n").last.map(String.init) ?? "" }
    }

    func dataset(payouts: String = cleanPayouts) throws -> SandboxDataset {
        let folder = try temporaryDataset(payouts: payouts)
        try Data(Self.invoices.utf8).write(to: folder.appendingPathComponent("invoices.json"))
        return try SandboxDataset.load(directory: folder)
    }

    func withServer<R>(_ dataset: SandboxDataset, faults: FaultConfiguration = .none,
                       _ body: (RunningSandbox) async throws -> R) async throws -> R {
        let sandbox = try await SandboxServer.start(
            configuration: SandboxConfiguration(clientID: "e2e", clientSecret: Self.secret, faults: faults, environment: [:]),
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

    func run(_ arguments: [String], environment: [String: String] = ["AP_CLIENT_ID": "e2e", "AP_CLIENT_SECRET": secret]) async throws -> Result {
        try await invoke(["run"] + arguments, environment: environment)
    }

    /// The binary with `arguments` as they are (a subcommand first, or `--version`).
    func invoke(_ arguments: [String], environment: [String: String] = ["AP_CLIENT_ID": "e2e", "AP_CLIENT_SECRET": secret]) async throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path),
                     "ap-reconcile is not built next to the tests: run `swift build --build-tests` (scripts/test.sh does)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let result = Result(status: process.terminationStatus,
                            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        #expect(!result.stderr.contains(Self.secret))
        #expect(!result.stdout.contains(Self.secret))
        return result
    }

    func window(_ base: String, out: String) -> [String] {
        ["--base-url", base, "--since", "2026-11-01", "--until", "2026-11-08", "--as-of", "2026-11-08T06:00:00Z", "--out", out]
    }

    func freshFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("e2e-out-\(UUID().uuidString)").appendingPathComponent("reports").path
    }

    func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    static let reportFiles = ["bank.csv", "diagnostics.csv", "invoices.csv", "manifest.json", "payouts.csv", "report.html", "report.json", "transactions.csv"]

    @Test
    func cleanRunExitsZeroAndWritesEveryReport() async throws {
        let out = freshFolder()
        let result = try await withServer(try dataset()) { sandbox in try await run(window(sandbox.baseURL, out: out)) }
        #expect(result.status == 0)
        #expect(result.lastLine.hasPrefix("ap-reconcile: OK (exit 0): reconciled 1 payouts, 3 lines"))
        #expect(files(in: out) == Self.reportFiles)
        let payouts = try String(contentsOfFile: out + "/payouts.csv", encoding: .utf8)
        #expect(payouts.contains("po_1"))
    }

    @Test
    func diagnosticsAtFailOnExitOneWithReportsWritten() async throws {
        let mismatched = Self.cleanPayouts.replacingOccurrences(of: "\"amount\":248500", with: "\"amount\":248000")
        let out = freshFolder(), lenient = freshFolder()
        let (strict, never) = try await withServer(try dataset(payouts: mismatched)) { sandbox in
            (try await run(window(sandbox.baseURL, out: out)),
             try await run(window(sandbox.baseURL, out: lenient) + ["--fail-on", "never"]))
        }
        #expect(strict.status == 1)
        #expect(strict.lastLine.hasPrefix("ap-reconcile: DIAGNOSTICS (exit 1)"))
        #expect(strict.lastLine.contains("1 errors"))
        #expect(files(in: out) == Self.reportFiles)
        let diagnostics = try String(contentsOfFile: out + "/diagnostics.csv", encoding: .utf8)
        #expect(diagnostics.contains("PAYOUT_AMOUNT_MISMATCH"))
        #expect(never.status == 0)
        // Same data, same --as-of: the same bytes whatever --fail-on said, but for run.fail_on itself.
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/payouts.csv")) == Data(contentsOf: URL(fileURLWithPath: lenient + "/payouts.csv")))
    }

    @Test
    func deadAPIExits69InBoundedTimeWithNoReport() async throws {
        let out = freshFolder()
        let faults = FaultConfiguration(errorRate: 1.0, faultsOnTokenEndpoint: false)
        let result = try await withServer(try dataset(), faults: faults) { sandbox in
            try await run(window(sandbox.baseURL, out: out) + ["--max-attempts", "3", "--retry-budget", "5"])
        }
        #expect(result.status == 69)
        #expect(result.lastLine.hasPrefix("ap-reconcile: FAILED (exit 69): no report written:"))
        #expect(result.lastLine.contains("GET /payouts"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test
    func protocolFaultExits76AndLeavesThePreviousReportUntouched() async throws {
        let out = freshFolder()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("previous night\n".utf8).write(to: URL(fileURLWithPath: out + "/report.json"))
        let result = try await withServer(try dataset()) { sandbox in
            sandbox.enqueue(.garbagePage, matching: "/payouts", count: 1)
            return try await run(window(sandbox.baseURL, out: out))
        }
        #expect(result.status == 76)
        #expect(result.lastLine.contains("GET /payouts"))
        #expect(files(in: out) == ["report.json"])
        #expect(try String(contentsOfFile: out + "/report.json", encoding: .utf8) == "previous night\n")
        // no staging folder left beside it
        let parent = (out as NSString).deletingLastPathComponent
        #expect(files(in: parent) == ["reports"])
    }

    @Test
    func refusedCredentialsExit77() async throws {
        let out = freshFolder()
        let result = try await withServer(try dataset()) { sandbox in
            try await run(window(sandbox.baseURL, out: out), environment: ["AP_CLIENT_ID": "e2e", "AP_CLIENT_SECRET": "not-the-secret"])
        }
        #expect(result.status == 77)
        #expect(result.lastLine.contains("AP_CLIENT_ID"))
        #expect(!result.stderr.contains("not-the-secret"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test
    func configurationErrorsExit78() async throws {
        let out = freshFolder()
        let noCredentials = try await run(window("http://127.0.0.1:9", out: out), environment: [:])
        #expect(noCredentials.status == 78)
        #expect(noCredentials.lastLine.contains("no API credentials"))

        let job = FileManager.default.temporaryDirectory.appendingPathComponent("job-\(UUID().uuidString).json")
        try Data(#"{"base_url": "http://127.0.0.1:9", "fail_onn": "error"}"#.utf8).write(to: job)
        let typo = try await run(["--config", job.path, "--out", out])
        #expect(typo.status == 78)
        #expect(typo.lastLine.contains("unknown setting(s) fail_onn"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test
    func usageErrorsExit64() async throws {
        let bad = try await run(["--base-url", "http://127.0.0.1:9", "--since", "yesterday", "--out", freshFolder()])
        #expect(bad.status == 64)
        #expect(bad.lastLine.contains("--since \"yesterday\" is neither an RFC 3339 time"))
        let empty = try await run(["--base-url", "http://127.0.0.1:9", "--since", "2026-11-08", "--until", "2026-11-01", "--out", freshFolder()])
        #expect(empty.status == 64)
        #expect(empty.lastLine.contains("the window is empty"))
    }

    @Test
    func unwritableOutputExits73WithNothingWritten() async throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-file-\(UUID().uuidString)")
        try Data("a file, not a folder\n".utf8).write(to: blocker)
        let out = blocker.path + "/reports"
        let result = try await withServer(try dataset()) { sandbox in try await run(window(sandbox.baseURL, out: out)) }
        #expect(result.status == 73)
        #expect(result.lastLine.hasPrefix("ap-reconcile: FAILED (exit 73): no report written: cannot write"))
        #expect(try String(contentsOf: blocker, encoding: .utf8) == "a file, not a folder\n")
    }

    @Test
    func sameDataAndAsOfGiveByteIdenticalFiles() async throws {
        let first = freshFolder(), second = freshFolder()
        try await withServer(try dataset()) { sandbox in
            _ = try await run(window(sandbox.baseURL, out: first))
            _ = try await run(window(sandbox.baseURL, out: second) + ["--concurrency", "1"])
        }
        for name in Self.reportFiles {
            let a = try Data(contentsOf: URL(fileURLWithPath: first + "/" + name))
            let b = try Data(contentsOf: URL(fileURLWithPath: second + "/" + name))
            #expect(a == b, "\(name) differs between two runs with the same --as-of")
        }
    }
}

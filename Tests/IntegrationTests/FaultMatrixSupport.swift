import APClient
import APSandbox
import APTransport
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
#if canImport(Glibc)
import Glibc
#endif

/// Shared by the fault matrix and the security tests: one job run, in-process through
/// `Pipeline.run` (real libcurl, OAuth, paging, reconcile, render, publish) or as the built
/// binary, against a fresh in-process sandbox.
enum JobHarness {
    static let clientID = "fm-client"
    /// Distinctive, so every output can be searched for it.
    static let secret = "fm-secret-Qp4Zr9Tx"
    static let since = "2026-11-01", until = "2026-11-08", asOf = "2026-11-08T06:00:00Z"
    /// The base URL the in-process runs are given (and write into report.json): with the
    /// sandbox's real port no two runs could have the same bytes. `.invalid` never resolves.
    static let stableBaseURL = "http://ap-sandbox.invalid"

    static func sampleDataset() throws -> SandboxDataset {
        try SandboxDataset.load(directory: repositoryRoot.appendingPathComponent("samples/api"))
    }

    /// A dataset from JSON texts, file name → content (payouts.json, invoices.json, …).
    static func dataset(_ files: [String: String]) throws -> SandboxDataset {
        let folder = scratch("dataset")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return try SandboxDataset.load(directory: folder)
    }

    /// A fresh path under the temporary folder (not created).
    static func scratch(_ label: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fm-\(label)-\(UUID().uuidString)")
    }

    static func start(_ dataset: SandboxDataset, faults: FaultConfiguration = .none, tokenTTL: Int = 3600,
                      pageShape: PageShape = .alternating, maxPageSize: Int = 1000, faultSeed: UInt64 = 42,
                      tls: SandboxTLSIdentity? = nil) async throws -> RunningSandbox {
        try await SandboxServer.start(
            configuration: SandboxConfiguration(clientID: clientID, clientSecret: secret, tokenTTL: tokenTTL, pageShape: pageShape,
                                                defaultPageSize: min(100, maxPageSize), maxPageSize: maxPageSize,
                                                faults: faults, faultSeed: faultSeed, tls: tls, environment: [:]),
            dataset: dataset, logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    // MARK: in-process

    struct PipelineRun: Sendable {
        var outcome: RunOutcome
        /// File name → bytes of everything in the output folder afterwards.
        var files: [String: Data]
        var stats: SandboxStats
        var out: URL
    }

    /// Short waits so that a matrix row retrying a dozen times stays fast; enough attempts
    /// that 10 % faults cannot exhaust them (0.1^8).
    static let fastRetries = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50),
                                         maxRetryAfter: .seconds(1), budget: .seconds(30))

    /// The job as `ap-reconcile run --since 2026-11-01 --until 2026-11-08 --as-of … --fail-on never`
    /// with 2 records per page (so cursors are followed), in-process.
    static func pipeline(
        _ dataset: SandboxDataset, faults: FaultConfiguration = .none, tokenTTL: Int = 3600, concurrency: Int = 8,
        transport tune: (inout TransportConfiguration) -> Void = { _ in },
        retryPolicy: RetryPolicy = fastRetries, pageSize: Int = 2, bank: BankSettings? = nil,
        script: (RunningSandbox) -> Void = { _ in }, logger: Logger = Logger(label: "fm", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> PipelineRun {
        let sandbox = try await start(dataset, faults: faults, tokenTTL: tokenTTL)
        script(sandbox)
        let out = scratch("out").appendingPathComponent("reports")
        let asOfTime = try WindowParser.instant(asOf, option: "--as-of")
        var request = RunRequest(
            baseURL: stableBaseURL, credentials: ClientCredentials(clientID: clientID, clientSecret: secret),
            window: try WindowParser.window(since: since, until: until, now: asOfTime), asOf: asOfTime,
            outputDirectory: out.path, failOn: .never, concurrency: concurrency, retryPolicy: retryPolicy, pageSize: pageSize)
        request.bank = bank
        var configuration = TransportConfiguration()
        configuration.maxConcurrentRequests = concurrency
        tune(&configuration)
        let curl = CurlTransport(configuration: configuration)
        let transport = RedirectingTransport(from: stableBaseURL, to: sandbox.baseURL, inner: curl)
        let outcome = await Pipeline.run(request, logger: logger, transport: transport)
        curl.shutdown()
        let stats = sandbox.stats()
        await sandbox.stop()
        return PipelineRun(outcome: outcome, files: try readFiles(in: out), stats: stats, out: out)
    }

    /// The fault-free run of the sample data every "identical report" row compares with.
    static let baseline = Task { try await pipeline(try sampleDataset()) }

    // MARK: the built binary

    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ap-reconcile")

    struct BinaryRun: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var lastLine: String { stderr.split(separator: "\n").last.map(String.init) ?? "" }
    }

    static var credentialsEnvironment: [String: String] { ["AP_CLIENT_ID": clientID, "AP_CLIENT_SECRET": secret] }

    /// `ap-reconcile run ARGS`; `prefix` runs it through another program first (a shell that sets
    /// a limit, setpriv), which then gets the binary's path and the arguments.
    static func runBinary(_ arguments: [String], environment: [String: String] = credentialsEnvironment,
                          prefix: [String] = []) async throws -> BinaryRun {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "ap-reconcile is not built next to the tests: run `swift build --build-tests` (scripts/test.sh does)")
        let dir = scratch("proc")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // Readable by anyone: a run under setpriv (another user) writes here too.
        _ = chmod(dir.path, 0o777)
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil, attributes: [.posixPermissions: 0o666])
        _ = FileManager.default.createFile(atPath: err.path, contents: nil, attributes: [.posixPermissions: 0o666])
        let process = Process()
        let command = prefix + [binary.path, "run"] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return BinaryRun(status: status,
                         stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    static func window(_ base: String, out: String) -> [String] {
        ["--base-url", base, "--since", since, "--until", until, "--as-of", asOf, "--out", out]
    }

    static func listing(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    static let reportFiles = ["bank.csv", "diagnostics.csv", "invoices.csv", "manifest.json", "payouts.csv", "report.html", "report.json", "transactions.csv"]
}

/// Sends requests addressed to a stable base URL to where the sandbox really listens.
struct RedirectingTransport: HTTPTransport {
    let from: String
    let to: String
    let inner: any HTTPTransport

    init(from: String, to: String, inner: any HTTPTransport) {
        self.from = from
        self.to = to
        self.inner = inner
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        var request = request
        if request.url.hasPrefix(from) { request.url = to + request.url.dropFirst(from.count) }
        return try await inner.send(request)
    }
}

/// "Identical report": what a fault-free run writes, compared byte for byte.
///
/// report.json's `run` object says how many requests and retries the run made: under faults
/// those numbers differ by design (they are the evidence of what happened), and manifest.json
/// lists report.json's digest and size. Everything else must be the same bytes: every CSV,
/// every other line of report.json, every other manifest entry.
enum SameReport {
    /// report.json without the four request/retry counters of its `run` object.
    static func withoutRequestCounts(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        guard let start = text.range(of: "    \"requests_by_endpoint\": "),
              let totals = text.range(of: "    \"retries_total\": ", range: start.upperBound..<text.endIndex),
              let lineEnd = text.range(of: "\n", range: totals.upperBound..<text.endIndex) else { return text }
        return String(text[..<start.lowerBound]) + String(text[lineEnd.upperBound...])
    }

    /// manifest.json's entries other than report.json's, as parsed JSON values compared as text.
    static func manifestWithoutReportJSON(_ data: Data) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let files = object["files"] as? [[String: Any]] else { return ["unreadable manifest"] }
        return files.filter { ($0["name"] as? String) != "report.json" }
            .map { entry in entry.keys.sorted().map { "\($0)=\(entry[$0] ?? "")" }.joined(separator: " ") }
    }

    static func expectSame(_ faulty: JobHarness.PipelineRun, as baseline: JobHarness.PipelineRun,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(faulty.outcome.status == baseline.outcome.status, "exit status: \(faulty.outcome.headline)", sourceLocation: sourceLocation)
        #expect(faulty.files.keys.sorted() == JobHarness.reportFiles, sourceLocation: sourceLocation)
        for name in JobHarness.reportFiles where name.hasSuffix(".csv") || name.hasSuffix(".html") {
            #expect(faulty.files[name] == baseline.files[name], "\(name) differs from the fault-free run", sourceLocation: sourceLocation)
        }
        if let a = faulty.files["report.json"], let b = baseline.files["report.json"] {
            #expect(withoutRequestCounts(a) == withoutRequestCounts(b), "report.json differs beyond its request counts", sourceLocation: sourceLocation)
        }
        if let a = faulty.files["manifest.json"], let b = baseline.files["manifest.json"] {
            #expect(manifestWithoutReportJSON(a) == manifestWithoutReportJSON(b), sourceLocation: sourceLocation)
        }
    }

    /// `retries_total` of a run's report.json.
    static func retries(_ run: JobHarness.PipelineRun) -> Int {
        guard let data = run.files["report.json"],
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let info = object["run"] as? [String: Any] else { return -1 }
        return (info["retries_total"] as? Int) ?? -1
    }
}

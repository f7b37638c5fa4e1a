import APSandbox
import Foundation
import Logging

/// A size's dataset with what it needs, made once and shared by the rows run over it.
struct PreparedSize: Sendable {
    var size: BenchSize
    var dataset: SandboxDataset
    var fewest: FewestRequests
    var generationSeconds: Double
    var fewestSeconds: Double
    var concurrency: Int

    init(_ size: BenchSize, concurrency: Int) {
        let clock = ContinuousClock()
        let began = clock.now
        let dataset = size.dataset()
        let generated = clock.now
        fewest = FewestRequests(dataset: dataset, since: BenchSize.start, until: size.untilEpoch, pageSize: 100, concurrency: concurrency)
        self.size = size
        self.dataset = dataset
        self.concurrency = concurrency
        generationSeconds = (generated - began).seconds
        fewestSeconds = (clock.now - generated).seconds
    }
}

/// One size fetched end to end: the release `ap-reconcile run` binary (a child process, so its
/// peak RSS is its own) against the sandbox in this process with a per-request latency.
struct OnlineResult: Sendable {
    var size: BenchSize
    /// "default", or the `AP_RECONCILE_INVOICE_FETCH` value the job was given.
    var fetch: String
    var latencyMs: Int
    var concurrency: Int
    var exitCode: Int32
    var requestsByRoute: [String: Int]
    var minimum: FewestRequests
    var connectionsAccepted: Int
    var wallSeconds: Double
    var maxRSSKilobytes: Int
    var cpuSeconds: Double
    var generationSeconds: Double

    var requestsMade: Int { requestsByRoute.filter { $0.key != "GET /sandbox/stats" }.values.reduce(0, +) }
    /// The fewest requests × latency ÷ concurrency: the wall time of the best plan for this
    /// data, which no client can beat at this latency.
    var floorSeconds: Double { Double(minimum.total) * Double(latencyMs) / 1000 / Double(concurrency) }
    var ratio: Double { floorSeconds > 0 ? wallSeconds / floorSeconds : 0 }
    var requestRatio: Double { minimum.total > 0 ? Double(requestsMade) / Double(minimum.total) : 0 }
    var linesPerSecond: Double { Double(size.lines) / wallSeconds }
}

enum OnlineBench {
    static func run(_ prepared: PreparedSize, latencyMs: Int, concurrency: Int, binary: String, invoiceFetch: String? = nil) async throws -> OnlineResult {
        let size = prepared.size
        // The split rule of the PAID listing depends on the concurrency (a sweep changes it).
        let minimum = concurrency == prepared.concurrency ? prepared.fewest
            : FewestRequests(dataset: prepared.dataset, since: BenchSize.start, until: size.untilEpoch, pageSize: 100, concurrency: concurrency)
        var logger = Logger(label: "ap-bench.sandbox")
        logger.logLevel = .error
        let sandbox = try await SandboxServer.start(
            configuration: SandboxConfiguration(port: 0, faults: FaultConfiguration(latencyMs: latencyMs)),
            dataset: prepared.dataset, logger: logger)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ap-bench-out-\(getpid())-\(size.name)").path
        defer { try? FileManager.default.removeItem(atPath: out) }

        var arguments = ["run", "--base-url", sandbox.baseURL, "--since", size.since, "--until", size.until,
                         "--out", out, "--as-of", "2026-01-01T00:00:00Z", "--concurrency", String(concurrency),
                         "--fail-on", "never", "--log-level", ProcessInfo.processInfo.environment["AP_BENCH_JOB_LOG_LEVEL"] ?? "error"]
        var environment = ["AP_CLIENT_ID": "sandbox-client", "AP_CLIENT_SECRET": "sandbox-secret"]
        if let invoiceFetch { environment["AP_RECONCILE_INVOICE_FETCH"] = invoiceFetch }
        let clock = ContinuousClock()
        let began = clock.now
        // The child blocks this thread in wait4; the sandbox serves from its own event loop threads.
        let child = try await Task.detached {
            try runChild(binary, arguments, environment: environment)
        }.value
        let wall = clock.now - began
        let stats = sandbox.stats()
        await sandbox.stop()
        return OnlineResult(size: size, fetch: invoiceFetch ?? "default", latencyMs: latencyMs, concurrency: concurrency,
                            exitCode: child.exitCode, requestsByRoute: stats.requestsByRoute, minimum: minimum,
                            connectionsAccepted: stats.connectionsAccepted, wallSeconds: wall.seconds,
                            maxRSSKilobytes: child.maxRSSKilobytes, cpuSeconds: child.userSeconds + child.systemSeconds,
                            generationSeconds: prepared.generationSeconds)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

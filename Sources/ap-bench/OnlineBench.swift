import APSandbox
import Foundation
import Logging

/// One size fetched end to end: the release `ap-reconcile run` binary (a child process, so its
/// peak RSS is its own) against the sandbox in this process with a per-request latency.
struct OnlineResult: Sendable {
    var size: BenchSize
    var latencyMs: Int
    var concurrency: Int
    var exitCode: Int32
    var requestsByRoute: [String: Int]
    var minimum: MinimumPlan
    var connectionsAccepted: Int
    var wallSeconds: Double
    var maxRSSKilobytes: Int
    var cpuSeconds: Double

    var requestsMade: Int { requestsByRoute.filter { $0.key != "GET /sandbox/stats" }.values.reduce(0, +) }
    /// requests × latency ÷ concurrency: the wall time no client can beat at this latency.
    var floorSeconds: Double { Double(requestsMade) * Double(latencyMs) / 1000 / Double(concurrency) }
    var ratio: Double { floorSeconds > 0 ? wallSeconds / floorSeconds : 0 }
    var linesPerSecond: Double { Double(size.lines) / wallSeconds }
}

enum OnlineBench {
    static func run(size: BenchSize, latencyMs: Int, concurrency: Int, binary: String) async throws -> OnlineResult {
        let dataset = size.dataset()
        let minimum = MinimumPlan(dataset: dataset, since: BenchSize.start,
                                  until: BenchSize.start + Int64(size.payouts + 1) * 86_400, pageSize: 100,
                                  concurrency: concurrency)
        var logger = Logger(label: "ap-bench.sandbox")
        logger.logLevel = .error
        let sandbox = try await SandboxServer.start(
            configuration: SandboxConfiguration(port: 0, faults: FaultConfiguration(latencyMs: latencyMs)),
            dataset: dataset, logger: logger)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ap-bench-out-\(getpid())-\(size.name)").path
        defer { try? FileManager.default.removeItem(atPath: out) }

        let arguments = ["run", "--base-url", sandbox.baseURL, "--since", size.since, "--until", size.until,
                         "--out", out, "--as-of", "2026-01-01T00:00:00Z", "--concurrency", String(concurrency),
                         "--fail-on", "never", "--log-level", "error"]
        let clock = ContinuousClock()
        let began = clock.now
        // The child blocks this thread in wait4; the sandbox serves from its own event loop threads.
        let child = try await Task.detached {
            try runChild(binary, arguments, environment: ["AP_CLIENT_ID": "sandbox-client", "AP_CLIENT_SECRET": "sandbox-secret"])
        }.value
        let wall = clock.now - began
        let stats = sandbox.stats()
        await sandbox.stop()
        return OnlineResult(size: size, latencyMs: latencyMs, concurrency: concurrency, exitCode: child.exitCode,
                            requestsByRoute: stats.requestsByRoute, minimum: minimum,
                            connectionsAccepted: stats.connectionsAccepted, wallSeconds: wall.seconds,
                            maxRSSKilobytes: child.maxRSSKilobytes, cpuSeconds: child.userSeconds + child.systemSeconds)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

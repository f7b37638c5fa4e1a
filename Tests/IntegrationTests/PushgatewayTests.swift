import APTransport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Where the Pushgateway binary is, and whether its tests may be skipped.
enum Pushgateway {
    static let binary = ProcessInfo.processInfo.environment["AP_PUSHGATEWAY_BINARY"] ?? "/usr/bin/prometheus-pushgateway"
    static let required = ProcessInfo.processInfo.environment["AP_REQUIRE_PUSHGATEWAY"] != nil
    /// Skipped only when the Pushgateway is absent and nobody asked for it; scripts/test.sh
    /// installs it and sets AP_REQUIRE_PUSHGATEWAY, so CI cannot skip silently.
    static var runnable: Bool { FileManager.default.isExecutableFile(atPath: binary) || required }
    static let skipReason: Comment = "prometheus-pushgateway is not installed (apt-get install prometheus-pushgateway, or run scripts/test.sh); set AP_REQUIRE_PUSHGATEWAY=1 to make this a failure"
}

/// `run --metrics-push` against the real Prometheus Pushgateway (Debian's
/// prometheus-pushgateway, which scripts/test.sh installs): what it serves back on /metrics is
/// exactly what the metrics file of the same run says, in the run's group.
// Serialized: each test starts its own Pushgateway on a port that was free a moment before, and
// two starting at once could pick the same one.
@Suite(.enabled(if: Pushgateway.runnable, Pushgateway.skipReason), .serialized)
struct PushgatewayTests {
    let e2e = RunEndToEndTests()
    let operations = OperationsEndToEndTests()

    /// A port that was free a moment ago on 127.0.0.1.
    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts the Pushgateway on a free loopback port, runs `body` with its URL, stops it.
    func withPushgateway<R>(_ body: (String) async throws -> R) async throws -> R {
        try #require(FileManager.default.isExecutableFile(atPath: Pushgateway.binary), "\(Pushgateway.binary) is missing, and AP_REQUIRE_PUSHGATEWAY is set")
        let port = try freePort()
        // A persistence file of its own: Debian's build defaults to /var/lib/prometheus/pushgateway.data,
        // which would carry one test's groups into the next.
        let persistence = FileManager.default.temporaryDirectory.appendingPathComponent("pushgateway-\(UUID().uuidString).data").path
        defer { try? FileManager.default.removeItem(atPath: persistence) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Pushgateway.binary)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)", "--persistence.file=\(persistence)", "--log.level=error"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        let url = "http://127.0.0.1:\(port)"
        // Ready when it answers; a bounded number of tries, not a timing assumption.
        var ready = false
        for _ in 0..<250 where !ready {
            ready = (try? await get(url + "/-/ready"))?.status == 200
            if !ready { try await Task.sleep(for: .milliseconds(40)) }
        }
        try #require(ready, "the Pushgateway did not become ready on \(url)")
        // Ours answered, not another one that already had the port.
        try #require(process.isRunning, "the Pushgateway started for this test exited (port \(port) taken?)")
        return try await body(url)
    }

    func get(_ url: String) async throws -> HTTPResponse {
        let transport = CurlTransport(configuration: TransportConfiguration())
        defer { transport.shutdown() }
        return try await transport.send(HTTPRequest(url: url, timeout: .seconds(5)))
    }

    /// The `ap_reconcile_` series of an exposition text: series (name and labels, sorted) → value.
    /// Values are compared as numbers: the Pushgateway writes them in Go's float format.
    func series(_ text: String, adding extra: [String: String] = [:]) throws -> [String: Double] {
        var found: [String: Double] = [:]
        let sample = try Regex(#"^([a-z_]+)(\{(.*)\})? (\S+)$"#)
        for line in text.split(separator: "\n") where line.hasPrefix("ap_reconcile_") {
            let match = try #require(String(line).wholeMatch(of: sample), "not a sample: \(line)")
            var labels = extra
            if let inner = match.output[3].substring {
                for pair in inner.split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
                }
            }
            let name = String(match.output[1].substring ?? "")
            let key = name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
            found[key] = try #require(Double(String(match.output[4].substring ?? "")))
        }
        return found
    }

    /// What differs between two sets of series, for a failure message.
    func differences(_ served: [String: Double], _ expected: [String: Double]) -> String {
        let keys = Set(served.keys).union(expected.keys).sorted()
        var lines: [String] = []
        for key in keys where served[key] != expected[key] {
            let got = served[key].map { "\($0)" } ?? "none"
            let want = expected[key].map { "\($0)" } ?? "none"
            lines.append("\(key): served \(got), expected \(want)")
        }
        return lines.joined(separator: "; ")
    }

    @Test func pushedMetricsReadBackAsTheMetricsFileSaysThem() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("push-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("ap_reconcile.prom").path
        let (okFile, okServed, failedFile, failedServed) = try await withPushgateway { gateway in
            try await operations.withServer(webhookSecret: nil) { sandbox in
                let ok = try await e2e.run(e2e.window(sandbox.baseURL, out: root.appendingPathComponent("out").path)
                                           + ["--metrics-file", file, "--metrics-push", gateway], environment: operations.environment)
                #expect(ok.status == 0)
                let okFile = try String(contentsOfFile: file, encoding: .utf8)
                let okServed = String(decoding: try await get(gateway + "/metrics").body, as: UTF8.self)
                let failed = try await e2e.run(e2e.window(sandbox.baseURL, out: root.appendingPathComponent("out").path)
                                               + ["--metrics-file", file, "--metrics-push", gateway],
                                               environment: ["AP_CLIENT_ID": "e2e", "AP_CLIENT_SECRET": "wrong"])
                #expect(failed.status == 77)
                let failedFile = try String(contentsOfFile: file, encoding: .utf8)
                let failedServed = String(decoding: try await get(gateway + "/metrics").body, as: UTF8.self)
                return (okFile, okServed, failedFile, failedServed)
            }
        }
        // The group's labels, added by the Pushgateway to every series of the push.
        let group = ["job": "ap-reconcile", "instance": ""]
        let expected = try series(okFile, adding: group)
        #expect(expected.count == 28)
        let okSeries = try series(okServed)
        #expect(okSeries == expected, "\(differences(okSeries, expected))")

        // A failed run replaces the families it carries (POST) and keeps the others — the last
        // success and the last complete run's counts — as the metrics file keeps its last success.
        let failedExpected = try series(failedFile, adding: group)
        func family(_ key: String) -> Substring { key.prefix { $0 != "{" } }
        let replaced = Set(failedExpected.keys.map(family))
        var afterFailure = failedExpected
        for (key, value) in expected where !replaced.contains(family(key)) { afterFailure[key] = value }
        let failedSeries = try series(failedServed)
        #expect(failedSeries == afterFailure, "\(differences(failedSeries, afterFailure))")
        #expect(afterFailure["ap_reconcile_exit_code{instance=\"\",job=\"ap-reconcile\"}"] == 77)
        #expect(afterFailure["ap_reconcile_last_success_timestamp_seconds{instance=\"\",job=\"ap-reconcile\"}"]
            == expected["ap_reconcile_last_success_timestamp_seconds{instance=\"\",job=\"ap-reconcile\"}"])
        #expect(afterFailure["ap_reconcile_payouts_reconciled{instance=\"\",job=\"ap-reconcile\"}"] == 1)
    }

    @Test func checkSeesTheGatewayReady() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("push-check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let (ready, gone) = try await withPushgateway { gateway in
            try await operations.withServer(webhookSecret: nil) { sandbox in
                let ready = try await e2e.invoke(["check", "--base-url", sandbox.baseURL, "--out", root, "--metrics-push", gateway],
                                                 environment: operations.environment)
                // The sandbox answers 404 to /-/ready: a URL that is not a Pushgateway.
                let gone = try await e2e.invoke(["check", "--base-url", sandbox.baseURL, "--out", root, "--metrics-push", sandbox.baseURL],
                                                environment: operations.environment)
                return ((ready, gateway), (gone, sandbox.baseURL))
            }
        }
        let port = ready.1.split(separator: ":").last.map(String.init) ?? ""
        #expect(ready.0.stdout.split(separator: "\n").last == "ok   metrics push: the Pushgateway at http://127.0.0.1:\(port)/… is ready")
        #expect(ready.0.status == 0)
        let sandboxPort = gone.1.split(separator: ":").last.map(String.init) ?? ""
        #expect(gone.0.stdout.split(separator: "\n").last
            == "warn metrics push: http://127.0.0.1:\(sandboxPort)/… answered HTTP 404 to GET /-/ready: is it a Pushgateway? (a failed push is logged and never fails a run)")
        #expect(gone.0.status == 0)
    }

    @Test func eachAccountIsItsOwnGroup() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("push-accounts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let job = root + "/job.json"
        let (result, served) = try await withPushgateway { gateway in
            try await operations.withServer(webhookSecret: nil) { sandbox in
                try Data("""
                {"base_url": "\(sandbox.baseURL)", "since": "2026-11-01", "until": "2026-11-08", "metrics_push_url": "\(gateway)",
                 "accounts": [
                   {"name": "bad", "client_id_env": "BAD_ID", "client_secret_env": "BAD_SECRET", "out": "\(root)/bad"},
                   {"name": "good", "client_id_env": "GOOD_ID", "client_secret_env": "GOOD_SECRET", "out": "\(root)/good"}
                 ]}
                """.utf8).write(to: URL(fileURLWithPath: job))
                let env = ["GOOD_ID": "e2e", "GOOD_SECRET": RunEndToEndTests.secret, "BAD_ID": "e2e", "BAD_SECRET": "wrong-secret"]
                let result = try await e2e.run(["--config", job, "--as-of", "2026-11-08T06:00:00Z"], environment: env)
                return (result, String(decoding: try await get(gateway + "/metrics").body, as: UTF8.self))
            }
        }
        #expect(result.status == 77)
        let pushed = try series(served)
        #expect(pushed["ap_reconcile_exit_code{account=\"bad\",instance=\"\",job=\"ap-reconcile\"}"] == 77)
        #expect(pushed["ap_reconcile_exit_code{account=\"good\",instance=\"\",job=\"ap-reconcile\"}"] == 0)
        #expect(pushed["ap_reconcile_payouts_reconciled{account=\"good\",instance=\"\",job=\"ap-reconcile\"}"] == 1)
        #expect(pushed["ap_reconcile_payouts_reconciled{account=\"bad\",instance=\"\",job=\"ap-reconcile\"}"] == nil)
    }
}

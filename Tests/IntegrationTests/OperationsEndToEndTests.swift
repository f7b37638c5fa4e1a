import APSandbox
import APTransport
import Crypto
import Foundation
import Logging
import Testing

/// `ap-reconcile run` with the operations flags, the built binary against the in-process
/// sandbox: the signed webhook verified by the sandbox's receiver, the metrics file, JSON
/// logs and several accounts.
@Suite struct OperationsEndToEndTests {
    static let webhookSecret = "whsec-e2e-Pq93Lm"
    let e2e = RunEndToEndTests()

    func withServer<R>(webhookSecret: String?, _ body: (RunningSandbox) async throws -> R) async throws -> R {
        var configuration = SandboxConfiguration(clientID: "e2e", clientSecret: RunEndToEndTests.secret, environment: [:])
        configuration.webhookSecret = webhookSecret
        let sandbox = try await SandboxServer.start(configuration: configuration, dataset: try e2e.dataset(),
                                                    logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        do {
            let result = try await body(sandbox)
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    var environment: [String: String] {
        ["AP_CLIENT_ID": "e2e", "AP_CLIENT_SECRET": RunEndToEndTests.secret, "AP_RECON_WEBHOOK_SECRET": Self.webhookSecret]
    }

    func sha256(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: webhook

    @Test func notificationIsVerifiedByTheSandboxReceiver() async throws {
        let out = e2e.freshFolder()
        let (result, received, rejected) = try await withServer(webhookSecret: Self.webhookSecret) { sandbox in
            let result = try await e2e.run(e2e.window(sandbox.baseURL, out: out) + ["--notify", sandbox.baseURL + "/sandbox/webhooks"], environment: environment)
            return (result, sandbox.verifiedWebhooks, sandbox.rejectedWebhooks)
        }
        #expect(result.status == 0)
        #expect(!result.stderr.contains(Self.webhookSecret))
        #expect(rejected.isEmpty)
        try #require(received.count == 1)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(received[0].body)) as? [String: Any])
        #expect(event["id"] as? String == received[0].id)
        #expect(event["type"] as? String == "reconciliation.completed")
        #expect(event["outcome"] as? String == "ok")
        #expect(event["exit_code"] as? Int == 0)
        #expect(event["payouts"] as? Int == 1)
        #expect(event["lines"] as? Int == 3)
        #expect(event["diagnostics"] as? [String: Int] == ["error": 0, "warning": 0, "info": 0])
        #expect(event["window"] as? [String: String] == ["since": "2026-11-01T00:00:00Z", "until": "2026-11-08T00:00:00Z"])
        let reports = try #require(event["reports"] as? [String: Any])
        #expect(reports["directory"] as? String == out)
        let files = try #require(reports["files"] as? [[String: String]])
        #expect(files.map { $0["name"] ?? "" } == RunEndToEndTests.reportFiles)
        for file in files {
            #expect(try file["sha256"] == sha256(out + "/" + (file["name"] ?? "")))
        }
    }

    @Test func badSignatureIsRejectedAndTheRunKeepsItsOutcome() async throws {
        let out = e2e.freshFolder()
        let (result, received, rejected) = try await withServer(webhookSecret: "a-different-secret") { sandbox in
            let result = try await e2e.run(e2e.window(sandbox.baseURL, out: out) + ["--notify", sandbox.baseURL + "/sandbox/webhooks"], environment: environment)
            return (result, sandbox.verifiedWebhooks, sandbox.rejectedWebhooks)
        }
        #expect(received.isEmpty)
        #expect(rejected == ["signature_mismatch": 1]) // 401 is not retried
        #expect(result.status == 0)
        #expect(result.lastLine.hasPrefix("ap-reconcile: OK (exit 0): reconciled 1 payouts"))
        #expect(result.lastLine.hasSuffix("failed after 1 attempt(s): HTTP 401 (not retryable)"))
        #expect(e2e.files(in: out) == RunEndToEndTests.reportFiles)
    }

    @Test func requiredNotificationThatFailsExits74WithReportsKept() async throws {
        let out = e2e.freshFolder()
        let result = try await withServer(webhookSecret: "a-different-secret") { sandbox in
            try await e2e.run(e2e.window(sandbox.baseURL, out: out) + ["--notify", sandbox.baseURL + "/sandbox/webhooks", "--notify-required"],
                              environment: environment)
        }
        #expect(result.status == 74)
        #expect(result.lastLine.hasPrefix("ap-reconcile: NOTIFY_FAILED (exit 74): reconciled 1 payouts"))
        #expect(e2e.files(in: out) == RunEndToEndTests.reportFiles)
    }

    @Test func serverErrorIsRetriedThenDelivered() async throws {
        let out = e2e.freshFolder()
        let (result, received, faults) = try await withServer(webhookSecret: Self.webhookSecret) { sandbox in
            sandbox.enqueue(.status(503), matching: "/sandbox/webhooks", count: 1)
            let result = try await e2e.run(e2e.window(sandbox.baseURL, out: out) + ["--notify", sandbox.baseURL + "/sandbox/webhooks"], environment: environment)
            return (result, sandbox.verifiedWebhooks, sandbox.stats().faultsInjected)
        }
        #expect(result.status == 0)
        #expect(faults == ["status_503": 1])
        #expect(received.count == 1)
    }

    @Test func notifyWithoutTheSecretIsAConfigurationErrorBeforeTheRun() async throws {
        let out = e2e.freshFolder()
        let (result, requests) = try await withServer(webhookSecret: Self.webhookSecret) { sandbox in
            let result = try await e2e.run(e2e.window(sandbox.baseURL, out: out) + ["--notify", sandbox.baseURL + "/sandbox/webhooks"])
            return (result, sandbox.stats().totalRequests)
        }
        #expect(result.status == 78)
        #expect(result.lastLine == "ap-reconcile: FAILED (exit 78): --notify / notify_url needs the signing secret in AP_RECON_WEBHOOK_SECRET (or a file named by AP_RECON_WEBHOOK_SECRET_FILE); neither is set")
        #expect(requests == 0)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    // MARK: metrics and logs

    /// A sample line of the text exposition format: name, optional labels, a float value.
    static let samplePattern = (#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\\n])*")*\})? -?[0-9]+(\.[0-9]+)?$"#)

    func parseMetrics(_ text: String) throws -> [String: String] {
        let sampleLine = try Regex(Self.samplePattern)
        var samples: [String: String] = [:]
        var typed = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ap_reconcile_") { continue }
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(parts.count == 4 && parts[3] == "gauge", "bad TYPE line: \(line)")
                typed.insert(String(parts[2]))
                continue
            }
            #expect(line.wholeMatch(of: sampleLine) != nil, "not a valid sample line: \(line)")
            #expect(line.hasPrefix("ap_reconcile_"))
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            #expect(typed.contains(name), "sample before its TYPE line: \(line)")
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        #expect(text.hasSuffix("\n"))
        return samples
    }

    @Test func metricsFileIsValidExpositionWithExactValues() async throws {
        let out = e2e.freshFolder()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let metrics = folder + "/ap_reconcile.prom"
        let (first, second) = try await withServer(webhookSecret: nil) { sandbox in
            let ok = try await e2e.run(e2e.window(sandbox.baseURL, out: out) + ["--metrics-file", metrics], environment: environment)
            #expect(ok.status == 0)
            let firstText = try String(contentsOfFile: metrics, encoding: .utf8)
            let refused = try await e2e.run(e2e.window(sandbox.baseURL, out: out) + ["--metrics-file", metrics],
                                            environment: ["AP_CLIENT_ID": "e2e", "AP_CLIENT_SECRET": "wrong"])
            #expect(refused.status == 77)
            return (firstText, try String(contentsOfFile: metrics, encoding: .utf8))
        }
        let a = try parseMetrics(first)
        #expect(a["ap_reconcile_exit_code"] == "0")
        #expect(a["ap_reconcile_run_success"] == "1")
        #expect(a["ap_reconcile_outcome{outcome=\"ok\"}"] == "1")
        #expect(a["ap_reconcile_outcome{outcome=\"failed\"}"] == "0")
        #expect(a["ap_reconcile_payouts_reconciled"] == "1")
        #expect(a["ap_reconcile_lines_reconciled"] == "3")
        #expect(a["ap_reconcile_diagnostics{severity=\"error\"}"] == "0")
        #expect(a["ap_reconcile_requests{endpoint=\"GET /payouts\"}"] == "1")
        #expect(a["ap_reconcile_requests{endpoint=\"GET /payouts/{id}/transactions\"}"] == "1")
        #expect(a["ap_reconcile_requests{endpoint=\"POST /oauth/token\"}"] == "1")
        #expect(a["ap_reconcile_last_success_timestamp_seconds"] == a["ap_reconcile_last_run_timestamp_seconds"])
        let lastRun = try #require(a["ap_reconcile_last_run_timestamp_seconds"].flatMap(Double.init))
        #expect(abs(lastRun - Date().timeIntervalSince1970) < 600)

        let b = try parseMetrics(second)
        #expect(b["ap_reconcile_exit_code"] == "77")
        #expect(b["ap_reconcile_run_success"] == "0")
        #expect(b["ap_reconcile_outcome{outcome=\"failed\"}"] == "1")
        #expect(b["ap_reconcile_last_success_timestamp_seconds"] == a["ap_reconcile_last_success_timestamp_seconds"])
        #expect(b["ap_reconcile_payouts_reconciled"] == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["ap_reconcile.prom"])
    }

    @Test func jsonLogLinesParse() async throws {
        let out = e2e.freshFolder()
        let result = try await withServer(webhookSecret: nil) { sandbox in
            try await e2e.run(e2e.window(sandbox.baseURL, out: out) + ["--log-format", "json", "--log-level", "debug"], environment: environment)
        }
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count >= 3)
        var messages: [String] = []
        for line in lines.dropLast() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(object["ts"] is String)
            #expect(object["level"] is String)
            messages.append(object["message"] as? String ?? "")
        }
        #expect(messages.contains("run complete"))
        // The outcome line is JSON too, with the same words as the text line.
        #expect(result.lastLine == #"{"outcome":"OK","exit":0,"account":null,"headline":"reconciled 1 payouts, 3 lines (2026-11-01T00:00:00Z .. 2026-11-08T00:00:00Z): 0 errors, 0 warnings, 0 info; reports in \#(out)"}"#)
    }

    // MARK: accounts

    @Test func oneFailingAccountDoesNotLoseTheOthersReports() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString)").path
        let job = root + "/job.json"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let (all, one) = try await withServer(webhookSecret: nil) { sandbox in
            try Data("""
            {"base_url": "\(sandbox.baseURL)", "since": "2026-11-01", "until": "2026-11-08",
             "accounts": [
               {"name": "bad", "client_id_env": "BAD_ID", "client_secret_env": "BAD_SECRET", "out": "\(root)/bad"},
               {"name": "good", "client_id_env": "GOOD_ID", "client_secret_env": "GOOD_SECRET", "out": "\(root)/good"}
             ]}
            """.utf8).write(to: URL(fileURLWithPath: job))
            let env = ["GOOD_ID": "e2e", "GOOD_SECRET": RunEndToEndTests.secret, "BAD_ID": "e2e", "BAD_SECRET": "wrong-secret"]
            let all = try await e2e.run(["--config", job, "--as-of", "2026-11-08T06:00:00Z"], environment: env)
            let one = try await e2e.run(["--config", job, "--as-of", "2026-11-08T06:00:00Z", "--account-index", "1"], environment: env)
            return (all, one)
        }
        #expect(all.status == 77)
        #expect(all.lastLine == "ap-reconcile: FAILED (exit 77): 2 accounts: bad FAILED (exit 77), good OK (exit 0)")
        #expect(all.stderr.contains("ap-reconcile[good]: OK (exit 0): reconciled 1 payouts"))
        #expect(e2e.files(in: root + "/good") == RunEndToEndTests.reportFiles)
        #expect(!FileManager.default.fileExists(atPath: root + "/bad"))
        #expect(one.status == 0)
        #expect(one.lastLine == "ap-reconcile: OK (exit 0): 1 account: good OK (exit 0)")
    }
}

import APSandbox
import Foundation
import Logging
import Testing

/// `ap-reconcile check`, the built binary against the in-process sandbox: one exact line per
/// check on stdout, the outcome line on stderr, the exit code of the worst failed check, and
/// nothing created or written.
@Suite struct CheckEndToEndTests {
    let e2e = RunEndToEndTests()
    let operations = OperationsEndToEndTests()

    /// A scratch folder that exists, and paths in it that do not.
    func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func apiLines(payments: String = "ok   GET /payments: readable") -> [String] {
        [
            "ok   token: the API issued a token for these credentials",
            "ok   GET /payouts: readable",
            "ok   GET /invoices: readable",
            payments,
            "ok   GET /payments/request/{id}: readable (a made-up id answered 404, as it should)",
        ]
    }

    @Test func everythingInOrderPassesAndCreatesNothing() async throws {
        let root = try scratch()
        let (result, received, port) = try await operations.withServer(webhookSecret: OperationsEndToEndTests.webhookSecret) { sandbox in
            let result = try await e2e.invoke(["check", "--base-url", sandbox.baseURL, "--out", root + "/reports", "--state", root + "/state",
                                               "--notify", sandbox.baseURL + "/sandbox/webhooks", "--notify-test"],
                                              environment: operations.environment)
            return (result, sandbox.verifiedWebhooks, sandbox.port)
        }
        var expected: [String] = ["ok   settings: 1 run planned"]
        expected += apiLines()
        expected += [
            "ok   clock: within 60 s of the API's Date header",
            "ok   out: \(root)/reports does not exist yet; the run creates it (0700) in \(root), which is writable",
            "ok   state: \(root)/state does not exist yet; the run creates it (0700, owner uid \(getuid())) in \(root), which is writable",
            "ok   state.json: none yet: the first run covers the previous UTC day",
            "ok   webhook: signed reconciliation.test event delivered to http://127.0.0.1:\(port)/… (HTTP 204, 1 attempt(s))",
        ]
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected)
        #expect(result.lastLine == "ap-reconcile: OK (exit 0): check: 11 ok, 0 warn, 0 FAIL; nothing was written")
        #expect(result.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == [])
        try #require(received.count == 1)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(received[0].body)) as? [String: Any])
        #expect(event["type"] as? String == "reconciliation.test")
        #expect(!result.stdout.contains(OperationsEndToEndTests.webhookSecret))
        #expect(!result.stderr.contains(OperationsEndToEndTests.webhookSecret))
    }

    @Test func aForbiddenEndpointIsNamedAndExits77() async throws {
        let root = try scratch()
        let result = try await operations.withServer(webhookSecret: nil) { sandbox in
            sandbox.enqueue(.status(403), matching: "/payments/request", count: 1)
            return try await e2e.invoke(["check", "--base-url", sandbox.baseURL, "--out", root], environment: operations.environment)
        }
        var expected: [String] = ["ok   settings: 1 run planned"]
        expected += apiLines().dropLast()
        expected += [
            "FAIL GET /payments/request/{id}: HTTP 403: these credentials may not read GET /payments/request/{id}; ask the account administrator to grant the client read access to it",
            "ok   clock: within 60 s of the API's Date header",
            "ok   out: \(root) is writable",
        ]
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected)
        #expect(result.lastLine == "ap-reconcile: FAILED (exit 77): check: 7 ok, 0 warn, 1 FAIL (GET /payments/request/{id}); nothing was written")
        #expect(result.status == 77)
    }

    @Test func refusedCredentialsFailAtTheTokenAndSkipTheEndpoints() async throws {
        let root = try scratch()
        let result = try await operations.withServer(webhookSecret: nil) { sandbox in
            try await e2e.invoke(["check", "--base-url", sandbox.baseURL, "--out", root],
                                 environment: ["AP_CLIENT_ID": "e2e", "AP_CLIENT_SECRET": "wrong-secret"])
        }
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == "ok   settings: 1 run planned")
        #expect(lines.dropFirst().first == #"FAIL token: POST /oauth/token (/oauth/token): the token endpoint refused the client credentials [HTTP 401]; the API said code invalid_client, "client credentials are not valid". Check AP_CLIENT_ID / AP_CLIENT_SECRET."#)
        #expect(lines.last == "ok   out: \(root) is writable")
        #expect(result.lastLine == "ap-reconcile: FAILED (exit 77): check: 2 ok, 0 warn, 1 FAIL (token); nothing was written")
        #expect(result.status == 77)
        #expect(!result.stdout.contains("wrong-secret") && !result.stderr.contains("wrong-secret"))
    }

    @Test func aClockFarFromTheServersIsAWarning() async throws {
        let root = try scratch()
        let result = try await operations.withServer(webhookSecret: nil) { sandbox in
            sandbox.dateHeader = "Thu, 01 Jan 2026 00:00:00 GMT"
            return try await e2e.invoke(["check", "--base-url", sandbox.baseURL, "--out", root], environment: operations.environment)
        }
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let clock = try #require(lines.first { $0.contains("clock") })
        // The skew itself depends on today's date; its sentence does not.
        #expect(try Regex(#"^warn clock: this machine's clock is [0-9]+ s ahead of the API's \(Date: Thu, 01 Jan 2026 00:00:00 GMT\): the default window, token expiry and the webhook's signed timestamp depend on it; sync the clock \(NTP\)$"#)
            .wholeMatch(in: clock) != nil)
        #expect(result.lastLine == "ap-reconcile: OK (exit 0): check: 7 ok, 1 warn, 0 FAIL; nothing was written")
        #expect(result.status == 0)
    }

    @Test func anOutputThatCannotBeCreatedExits73() async throws {
        let root = try scratch()
        try Data().write(to: URL(fileURLWithPath: root + "/file"))
        let result = try await operations.withServer(webhookSecret: nil) { sandbox in
            try await e2e.invoke(["check", "--base-url", sandbox.baseURL, "--out", root + "/file/reports"], environment: operations.environment)
        }
        #expect(result.stdout.split(separator: "\n").last == "FAIL out: \(root)/file/reports cannot be created: \(root)/file is not a folder")
        #expect(result.lastLine == "ap-reconcile: FAILED (exit 73): check: 7 ok, 0 warn, 1 FAIL (out); nothing was written")
        #expect(result.status == 73)
    }

    @Test func settingsThatDoNotResolveFailWithTheirOwnCode() async throws {
        let result = try await e2e.invoke(["check", "--out", "/tmp/never"], environment: ["AP_CLIENT_ID": "e2e", "AP_CLIENT_SECRET": RunEndToEndTests.secret])
        #expect(result.stdout == "FAIL settings: no API base URL: pass --base-url, set base_url in the job file, or set AP_BASE_URL\n")
        #expect(result.lastLine == "ap-reconcile: FAILED (exit 78): check: 0 ok, 0 warn, 1 FAIL (settings); nothing was written")
        #expect(result.status == 78)
    }
}

/// `run --dry-run`: the summary, the exit code, and nothing published or changed.
@Suite struct DryRunEndToEndTests {
    let e2e = RunEndToEndTests()
    let operations = OperationsEndToEndTests()

    @Test func aDryRunWithStateLeavesTheStateAndPublishesNothing() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dry-\(UUID().uuidString)").path
        let state = root + "/state", first = root + "/first", dry = root + "/dry", metrics = root + "/m.prom"
        let (real, before, result, received) = try await operations.withServer(webhookSecret: OperationsEndToEndTests.webhookSecret) { sandbox in
            let real = try await e2e.run(e2e.window(sandbox.baseURL, out: first) + ["--state", state], environment: operations.environment)
            let before = try Data(contentsOf: URL(fileURLWithPath: state + "/state.json"))
            let result = try await e2e.run(e2e.window(sandbox.baseURL, out: dry) + ["--state", state, "--dry-run", "--metrics-file", metrics,
                                                                                   "--notify", sandbox.baseURL + "/sandbox/webhooks"],
                                           environment: operations.environment)
            return (real, before, result, sandbox.verifiedWebhooks)
        }
        #expect(real.status == 0)
        #expect(result.status == 0)
        #expect(result.lastLine == "ap-reconcile: OK (exit 0): dry run: reconciled 1 payouts, 3 lines (2026-11-01T00:00:00Z .. 2026-11-08T00:00:00Z): 0 errors, 0 warnings, 0 info; nothing published, state unchanged; open items: 0 new, 0 open, 0 carried, 0 resolved")
        #expect(try Data(contentsOf: URL(fileURLWithPath: state + "/state.json")) == before)
        #expect(e2e.files(in: state) == ["lock", "state.json"])
        #expect(!FileManager.default.fileExists(atPath: dry))
        #expect(!FileManager.default.fileExists(atPath: metrics))
        #expect(received.isEmpty) // the real run had no --notify; the dry run sent nothing
        #expect(result.stdout.hasPrefix("Window 2026-11-01T00:00:00Z .. 2026-11-08T00:00:00Z (payout created_at, half-open)\n"))
        #expect(result.stdout.contains("  po_1  "))
        #expect(result.stdout.hasSuffix("Dry run: no report written, no state changed.\n"))
    }

    @Test func aDryRunCannotRecord() async throws {
        let out = e2e.freshFolder()
        let result = try await e2e.run(["--base-url", "http://127.0.0.1:9", "--out", out, "--dry-run", "--record"])
        #expect(result.status == 64)
        #expect(result.lastLine == "ap-reconcile: FAILED (exit 64): --dry-run publishes nothing, so it cannot record a snapshot: drop --record (or the job file's \"record\": true) for the dry run")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

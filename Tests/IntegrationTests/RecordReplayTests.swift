import APSandbox
import Foundation
import Logging
import Reports
import Testing

/// `run --record` then `replay`, both through the built binary, against the in-process sandbox
/// serving the sample dataset: the replay rebuilds byte-identical reports with no network and no
/// AP_* variables, refuses a snapshot with one changed byte, and says which request a snapshot
/// lacks. (`swift build --build-tests` builds the binary next to the test bundle.)
@Suite struct RecordReplayTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ap-reconcile")
    static let secret = "rr-secret-Vb51Qz9K"
    static let reportFiles = ["report.json", "payouts.csv", "transactions.csv", "invoices.csv", "diagnostics.csv", "report.html", "bank.csv", "manifest.json"]

    struct Result {
        var status: Int32
        var stderr: String
        var lastLine: String { stderr.split(separator: "\n").last.map(String.init) ?? "" }
    }

    func exec(_ arguments: [String], environment: [String: String], in directory: String? = nil) async throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path),
                     "ap-reconcile is not built next to the tests: run `swift build --build-tests` (scripts/test.sh does)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("rr-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: err) }
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        // Only PATH and what the test passes: replay must not need anything else.
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let result = Result(status: process.terminationStatus, stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        #expect(!result.stderr.contains(Self.secret))
        return result
    }

    func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rr-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Records a run of the sample data with `concurrency`, with a 503, a truncated body and a
    /// 429 on the way, so retries and failed attempts are part of the record. (A dropped
    /// connection is not used: libcurl itself retries a request on a reused connection that
    /// died, so the client may never see it.)
    func record(into out: String, concurrency: Int, failOn: String = "never", extra: [String] = [],
                environment: [String: String] = [:], in directory: String? = nil) async throws -> Result {
        let dataset = try SandboxDataset.load(directory: repositoryRoot.appendingPathComponent("samples/api"))
        let sandbox = try await SandboxServer.start(
            configuration: SandboxConfiguration(clientID: "rr", clientSecret: Self.secret, environment: [:]),
            dataset: dataset, logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        sandbox.enqueue(.status(503), matching: "/payouts", count: 1)
        sandbox.enqueue(.truncate, matching: "/invoices", count: 1)
        sandbox.enqueue(.status(429, retryAfter: "0"), matching: "/payments", count: 1)
        do {
            let result = try await exec([
                "run", "--record", "--base-url", sandbox.baseURL, "--since", "2026-11-01", "--until", "2026-11-08",
                "--as-of", "2026-11-08T06:00:00Z", "--fail-on", failOn, "--concurrency", String(concurrency),
                "--max-attempts", "4", "--out", out,
            ] + extra, environment: ["AP_CLIENT_ID": "rr", "AP_CLIENT_SECRET": Self.secret].merging(environment) { $1 }, in: directory)
            #expect(sandbox.pendingScriptedFaults == 0)
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    func contents(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test(arguments: [1, 8])
    func aReplayRebuildsByteIdenticalReports(concurrency: Int) async throws {
        let root = try scratch()
        let recorded = root + "/recorded"
        let run = try await record(into: recorded, concurrency: concurrency)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lastLine.hasPrefix("ap-reconcile: COMPLETE (exit 0): reconciled 14 payouts, 47 lines"))

        // The record holds the failed attempts, and no secret or token.
        let report = String(decoding: try contents(recorded + "/report.json"), as: UTF8.self)
        #expect(report.contains("\"retries_total\": 3"))
        let snapshotFiles = try FileManager.default.contentsOfDirectory(atPath: recorded + "/snapshot")
        #expect(snapshotFiles.contains("index.json"))
        for name in snapshotFiles {
            let text = String(decoding: try contents(recorded + "/snapshot/" + name), as: UTF8.self)
            #expect(!text.contains(Self.secret), "\(name) holds the client secret")
            #expect(!text.contains("sbx_"), "\(name) holds an access token")
        }
        let index = String(decoding: try contents(recorded + "/snapshot/index.json"), as: UTF8.self)
        #expect(index.contains("\"status\" : 503"))
        #expect(index.contains("\"kind\" : \"truncatedBody\""))
        #expect(index.contains("\"status\" : 429"))
        #expect(!index.contains("\"Authorization\""))

        // The manifest names the index's digest.
        let manifest = try #require(try JSONSerialization.jsonObject(with: try contents(recorded + "/manifest.json")) as? [String: Any])
        let named = try #require((manifest["snapshot"] as? [String: Any])?["sha256"] as? String)
        #expect(named == Manifest.sha256Hex(Array(try contents(recorded + "/snapshot/index.json"))))

        // Replay: no AP_* variable, no sandbox running.
        let replayed = root + "/replayed"
        let replay = try await exec(["replay", recorded + "/snapshot", "--out", replayed], environment: [:])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.lastLine == run.lastLine.replacingOccurrences(of: recorded, with: replayed) + "; replayed from snapshot sha256 \(named)")
        for name in Self.reportFiles {
            #expect(try contents(replayed + "/" + name) == contents(recorded + "/" + name), "\(name) differs")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: replayed).sorted() == Self.reportFiles.sorted())
    }

    /// A run with statements, recorded from the statements' folder, replayed from another one
    /// after the statements are deleted: the same bytes in every report, bank.csv included.
    @Test func aReplayRebuildsTheBankReportsWithoutTheStatementFiles() async throws {
        let root = try scratch()
        let statements = root + "/statements"
        try FileManager.default.createDirectory(atPath: statements + "/again", withIntermediateDirectories: true)
        let generated = BankStatementGenerator.generate(dataset: try SandboxDataset.load(directory: repositoryRoot.appendingPathComponent("samples/api")))
        for file in generated.files where file.path.hasPrefix("camt.053/") {
            try Data(file.contents.utf8).write(to: URL(fileURLWithPath: statements + "/" + file.path.dropFirst("camt.053/".count)))
        }
        // The same statement under another folder: two files share a base name.
        try FileManager.default.copyItem(atPath: statements + "/statement-overlap.xml", toPath: statements + "/again/statement-overlap.xml")
        let recorded = root + "/recorded"
        let run = try await record(into: recorded, concurrency: 2, extra: ["--bank-statement", "statement-*.xml", "--bank-statement", "again/*.xml"],
                                   in: statements)
        #expect(run.status == 0, "\(run.stderr)")
        let bankCSV = String(decoding: try contents(recorded + "/bank.csv"), as: UTF8.self)
        #expect(bankCSV.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", maxSplits: 1)[0] }.sorted()
            == ["statement-1.xml"] + Array(repeating: "statement-2.xml", count: 3) + Array(repeating: "statement-3.xml", count: 9))
        let report = String(decoding: try contents(recorded + "/report.json"), as: UTF8.self)
        #expect(report.contains("\"statement-overlap.xml\""))
        #expect(report.contains("\"again/statement-overlap.xml\""))
        #expect(!report.contains(root))
        let index = String(decoding: try contents(recorded + "/snapshot/index.json"), as: UTF8.self)
        #expect(index.contains("\"file\" : \"bank-005.statement\""))
        #expect(!index.contains(root))

        try FileManager.default.removeItem(atPath: statements)
        let replayed = root + "/replayed"
        let replay = try await exec(["replay", recorded + "/snapshot", "--out", replayed], environment: [:], in: NSTemporaryDirectory())
        #expect(replay.status == 0, "\(replay.stderr)")
        for name in Self.reportFiles {
            #expect(try contents(replayed + "/" + name) == contents(recorded + "/" + name), "\(name) differs")
        }

        // A statement changed in the snapshot, then one missing: refused like any snapshot file.
        let snapshot = recorded + "/snapshot"
        var bytes = try contents(snapshot + "/bank-002.statement")
        bytes[bytes.startIndex + 10] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: snapshot + "/bank-002.statement"))
        let tampered = try await exec(["replay", snapshot, "--out", root + "/tampered"], environment: [:])
        #expect(tampered.status == 65)
        #expect(tampered.lastLine.hasPrefix("ap-reconcile: FAILED (exit 65): snapshot \(snapshot) refused: bank-002.statement (bank statement statement-2.xml) has SHA-256 "))
        #expect(tampered.lastLine.hasSuffix(": the file was changed after it was recorded"))
        try FileManager.default.removeItem(atPath: snapshot + "/bank-002.statement")
        let missing = try await exec(["replay", snapshot, "--out", root + "/missing"], environment: [:])
        #expect(missing.status == 65)
        #expect(missing.lastLine == "ap-reconcile: FAILED (exit 65): snapshot \(snapshot) refused: bank-002.statement (bank statement statement-2.xml) is missing or unreadable: the snapshot is incomplete")
    }

    /// A run that fetched invoices one by one replays with the same requests.
    @Test func aRunWithTheByIDInvoiceFetchReplays() async throws {
        let root = try scratch()
        let recorded = root + "/recorded"
        let run = try await record(into: recorded, concurrency: 2, environment: ["AP_RECONCILE_INVOICE_FETCH": "by-id"])
        #expect(run.status == 0, "\(run.stderr)")
        let index = String(decoding: try contents(recorded + "/snapshot/index.json"), as: UTF8.self)
        #expect(index.contains("\"invoice_fetch\" : \"by-id\""))
        let replayed = root + "/replayed"
        let replay = try await exec(["replay", recorded + "/snapshot", "--out", replayed], environment: [:])
        #expect(replay.status == 0, "\(replay.stderr)")
        for name in Self.reportFiles {
            #expect(try contents(replayed + "/" + name) == contents(recorded + "/" + name), "\(name) differs")
        }
        // Adaptive runs keep the index as it was: no invoice_fetch key.
        let adaptive = try await record(into: root + "/adaptive", concurrency: 2)
        #expect(adaptive.status == 0, "\(adaptive.stderr)")
        #expect(!String(decoding: try contents(root + "/adaptive/snapshot/index.json"), as: UTF8.self).contains("invoice_fetch"))
    }

    @Test func oneChangedByteInTheSnapshotIsRefusedWithExit65() async throws {
        let root = try scratch()
        let recorded = root + "/recorded"
        let run = try await record(into: recorded, concurrency: 4)
        #expect(run.status == 0, "\(run.stderr)")
        let snapshot = recorded + "/snapshot"
        let victim = try #require(try FileManager.default.contentsOfDirectory(atPath: snapshot).sorted().first { $0.hasSuffix(".body") })
        var bytes = try contents(snapshot + "/" + victim)
        bytes[bytes.startIndex] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: snapshot + "/" + victim))

        let replayed = root + "/replayed"
        let result = try await exec(["replay", snapshot, "--out", replayed], environment: [:])
        #expect(result.status == 65)
        #expect(result.lastLine.hasPrefix("ap-reconcile: FAILED (exit 65): snapshot \(snapshot) refused: \(victim) ("))
        #expect(result.lastLine.hasSuffix(": the file was changed after it was recorded"))
        #expect(!FileManager.default.fileExists(atPath: replayed))

        // The index itself, edited: the manifest beside it no longer matches.
        try bytes.write(to: URL(fileURLWithPath: snapshot + "/" + victim)) // keep the body tampering irrelevant below
        let indexPath = snapshot + "/index.json"
        let index = try contents(indexPath)
        try Data(String(decoding: index, as: UTF8.self).replacingOccurrences(of: "\"fail_on\" : \"never\"", with: "\"fail_on\" : \"error\"").utf8)
            .write(to: URL(fileURLWithPath: indexPath))
        let edited = try await exec(["replay", snapshot, "--out", replayed], environment: [:])
        #expect(edited.status == 65)
        #expect(edited.lastLine.contains("but manifest.json beside it names"))
        #expect(!FileManager.default.fileExists(atPath: replayed))
    }

    @Test func aRequestTheSnapshotLacksIsNamedWithExit65() async throws {
        let root = try scratch()
        let recorded = root + "/recorded"
        let run = try await record(into: recorded, concurrency: 2)
        #expect(run.status == 0, "\(run.stderr)")
        // A copy without the manifest and without one answer: consistent digests, incomplete record.
        let copy = root + "/copy/snapshot"
        try FileManager.default.createDirectory(atPath: root + "/copy", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: recorded + "/snapshot", toPath: copy)
        var index = try #require(try JSONSerialization.jsonObject(with: try contents(copy + "/index.json")) as? [String: Any])
        var exchanges = try #require(index["exchanges"] as? [[String: Any]])
        // A by-id lookup asked once, so its one answer is all the snapshot had for it.
        let paths = exchanges.compactMap { $0["path"] as? String }
        let position = try #require(exchanges.firstIndex { exchange in
            guard let path = exchange["path"] as? String else { return false }
            return path.hasPrefix("/invoices/") && paths.filter { $0 == path }.count == 1
        })
        let dropped = exchanges.remove(at: position)
        index["exchanges"] = exchanges
        try FileManager.default.removeItem(atPath: copy + "/" + (try #require(dropped["file"] as? String)))
        try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys]).write(to: URL(fileURLWithPath: copy + "/index.json"))

        let replayed = root + "/replayed"
        let result = try await exec(["replay", copy, "--out", replayed], environment: [:])
        #expect(result.status == 65)
        let path = try #require(dropped["path"] as? String)
        #expect(result.lastLine.hasPrefix("ap-reconcile: FAILED (exit 65): no report written: snapshot \(copy) has no response for GET \(path) (request 1 of it; the snapshot holds 0)"))
        #expect(!FileManager.default.fileExists(atPath: replayed))

        // And replaying into the recorded folder itself is refused before anything is read.
        let into = try await exec(["replay", recorded + "/snapshot", "--out", recorded], environment: [:])
        #expect(into.status == 64)
        #expect(into.lastLine.contains("replay into a new folder"))
    }
}

/// `--acknowledgements` end to end through the binary: every error of the sample data
/// acknowledged makes a `--fail-on error` run exit 0; the file's SHA-256 is in the manifest and
/// the file in the snapshot; a replay uses the recorded copy (the original is gone by then) and
/// rebuilds byte-identical reports.
@Suite struct AcknowledgementsEndToEndTests {
    /// The 18 error fingerprints of the sample data (samples/reports/diagnostics.csv).
    static let errorFingerprints = [
        "INVOICE_DUPLICATE_PAYMENT|||inv_1011|", "INVOICE_OVERPAID|||inv_1012|", "INVOICE_PAID_WITHOUT_PAYMENT|||inv_1024|",
        "INVOICE_UNDERPAID|||inv_1013|", "PAYMENT_REQUEST_PAID_WITHOUT_PAYMENT||||preq_2005", "PAYOUT_AMOUNT_MISMATCH|po_4005|||",
        "PAYOUT_AMOUNT_MISMATCH|po_4009|||", "PAYOUT_AMOUNT_MISMATCH|po_4013|||", "PAYOUT_CURRENCY_MISMATCH|po_4009|txn_3024||",
        "PAYOUT_EMPTY|po_4008|||", "RECORD_UNREADABLE|po_4013|txn_3041|||GET /payouts/{id}/transactions",
        "RECORD_UNREADABLE|po_4013|txn_3042|||GET /payouts/{id}/transactions", "TXN_AMOUNT_MISMATCH||txn_3033||preq_2004",
        "TXN_CURRENCY_MISMATCH||txn_3032|inv_1018|", "TXN_INVOICE_NOT_FOUND|po_4011|txn_3030|inv_1099|",
        "TXN_IN_MULTIPLE_PAYOUTS|po_4014|txn_3007||", "TXN_NOT_SUCCEEDED|po_4011|txn_3035||",
        "TXN_PAYMENT_REQUEST_NOT_FOUND|po_4011|txn_3031||preq_2099",
    ]

    func ackFile(_ fingerprints: [String]) -> String {
        let entries = fingerprints.map { fingerprint in
            #"{"fingerprint": "\#(fingerprint)", "reason": "known", "by": "ops", "at": "2026-11-07T00:00:00Z"}"#
        }
        return "{\"acknowledgements\": [\n" + entries.joined(separator: ",\n") + "\n]}\n"
    }

    @Test func onlyAcknowledgedErrorsExitZeroAndReplayUsesTheRecordedFile() async throws {
        let harness = RecordReplayTests()
        let root = try harness.scratch()
        let acks = root + "/acks.json"
        // One entry more than the errors: it matches nothing and is reported stale.
        let text = ackFile(Self.errorFingerprints + ["TXN_UNLINKED|po_9999|txn_9999||"])
        try Data(text.utf8).write(to: URL(fileURLWithPath: acks))

        // Without the file the same run exits 1.
        let plain = try await harness.record(into: root + "/plain", concurrency: 4, failOn: "error")
        #expect(plain.status == 1, "\(plain.stderr)")

        let recorded = root + "/recorded"
        let run = try await harness.record(into: recorded, concurrency: 4, failOn: "error", extra: ["--acknowledgements", acks])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("stale acknowledgement"))
        #expect(run.stderr.contains("TXN_UNLINKED|po_9999|txn_9999||"))

        let report = try #require(try JSONSerialization.jsonObject(with: try harness.contents(recorded + "/report.json")) as? [String: Any])
        let section = try #require(report["acknowledgements"] as? [String: Any])
        #expect(section["acknowledged"] as? Int == 18)
        #expect(section["open"] as? Int == 11)
        let stale = try #require(section["stale"] as? [[String: Any]])
        #expect(stale.map { $0["fingerprint"] as? String } == ["TXN_UNLINKED|po_9999|txn_9999||"])
        #expect(stale.map { $0["why"] as? String } == ["no_match"])

        let digest = Manifest.sha256Hex(Array(text.utf8))
        let manifest = try #require(try JSONSerialization.jsonObject(with: try harness.contents(recorded + "/manifest.json")) as? [String: Any])
        #expect((manifest["acknowledgements"] as? [String: Any])?["sha256"] as? String == digest)
        #expect(section["sha256"] as? String == digest)
        #expect(try harness.contents(recorded + "/snapshot/acknowledgements.json") == Data(text.utf8))

        // The original file is gone (or changed): the replay must not need it.
        try FileManager.default.removeItem(atPath: acks)
        let replayed = root + "/replayed"
        let replay = try await harness.exec(["replay", recorded + "/snapshot", "--out", replayed], environment: [:])
        #expect(replay.status == 0, "\(replay.stderr)")
        for name in RecordReplayTests.reportFiles {
            #expect(try harness.contents(replayed + "/" + name) == harness.contents(recorded + "/" + name), "\(name) differs")
        }
    }

    @Test func ackAndUnackWriteTheFileExactly() async throws {
        let harness = RecordReplayTests()
        let root = try harness.scratch()
        let file = root + "/acks.json"
        let add = try await harness.exec(["ack", "PAYOUT_AMOUNT_MISMATCH|po_4005|||", "--reason", "fee credited in December",
                                          "--by", "alice", "--at", "2026-11-08T09:00:00Z", "--until", "2026-12-31",
                                          "--expected", "102926", "--actual", "100926", "--currency", "usd", "--file", file], environment: [:])
        #expect(add.status == 0, "\(add.stderr)")
        let second = try await harness.exec(["ack", "PAYOUT_EMPTY|po_4008|||", "--reason", "test payout", "--by", "bob",
                                             "--at", "2026-11-08", "--file", file], environment: [:])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(String(decoding: try harness.contents(file), as: UTF8.self) == """
        {
          "acknowledgements": [
            {
              "fingerprint": "PAYOUT_AMOUNT_MISMATCH|po_4005|||",
              "reason": "fee credited in December",
              "by": "alice",
              "at": "2026-11-08T09:00:00Z",
              "until": "2026-12-31T00:00:00Z",
              "expected": 102926,
              "actual": 100926,
              "currency": "USD"
            },
            {
              "fingerprint": "PAYOUT_EMPTY|po_4008|||",
              "reason": "test payout",
              "by": "bob",
              "at": "2026-11-08T00:00:00Z"
            }
          ]
        }

        """)
        let remove = try await harness.exec(["unack", "PAYOUT_AMOUNT_MISMATCH|po_4005|||", "--file", file], environment: [:])
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(String(decoding: try harness.contents(file), as: UTF8.self) == """
        {
          "acknowledgements": [
            {
              "fingerprint": "PAYOUT_EMPTY|po_4008|||",
              "reason": "test payout",
              "by": "bob",
              "at": "2026-11-08T00:00:00Z"
            }
          ]
        }

        """)
        let missing = try await harness.exec(["unack", "PAYOUT_AMOUNT_MISMATCH|po_4005|||", "--file", file], environment: [:])
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("has no acknowledgement for PAYOUT_AMOUNT_MISMATCH|po_4005|||; nothing changed"))
        let bad = try await harness.exec(["ack", "NOT_A_CODE|x", "--reason", "r", "--by", "b", "--file", file], environment: [:])
        #expect(bad.status == 78)
    }
}

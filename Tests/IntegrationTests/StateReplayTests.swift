import Foundation
import Reports
import Testing

/// `run --state --record` on the second of two nights, then `replay` of its snapshot, through the
/// built binary: the new/open/resolved statuses come from the previous open items the snapshot
/// holds, so every report file, exceptions.csv included, is byte-identical; the state folder is
/// not touched; a changed open-items file is refused with exit 65.
@Suite struct StateReplayTests {
    static let reportFiles = ["report.json", "payouts.csv", "transactions.csv", "invoices.csv", "diagnostics.csv",
                              "exceptions.csv", "report.html", "bank.csv", "manifest.json"]

    /// `ap-reconcile replay …` with nothing but PATH in its environment.
    func replay(_ arguments: [String]) async throws -> (status: Int32, lastLine: String) {
        let binary = StateEndToEndTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "ap-reconcile is not built next to the tests: run `swift build --build-tests` (scripts/test.sh does)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("state-replay-\(UUID().uuidString).stderr")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: err) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["replay"] + arguments
        process.environment = ["PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stderr.split(separator: "\n").last.map(String.init) ?? "")
    }

    func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aReplayOfARunWithStateRebuildsItsOpenItemsByteForByte() async throws {
        let job = StateEndToEndTests.Job()
        // Night 1 (window 11-03): po_1 and po_2 short.
        let night1 = try StateEndToEndTests.dataset([StateEndToEndTests.payout(1, day: "2026-11-03", amount: 100000, short: 500),
                                                     StateEndToEndTests.payout(2, day: "2026-11-03", amount: 200000, short: 200)])
        let first = try await StateEndToEndTests.withServer(night1) {
            try await StateEndToEndTests.run(job.arguments($0.baseURL, asOf: "2026-11-04T06:00:00Z"))
        }
        #expect(first.status == 0)
        #expect(first.lastLine.hasSuffix("open items: 2 new, 0 open, 0 carried, 0 resolved"))

        // Night 2 (window 11-01 .. 11-05), recorded: po_1 still short, po_2 corrected, po_3 short.
        let night2 = try StateEndToEndTests.dataset([StateEndToEndTests.payout(1, day: "2026-11-03", amount: 100000, short: 500),
                                                     StateEndToEndTests.payout(2, day: "2026-11-03", amount: 200000),
                                                     StateEndToEndTests.payout(3, day: "2026-11-04", amount: 300000, short: 100)])
        let second = try await StateEndToEndTests.withServer(night2) {
            try await StateEndToEndTests.run(job.arguments($0.baseURL, asOf: "2026-11-05T06:00:00Z", ["--record"]))
        }
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.lastLine.hasSuffix("open items: 1 new, 1 open, 0 carried, 1 resolved"))
        let recorded = job.out + "/2026-11-01T000000Z_2026-11-05T000000Z"
        #expect(second.lastLine.contains("reports in \(recorded);"))
        let exceptions = String(decoding: try contents(recorded + "/exceptions.csv"), as: UTF8.self)
        #expect(exceptions.contains("\r\nopen,error,PAYOUT_AMOUNT_MISMATCH,2026-11-04T06:00:00Z,2026-11-05T06:00:00Z,1,po_1,"))
        #expect(exceptions.contains("\r\nnew,error,PAYOUT_AMOUNT_MISMATCH,2026-11-05T06:00:00Z,2026-11-05T06:00:00Z,0,po_3,"))

        // The snapshot holds what night 1 left open (state.json's open items before night 2), named in the index.
        let snapshot = recorded + "/snapshot"
        let previous = String(decoding: try contents(snapshot + "/previous-open-items.json"), as: UTF8.self)
        #expect(previous.contains("\"fingerprint\" : \"PAYOUT_AMOUNT_MISMATCH|po_1|||\""))
        #expect(previous.contains("\"fingerprint\" : \"PAYOUT_AMOUNT_MISMATCH|po_2|||\""))
        #expect(!previous.contains("po_3"))
        #expect(!previous.contains(StateEndToEndTests.secret))
        let index = String(decoding: try contents(snapshot + "/index.json"), as: UTF8.self)
        #expect(index.contains("\"with_state\" : true"))
        #expect(index.contains("\"sha256\" : \"\(Manifest.sha256Hex(Array(try contents(snapshot + "/previous-open-items.json"))))\""))

        // Replay into a plain folder: no AP_* variable, no sandbox, no state.
        let stateBefore = job.stateBytes
        let latestBefore = job.latest
        let named = Manifest.sha256Hex(Array(try contents(snapshot + "/index.json")))
        let replayed = job.root + "/replayed"
        let rebuilt = try await replay([snapshot, "--out", replayed])
        #expect(rebuilt.status == 0)
        #expect(rebuilt.lastLine == second.lastLine.replacingOccurrences(of: recorded, with: replayed) + "; replayed from snapshot sha256 \(named)")
        for name in Self.reportFiles {
            #expect(try contents(replayed + "/" + name) == contents(recorded + "/" + name), "\(name) differs")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: replayed).sorted() == Self.reportFiles.sorted())
        #expect(job.stateBytes == stateBefore)
        #expect(job.latest == latestBefore)
        #expect(job.folders == ["2026-11-01T000000Z_2026-11-05T000000Z", "2026-11-03T000000Z_2026-11-04T000000Z", "latest"])

        // The open items the run compared against, changed: refused, nothing written.
        let path = snapshot + "/previous-open-items.json"
        let edited = Data(previous.replacingOccurrences(of: "PAYOUT_AMOUNT_MISMATCH|po_2|||", with: "PAYOUT_AMOUNT_MISMATCH|po_9|||").utf8)
        try edited.write(to: URL(fileURLWithPath: path))
        let tamperedOut = job.root + "/tampered"
        let tampered = try await replay([snapshot, "--out", tamperedOut])
        #expect(tampered.status == 65)
        #expect(tampered.lastLine.hasPrefix("ap-reconcile: FAILED (exit 65): snapshot \(snapshot) refused: previous-open-items.json (the open items the run compared against) has SHA-256 \(Manifest.sha256Hex(Array(edited)))"))
        #expect(tampered.lastLine.hasSuffix(": the file was changed after it was recorded"))
        #expect(!FileManager.default.fileExists(atPath: tamperedOut))

        // Removed together with its index entry: the index no longer has the digest the manifest names.
        try FileManager.default.removeItem(atPath: path)
        let stripped = index.replacingOccurrences(of: "\"with_state\" : true", with: "\"with_state\" : false")
        try Data(stripped.utf8).write(to: URL(fileURLWithPath: snapshot + "/index.json"))
        let removed = try await replay([snapshot, "--out", tamperedOut])
        #expect(removed.status == 65)
        #expect(removed.lastLine.contains("but manifest.json beside it names \(named): the index was changed after it was recorded"))
        #expect(!FileManager.default.fileExists(atPath: tamperedOut))
    }
}

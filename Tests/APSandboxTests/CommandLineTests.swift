import APSandbox
import Foundation
import Testing

/// Runs the built `ap-sandbox` binary (it sits next to the test bundle after `swift build --build-tests`).
@Suite struct CommandLineTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ap-sandbox")

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Process, URL, URL) {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path),
                     "ap-sandbox is not built next to the tests: run `swift build --build-tests` (scripts/test.sh does)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        process.currentDirectoryURL = dir
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    func waitForExit(_ process: Process) async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        return process.terminationStatus
    }

    @Test
    func serveAnnouncesItsPortAndStopsOnSIGTERM() async throws {
        let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-secret-\(UUID().uuidString)")
        try Data("file-secret\n".utf8).write(to: secretFile)
        defer { try? FileManager.default.removeItem(at: secretFile) }
        let (process, out, err) = try run(["serve", "--generate", "--seed", "3", "--payouts", "2", "--port", "0",
                                           "--client-id", "cli", "--client-secret-file", secretFile.path])
        var firstLine = ""
        for _ in 0..<600 where !firstLine.hasSuffix("\n") {
            firstLine = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            try await Task.sleep(for: .milliseconds(50))
        }
        let match = try #require(firstLine.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)\n/))
        let base = "http://127.0.0.1:\(match.1)"
        let token = try await Curl.run(["-X", "POST", base + "/oauth/token", "-u", "cli:file-secret", "-d", "grant_type=client_credentials"])
        #expect(token.status == 200)
        let bearer = try #require(try token.object().string("access_token"))
        let payouts = try await Curl.run([base + "/payouts", "-H", "Authorization: Bearer \(bearer)"])
        #expect(try payouts.object().array("data")?.count == 2)
        process.terminate()
        #expect(await waitForExit(process) == 0)
        let logs = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        #expect(logs.contains("received SIGTERM, stopping"))
        #expect(!logs.contains("file-secret"))
        #expect(!logs.contains(bearer))
    }

    @Test
    func generateWritesADatasetAndBadDatasetsFailClearly() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-gen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (generate, out, _) = try run(["generate", "--seed", "4", "--out", dir.path, "--payouts", "3", "--lines-per-payout", "2"])
        #expect(await waitForExit(generate) == 0)
        #expect(try String(contentsOf: out, encoding: .utf8) == "wrote 20 customers, 100 invoices, 0 payment requests, 6 transactions, 3 payouts to \(dir.path)\n")
        #expect(try SandboxDataset.load(directory: dir) == SandboxDataset.generate(seed: 4, payouts: 3, linesPerPayout: 2))

        try Data("not json".utf8).write(to: dir.appendingPathComponent("invoices.json"))
        let (serve, _, err) = try run(["serve", "--dataset", dir.path, "--port", "0"])
        #expect(await waitForExit(serve) != 0)
        let message = try String(contentsOf: err, encoding: .utf8)
        #expect(message.contains("dataset file \(dir.path)/invoices.json: not valid JSON at byte 0: expected 'null'"))
        #expect(!message.contains("Usage:"))
    }

    @Test
    func generateTakesTheShapeOptionsAndRefusesABackwardRange() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-gen-shape-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (generate, out, _) = try run(["generate", "--seed", "4", "--out", dir.path, "--invoices", "30", "--payouts", "3",
                                          "--lines-per-payout", "11", "--invoice-lead-days", "20-60", "--history-invoices", "25",
                                          "--history-age-days", "30-400", "--tail-per-mille", "100", "--tail-age-days", "365-1000",
                                          "--payout-spacing-seconds", "3600"])
        #expect(await waitForExit(generate) == 0)
        #expect(try String(contentsOf: out, encoding: .utf8) == "wrote 20 customers, 55 invoices, 0 payment requests, 33 transactions, 3 payouts to \(dir.path)\n")
        let shape = DatasetShape(invoiceLeadDays: 20...60, historyInvoices: 25, historyAgeDays: 30...400, tailPerMille: 100,
                                 tailAgeDays: 365...1000, payoutSpacingSeconds: 3600)
        #expect(try SandboxDataset.load(directory: dir) == SandboxDataset.generate(seed: 4, invoices: 30, payouts: 3, linesPerPayout: 11, shape: shape))

        let (backward, _, err) = try run(["generate", "--out", dir.path, "--invoice-lead-days", "60-30"])
        #expect(await waitForExit(backward) != 0)
        #expect(try String(contentsOf: err, encoding: .utf8).contains("--invoice-lead-days must be N-M days with 0 ≤ N ≤ M ≤ 36500, e.g. 30-60 (got 60-30)"))
    }

    @Test
    func statementsWritesEveryFormatAndRefusesADatasetWithoutPayouts() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-bank-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (statements, out, _) = try run(["statements", "--seed", "4", "--payouts", "6", "--out", dir.appendingPathComponent("bank").path])
        #expect(await waitForExit(statements) == 0)
        let output = BankStatementGenerator.generate(dataset: SandboxDataset.generate(seed: 4, payouts: 6))
        #expect(try String(contentsOf: out, encoding: .utf8).hasPrefix("wrote 21 files to \(dir.path)/bank\n"))
        for file in output.files {
            let written = try String(contentsOf: dir.appendingPathComponent("bank").appendingPathComponent(file.path), encoding: .utf8)
            #expect(written == file.contents, "\(file.path)")
        }

        try SandboxDataset().write(to: dir.appendingPathComponent("empty"))
        let (empty, _, err) = try run(["statements", "--dataset", dir.appendingPathComponent("empty").path, "--out", dir.path])
        #expect(await waitForExit(empty) == 64)
        #expect(try String(contentsOf: err, encoding: .utf8).contains(
            "the dataset has no payout that must arrive (succeeded or paid, positive amount): nothing to write"))
    }

    @Test
    func tlsFlagsComeTogetherAndBadPEMFailsClearly() async throws {
        let (alone, _, aloneErr) = try run(["serve", "--port", "0", "--tls-cert", "/nonexistent.pem"])
        #expect(await waitForExit(alone) == 64)
        #expect(try String(contentsOf: aloneErr, encoding: .utf8).contains("give --tls-cert and --tls-key together"))

        let junk = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-junk-\(UUID().uuidString).pem")
        try Data("not a certificate\n".utf8).write(to: junk)
        defer { try? FileManager.default.removeItem(at: junk) }
        let (bad, _, badErr) = try run(["serve", "--port", "0", "--tls-cert", junk.path, "--tls-key", junk.path])
        #expect(await waitForExit(bad) == 1)
        let message = try String(contentsOf: badErr, encoding: .utf8)
        #expect(message.contains("ap-sandbox: the TLS certificate"))
        #expect(!message.contains("not a certificate"))
    }
}

import APClient
import APSandbox
import APTransport
import CSVReading
import Foundation
import Logging
import JobSettings
import Operations
import Publishing
import RunPipeline
import RunState
import Snapshots
import TestCertificates
import Testing

/// What the job writes and says, as secrets and hostile input go. docs/hardening.md describes each guarantee.
@Suite struct SecurityTests {
    // MARK: secrets

    /// Everything a run produced, as text: stdout, stderr, every file under the output folder
    /// (the snapshot's files included) and the metrics file.
    func outputs(_ result: JobHarness.BinaryRun, folder: String, metrics: String) -> [(String, String)] {
        var all = [("stdout", result.stdout), ("stderr", result.stderr)]
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        for name in files.sorted() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            all.append((name, (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""))
        }
        all.append(("metrics.prom", (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""))
        return all
    }

    @Test func neitherTheSecretNorAnyTokenAppearsInAnyOutput() async throws {
        // Three runs at trace level, each recording a snapshot and writing a metrics file: one with
        // retries (429, 5xx), one that completes (JSON logs), one whose credentials are revoked
        // mid-run (the error path).
        let basic = Data("\(JobHarness.clientID):\(JobHarness.secret)".utf8).base64EncodedString()
        var searched: [(String, String)] = []
        var tokens: [String] = []
        for scenario in ["faults", "clean", "revoked"] {
            let faults = scenario == "faults" ? FaultConfiguration(errorRate: 0.1, rateLimitRate: 0.1, retryAfterSeconds: 0) : .none
            let sandbox = try await JobHarness.start(try JobHarness.sampleDataset(), faults: faults, pageShape: .openapi, maxPageSize: 2)
            if scenario == "revoked" { sandbox.enqueue(.revokeTokens, matching: "/payouts/", count: 1) }
            let scratch = JobHarness.scratch("secret")
            // The metrics folder exists before the run, as node_exporter's textfile folder does.
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let out = scratch.appendingPathComponent("reports").path
            let metrics = scratch.appendingPathComponent("ap_reconcile.prom").path
            let extra = ["--log-level", "trace", "--max-attempts", "10", "--record", "--metrics-file", metrics]
                + (scenario == "clean" ? ["--log-format", "json"] : [])
            let result = try await JobHarness.runBinary(JobHarness.window(sandbox.baseURL, out: out) + extra)
            tokens += sandbox.issuedTokens()
            await sandbox.stop()
            // The sample data has error diagnostics: a complete run exits 1.
            #expect(result.status == (scenario == "revoked" ? 77 : 1), "\(scenario): \(result.lastLine)")
            // Trace logging really ran (the run's log lines, not just the final one).
            #expect(result.stderr.split(separator: "\n").count > 10, "\(scenario)")
            searched += outputs(result, folder: out, metrics: metrics).map { ("\(scenario)/\($0.0)", $0.1) }
        }
        #expect(tokens.count >= 3)
        let names = Set(searched.map(\.0))
        // Both complete runs' reports and snapshots, and all three metrics files, were searched.
        for scenario in ["faults", "clean"] {
            for file in JobHarness.reportFiles { #expect(names.contains("\(scenario)/\(file)"), "\(scenario)/\(file)") }
            #expect(names.contains("\(scenario)/snapshot/index.json"))
            // The token answer is in the snapshot (redacted): the search covers it.
            #expect(searched.filter { $0.0.hasPrefix("\(scenario)/snapshot/") }.count > 10)
        }
        for scenario in ["faults", "clean", "revoked"] {
            #expect(searched.first { $0.0 == "\(scenario)/metrics.prom" }?.1.contains("ap_reconcile_last_run_timestamp_seconds") == true, "\(scenario)")
        }
        for (name, text) in searched {
            #expect(!text.contains(JobHarness.secret), "the client secret appears in \(name)")
            #expect(!text.contains(basic), "the Basic credentials appear in \(name)")
            for token in tokens { #expect(!text.contains(token), "an access token appears in \(name)") }
            #expect(!text.contains("sbx_"), "something token-like appears in \(name)")
        }
    }

    // MARK: CSV formula injection

    /// Hostile text in every text field the API sends that reaches a CSV: each starts with one
    /// of the characters a spreadsheet would act on, and some carry quotes, commas and newlines.
    static let hostilePayouts = #"""
    [{"id":"=HYPERLINK(\"http://evil\",\"po\")","status":"succeeded","amount":-500,"currency":"USD","created_at":"2026-11-03T09:00:00Z","lines":[
       {"id":"+txn\r\n1","status":"succeeded","amount":1500,"currency":"USD","type":"payment","direction":"inbound",
        "invoice_id":"@inv,1","customer_id":"\tcus"},
       {"id":"-txn2","status":"\rsucceeded","amount":2000,"currency":"USD","type":"fee","direction":"outbound","payment_request_id":"=pr1"},
       {"id":"../../escaped\u0000x","status":"@pending","amount":"abc","currency":"USD","type":"payment","direction":"inbound"},
       {"id":"@txn4","status":"succeeded","amount":100,"currency":"USD","type":"-cmd|' /C calc'!A0","direction":"inbound"},
       {"id":"=txn7","status":"succeeded","amount":2000,"currency":"USD","type":"payment","direction":"inbound","payment_request_id":"=pr1"}]},
     {"id":"@po2","status":"-failed","amount":700,"currency":"USD","created_at":"2026-11-04T09:00:00Z","lines":[
       {"id":"=txn3","status":"succeeded","amount":700,"currency":"USD","type":"payment","direction":"inbound","invoice_id":"+inv2","customer_id":"=cus2"},
       {"id":"+txn\r\n1","status":"succeeded","amount":1500,"currency":"USD","type":"payment","direction":"inbound",
        "invoice_id":"@inv,1","customer_id":"\tcus"}]}]
    """#
    static let hostileInvoices = #"""
    [{"id":"@inv,1","customer_id":"=cus\"x","status":"+PAID","amount":1500,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-01T00:00:00Z"},
     {"id":"+inv2","customer_id":"\tcus2","status":"OPEN","amount":900,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-02T00:00:00Z"}]
    """#
    static let hostilePaymentRequests = #"""
    [{"id":"=pr1","amount":2000,"currency":"USD","status":"PENDING","reference_id":"-ref","url":"=http://x"}]
    """#

    static func isPlainNumber(_ s: String) -> Bool {
        s.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil
    }

    /// Columns that carry text straight from the API, and which of them the hostile data above
    /// reaches (each must show at least one defused cell).
    static let columnsReached: [String: Set<String>] = [
        "payouts.csv": ["payout_id", "status"],
        "transactions.csv": ["payout_id", "transaction_id", "type", "status", "customer_id", "invoice_id", "payment_request_id", "first_seen_in_payout_id"],
        "invoices.csv": ["invoice_id", "customer_id", "status", "settled_payment_ids"],
        "diagnostics.csv": ["payout_id", "transaction_id", "invoice_id", "payment_request_id"],
    ]

    @Test func everyCSVCellFromTheAPIIsDefusedAndNumbersStayNumbers() async throws {
        let dataset = try JobHarness.dataset(["payouts.json": Self.hostilePayouts, "invoices.json": Self.hostileInvoices,
                                              "payment_requests.json": Self.hostilePaymentRequests])
        let run = try await JobHarness.pipeline(dataset)
        try #require(run.outcome.status == .clean, "\(run.outcome.headline)")
        // Nothing escaped the output folder: only the fixed report names, nothing beside it.
        #expect(run.files.keys.sorted() == JobHarness.reportFiles)
        #expect(JobHarness.listing(run.out.deletingLastPathComponent().path) == ["reports"])

        var reached: [String: Set<String>] = [:]
        for name in JobHarness.reportFiles where name.hasSuffix(".csv") {
            let rows = CSVReader.rows(String(decoding: run.files[name] ?? Data(), as: UTF8.self))
            let header = try #require(rows.first)
            for row in rows.dropFirst() {
                #expect(row.count == header.count, "\(name): a row has \(row.count) cells for \(header.count) columns: \(row)")
                for (column, cell) in zip(header, row) {
                    if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                        #expect(Self.isPlainNumber(cell), "\(name) \(column): \(cell.debugDescription) would be read as a formula")
                    }
                    if cell.hasPrefix("'") { reached[name, default: []].insert(column) }
                }
            }
        }
        print("CSV injection: defused cells per file and column: \(reached.mapValues { $0.sorted() })")
        for (name, columns) in Self.columnsReached {
            #expect(columns.subtracting(reached[name] ?? []).isEmpty, "\(name): no defused cell in \(columns.subtracting(reached[name] ?? []).sorted())")
        }
        // Quotes, commas and newlines inside a value survive the round trip exactly.
        let transactions = CSVReader.rows(String(decoding: run.files["transactions.csv"] ?? Data(), as: UTF8.self))
        #expect(transactions.contains { $0.contains("'+txn\r\n1") })
        #expect(transactions.contains { $0.contains("'@inv,1") })
        let payouts = CSVReader.rows(String(decoding: run.files["payouts.csv"] ?? Data(), as: UTF8.self))
        #expect(payouts.contains { $0.first == "'=HYPERLINK(\"http://evil\",\"po\")" })
        // A negative amount is a plain number a spreadsheet can add up.
        #expect(payouts.contains { $0.contains("-500") && $0.contains("-5.00") })
    }

    // MARK: TLS

    @Test func anUntrustedCertificateFailsWithAClearTLSErrorAndNoSwitchTurnsVerificationOff() async throws {
        let identity = SandboxTLSIdentity(certificatePEM: TestCertificates.loopbackCertificate, privateKeyPEM: TestCertificates.loopbackKey)
        let sandbox = try await JobHarness.start(try JobHarness.sampleDataset(), tls: identity)
        #expect(sandbox.baseURL.hasPrefix("https://127.0.0.1:"))
        let refusedOut = JobHarness.scratch("tls").appendingPathComponent("reports").path
        // Names a user might try; none of them is read, so verification stays on.
        let environment = JobHarness.credentialsEnvironment.merging([
            "AP_INSECURE": "1", "AP_TLS_VERIFY": "0", "AP_SSL_VERIFY": "false", "CURL_INSECURE": "1",
            "GIT_SSL_NO_VERIFY": "1", "NODE_TLS_REJECT_UNAUTHORIZED": "0", "PYTHONHTTPSVERIFY": "0",
        ]) { $1 }
        let refused = try await JobHarness.runBinary(JobHarness.window(sandbox.baseURL, out: refusedOut), environment: environment)

        let bundle = JobHarness.scratch("ca").path
        try Data(TestCertificates.loopbackCertificate.utf8).write(to: URL(fileURLWithPath: bundle))
        let trustedOut = JobHarness.scratch("tls").appendingPathComponent("reports").path
        let trusted = try await JobHarness.runBinary(JobHarness.window(sandbox.baseURL, out: trustedOut) + ["--ca-bundle", bundle])
        await sandbox.stop()

        #expect(refused.status == 69)
        #expect(refused.lastLine.hasPrefix("ap-reconcile: FAILED (exit 69): no report written: POST /oauth/token"))
        #expect(refused.lastLine.contains("tls (curl 60)"))
        #expect(refused.lastLine.contains("certificate"))
        #expect(refused.lastLine.contains("--ca-bundle"))
        #expect(!FileManager.default.fileExists(atPath: refusedOut))
        // The same server with its certificate trusted through --ca-bundle: the https mode works.
        #expect(trusted.status == 1, "\(trusted.lastLine)")
        #expect(JobHarness.listing(trustedOut) == JobHarness.reportFiles)
    }

    @Test func noFlagOrJobFileKeyCanDisableCertificateVerification() async throws {
        let help = try await JobHarness.runBinary(["--help"], environment: [:])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--ca-bundle"))
        let words = ["insecure", "no-verify", "noverify", "skip-verify", "verify-peer", "verify-host", "tls-verify", "ssl-verify", "unsafe"]
        for word in words { #expect(!help.stdout.lowercased().contains(word), "run --help offers \(word)") }
        for key in ["insecure", "tls_verify", "verify_tls", "ssl_verify", "verify_peer", "skip_tls_verify", "allow_insecure"] {
            do {
                _ = try JobFile.parse(Data("{\"\(key)\": true}".utf8), path: "job.json")
                Issue.record("the job file accepted \(key)")
            } catch {
                #expect(error.status == .configuration)
                #expect(error.message.contains("unknown setting(s) \(key)"))
            }
        }
        // The transport's configuration has no such property either …
        let labels = Mirror(reflecting: TransportConfiguration()).children.compactMap(\.label).map { $0.lowercased() }
        #expect(labels.contains("cabundlepath"))
        #expect(!labels.contains { $0.contains("verif") || $0.contains("insecure") })
        // … and the one place that sets libcurl's verification sets it on, unconditionally.
        let transfer = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/APTransport/CurlTransfer.swift"), encoding: .utf8)
        let settings = transfer.components(separatedBy: "\n").filter { $0.contains("CURLOPT_SSL_VERIFY") }
        #expect(settings.map { $0.trimmingCharacters(in: .whitespaces) } == [
            "try set(CURLOPT_SSL_VERIFYPEER, 1, \"CURLOPT_SSL_VERIFYPEER\")",
            "try set(CURLOPT_SSL_VERIFYHOST, 2, \"CURLOPT_SSL_VERIFYHOST\")",
        ])
        let sources = try FileManager.default.subpathsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Sources").path)
        for path in sources where path.hasSuffix(".swift") || path.hasSuffix(".h") {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/" + path), encoding: .utf8)
            if path != "APTransport/CurlTransfer.swift" { #expect(!text.contains("SSL_VERIFY"), "\(path) touches TLS verification") }
        }
    }

    // MARK: caps

    @Test func theBodySizeCapHoldsAgainstAnEndlessBody() async throws {
        // The job's default cap (64 MiB), against a reply that never ends.
        let run = try await JobHarness.pipeline(try JobHarness.sampleDataset(), script: { sandbox in
            sandbox.enqueue(.endlessBody, matching: "/payouts", count: 1)
        })
        #expect(run.outcome.status == .protocolFault)
        #expect(run.outcome.headline.contains("GET /payouts"))
        #expect(run.outcome.headline.contains("response body is larger than the cap of 67108864 bytes"))
        #expect(run.stats.faultsInjected["endless_body"] == 1)
        #expect(run.files.isEmpty)
    }

    @Test func thePageCapHoldsAgainstEndlessPages() async throws {
        let sandbox = try await JobHarness.start(try JobHarness.sampleDataset())
        sandbox.enqueue(.endlessPages, matching: "/payouts", count: 1_000)
        let transport = CurlTransport()
        let client = APIClient(
            configuration: try APIClientConfiguration(
                baseURL: sandbox.baseURL, credentials: ClientCredentials(clientID: JobHarness.clientID, clientSecret: JobHarness.secret),
                pageSize: 2, maxPages: 50),
            transport: transport, logger: Logger(label: "cap", factory: { _ in SwiftLogNoOpLogHandler() }))
        let error = await #expect(throws: APIError.self) { _ = try await client.payouts().collect() }
        transport.shutdown()
        let listed = sandbox.stats().requestsByRoute["GET /payouts"]
        await sandbox.stop()
        #expect(error?.kind == .protocolViolation)
        #expect(error?.description.contains("the listing goes on past 50 pages, the configured cap") == true)
        #expect(listed == 50)
    }

    // MARK: permissions

    @Test func reportsAre0600InA0700FolderWhateverTheUmask() async throws {
        let sandbox = try await JobHarness.start(try JobHarness.sampleDataset())
        let parent = JobHarness.scratch("perm")
        let out = parent.appendingPathComponent("nested/reports").path
        let result = try await JobHarness.runBinary(JobHarness.window(sandbox.baseURL, out: out),
                                                    prefix: ["/bin/sh", "-c", "umask 000 && exec \"$0\" \"$@\""])
        await sandbox.stop()
        #expect(result.status == 1, "\(result.lastLine)")
        func mode(_ path: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }
        #expect(mode(out) == 0o700)
        #expect(mode(parent.appendingPathComponent("nested").path) == 0o700)
        #expect(JobHarness.listing(out) == JobHarness.reportFiles)
        for name in JobHarness.listing(out) { #expect(mode(out + "/" + name) == 0o600, "\(name)") }
    }
}

import APClient
import APSandbox
import APTransport
import Foundation
import JobSettings
import Logging
import Operations
import Reconciliation
import RunPipeline

/// `ap-reconcile-demo`: the sandbox in-process on a loopback port with the sample data, and
/// the real pipeline (libcurl, OAuth, paging, reconcile, render, publish) against it.
public enum Demo {
    /// The sample data's window and clock: fixed, so the demo's reports are reproducible and
    /// match the expected reports committed under samples/reports/.
    public static let defaultSince = "2026-11-01"
    public static let defaultUntil = "2026-11-08"
    public static let defaultAsOf = "2026-11-08T06:00:00Z"
    /// The API address the demo's reports name. The sandbox's real address has a port that
    /// changes on every run; `.invalid` is a reserved name that can never reach a real host.
    public static let reportedBaseURL = "http://ap-sandbox.invalid"
    /// The sample data's camt.053 statements (samples/bank, written by the sandbox's statement
    /// generator for samples/api): its payouts credited, one never arriving, one less a wire
    /// fee, two as one credit, a provider credit of unknown origin, and balances that do not
    /// chain, so the demo's reports show the cash section.
    public static let defaultBankStatements = ["samples/bank/camt.053/statement-*.xml"]

    public struct Options: Sendable {
        public var dataset: String
        public var out: String
        public var since: String
        public var until: String
        public var asOf: String
        public var failOn: FailOn
        public var pageShape: PageShape
        public var expectedPaymentRequestsFile: String?
        /// Statement files or globs; empty: no bank matching.
        public var bankStatements: [String]

        public init(dataset: String = "samples/api", out: String = "demo-out", since: String = Demo.defaultSince,
                    until: String = Demo.defaultUntil, asOf: String = Demo.defaultAsOf, failOn: FailOn = .never,
                    pageShape: PageShape = .alternating, expectedPaymentRequestsFile: String? = nil,
                    bankStatements: [String] = Demo.defaultBankStatements) {
            self.dataset = dataset
            self.out = out
            self.since = since
            self.until = until
            self.asOf = asOf
            self.failOn = failOn
            self.pageShape = pageShape
            self.expectedPaymentRequestsFile = expectedPaymentRequestsFile
            self.bankStatements = bankStatements
        }
    }

    public struct Outcome: Sendable {
        public var run: RunOutcome
        public var baseURL: String
        /// The printable summary (payouts table, diagnostics, files), or the failure line.
        public var summary: String
    }

    public static func run(_ options: Options, logger: Logger) async -> Outcome {
        let asOf: Timestamp
        let window: ReportWindow
        let expected: [String]
        do {
            asOf = try WindowParser.instant(options.asOf, option: "--as-of")
            window = try WindowParser.window(since: options.since, until: options.until, now: asOf)
            expected = try options.expectedPaymentRequestsFile.map { path throws(SettingsError) in try loadExpectedPaymentRequests(path: path) } ?? []
        } catch {
            return Outcome(run: RunOutcome(status: error.status, headline: error.message, files: []), baseURL: "", summary: error.message + "\n")
        }

        let dataset: SandboxDataset
        do {
            dataset = try SandboxDataset.load(directory: URL(fileURLWithPath: options.dataset))
        } catch {
            let line = "cannot load the sample dataset: \(error) (run from the repository root, or pass --dataset DIR)"
            return Outcome(run: RunOutcome(status: .configuration, headline: line, files: []), baseURL: "", summary: line + "\n")
        }

        var bankFiles: [String] = []
        for pattern in options.bankStatements {
            let matches = FileGlob.disk(pattern)
            guard !matches.isEmpty else {
                let line = "the bank statement \(pattern) names no file (run from the repository root, or pass --bank-statement FILE)"
                return Outcome(run: RunOutcome(status: .configuration, headline: line, files: []), baseURL: "", summary: line + "\n")
            }
            bankFiles += matches
        }

        // Fresh credentials for this demo only: the sandbox and the job share them in memory.
        let credentials = ClientCredentials(clientID: "demo-client", clientSecret: "demo-" + UUID().uuidString)
        let sandbox: RunningSandbox
        do {
            sandbox = try await SandboxServer.start(
                configuration: SandboxConfiguration(clientID: credentials.clientID, clientSecret: credentials.clientSecret,
                                                    pageShape: options.pageShape, environment: [:]),
                dataset: dataset, logger: Logger(label: "ap-sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            let line = "cannot start the sandbox: \(error)"
            return Outcome(run: RunOutcome(status: .unavailable, headline: line, files: []), baseURL: "", summary: line + "\n")
        }

        var request = RunRequest(baseURL: reportedBaseURL, credentials: credentials, window: window, asOf: asOf,
                                 outputDirectory: options.out, failOn: options.failOn, expectedPaymentRequestIDs: expected,
                                 pageSize: 2) // small pages so the demo really follows cursors
        request.bank = bankFiles.isEmpty ? nil : BankSettings(files: bankFiles)
        // The transport the pipeline would build for itself, but sending to the sandbox's real port.
        let curl = Pipeline.makeTransport(for: request)
        let transport = FixedAddressTransport(stableBaseURL: reportedBaseURL, actualBaseURL: sandbox.baseURL, inner: curl)
        let outcome = await Pipeline.run(request, logger: logger, transport: transport)
        curl.shutdown()
        await sandbox.stop()

        var summary = "ap-reconcile-demo: sandbox on \(sandbox.baseURL) serving \(options.dataset)\n"
        if let result = outcome.result {
            summary += TerminalSummary.render(result, statistics: outcome.statistics, directory: options.out, files: outcome.files)
            if outcome.files.contains("report.html") {
                summary += "Open \(options.out)/report.html in a browser for the overview.\n"
            }
        }
        return Outcome(run: outcome, baseURL: sandbox.baseURL, summary: summary)
    }
}

import APClient
import ArgumentParser
import Foundation
import Logging
import ReconcileJob

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Fetch the payouts of a window, reconcile them and write the reports.",
        discussion: """
        The window is half-open [since, until) on payout created_at. T is RFC 3339 \
        (2026-11-03T00:00:00Z) or a date (its UTC midnight). Without --since/--until: the \
        previous UTC day. Flags override the job file (--config); the job file overrides the \
        environment.

        Exit codes:
        \(ExitStatus.helpTable)
        """
    )

    @Option(help: "API base URL (default: $AP_BASE_URL).")
    var baseURL: String?
    @Option(help: "Start of the window, inclusive (RFC 3339 or date).")
    var since: String?
    @Option(help: "End of the window, exclusive (RFC 3339 or date).")
    var until: String?
    @Option(help: "Output folder for the reports; created if missing, written atomically.")
    var out: String?
    @Option(help: "Lowest severity that makes a complete run exit 1: error, warning or never (default: error).")
    var failOn: FailOn?
    @Option(help: "Requests kept in flight at once (default: 8).")
    var concurrency: Int?
    @Option(help: "A JSON job file (see jobs/nightly.json).")
    var config: String?
    @Option(help: "Fix the run's clock (RFC 3339 or date): same API data + same --as-of → byte-identical reports.")
    var asOf: String?
    @Option(help: "A file of expected payment request ids, one per line.")
    var expectedPaymentRequests: String?
    @Option(help: "An extra CA bundle (PEM) to trust. TLS verification cannot be turned off.")
    var caBundle: String?
    @Option(help: "Attempts per request before giving up on 429/5xx/network failures (default: 6).")
    var maxAttempts: Int?
    @Option(help: "Seconds one request may spend retrying before the run fails with exit 69 (default: 120).")
    var retryBudget: Int?
    @Flag(help: "Save every API response of the run (secrets redacted) into snapshot/ beside the reports, for `ap-reconcile replay` (job file: \"record\": true; see docs/audit.md).")
    var record = false
    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logLevel)
        let request: RunRequest
        do {
            request = try resolve(environment: ProcessInfo.processInfo.environment, now: Timestamp(Date()))
        } catch {
            return try finish(RunOutcome(status: error.status, headline: error.message, files: []))
        }
        let outcome = await Pipeline.run(request, logger: logger)
        try finish(outcome)
    }

    /// Flags over job file over environment over defaults.
    func resolve(environment: [String: String], now: Timestamp) throws(SettingsError) -> RunRequest {
        let job = try config.map { path throws(SettingsError) in try JobFile.load(path: path) } ?? JobFile()
        guard let baseURL = baseURL ?? job.baseURL ?? environment["AP_BASE_URL"], !baseURL.isEmpty else {
            throw SettingsError(.configuration, "no API base URL: pass --base-url, set base_url in the job file, or set AP_BASE_URL")
        }
        guard let out = out ?? job.out else {
            throw SettingsError(.usage, "no output folder: pass --out DIR or set out in the job file")
        }
        let failOnText = failOn?.rawValue ?? job.failOn ?? FailOn.error.rawValue
        guard let failOn = FailOn(rawValue: failOnText) else {
            throw SettingsError(.configuration, "fail_on \"\(failOnText)\" must be error, warning or never")
        }
        let concurrency = self.concurrency ?? job.concurrency ?? 8
        guard (1...256).contains(concurrency) else {
            throw SettingsError(.usage, "concurrency \(concurrency) must be between 1 and 256")
        }
        let clock = try asOf.map { text throws(SettingsError) in try WindowParser.instant(text, option: "--as-of") } ?? now
        let window = try WindowParser.window(since: since ?? job.since, until: until ?? job.until, now: clock)
        let credentials = try CredentialSource.resolve(environment: environment, credentialsFile: job.credentialsFile)
        let expectedFile = expectedPaymentRequests ?? job.expectedPaymentRequestsFile
        let expected = try expectedFile.map { path throws(SettingsError) in try loadExpectedPaymentRequests(path: path) } ?? []
        let attempts = maxAttempts ?? job.maxAttempts ?? 6
        let budget = retryBudget ?? job.retryBudgetSeconds ?? 120
        guard (1...20).contains(attempts), (0...3600).contains(budget) else {
            throw SettingsError(.usage, "max attempts must be 1...20 and the retry budget 0...3600 seconds (got \(attempts), \(budget))")
        }
        var request = RunRequest(baseURL: baseURL, credentials: credentials, window: window, asOf: clock, outputDirectory: out,
                                 failOn: failOn, concurrency: concurrency, expectedPaymentRequestIDs: expected,
                                 caBundlePath: caBundle ?? job.caBundle,
                                 retryPolicy: RetryPolicy(maxAttempts: attempts, budget: .seconds(budget)))
        request.snapshot = record || job.record == true ? .record : .off
        return request
    }
}

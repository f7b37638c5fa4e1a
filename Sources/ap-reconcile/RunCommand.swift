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

        With --state DIR (job file: state) the run is incremental: without --since it starts at \
        the watermark minus --lookback-days and ends at --until or the start of the current UTC \
        day (the first run: the previous UTC day). --out is then a root: each run publishes into \
        OUT/<since>_<until>/ (UTC, colons left out, e.g. 2026-11-05T000000Z_2026-11-08T000000Z; a \
        rerun of the same window gets .2, .3…) and OUT/latest is a symlink to the newest complete \
        run. The watermark advances only after every file is published. Reports then also carry \
        new/open/resolved status per diagnostic and exceptions.csv (the open items). One run per \
        state folder: a second exits 75 naming the holder. A state.json that cannot be \
        understood stops the run with exit 78 (it is never reset); an unwritable state folder \
        exits 73. Without --state, --out is the exact folder of the reports. See \
        docs/operations.md.

        SIGINT and SIGTERM stop a run cleanly: nothing published, the lock released, exit 130 \
        (SIGINT) or 75 (SIGTERM), and the last line says STOPPED.

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
    @Option(help: "Output folder for the reports; created if missing, written atomically. With --state: the root of one folder per run plus `latest`.")
    var out: String?
    @Option(help: ArgumentHelp("State folder (created 0700): watermark, open items and the run lock (job file: state). Makes runs incremental and --out a root.", valueName: "dir"))
    var state: String?
    @Option(help: ArgumentHelp("With --state and no --since: start this many days before the watermark, to see late changes again (0-366; job file: lookback_days; default: 3).", valueName: "n"))
    var lookbackDays: Int?
    @Option(help: "Lowest severity that makes a complete run exit 1: error, warning or never (default: error).")
    var failOn: FailOn?
    @Option(help: "Requests kept in flight at once, 1-256 (job key concurrency; default: \(RunRequest.defaultConcurrency)). A PAID invoice listing longer than 8 pages is also split into up to this many parallel chains (docs/fetching.md).")
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
    @OptionGroup var operations: OperationsOptions

    func run() async throws {
        try await runWithOperations()
    }

    /// Flags over job file over environment over defaults. `account`: one of the job file's accounts.
    func resolve(environment: [String: String], now: Timestamp, account: Account? = nil) throws(SettingsError) -> RunRequest {
        let job = try config.map { path throws(SettingsError) in try JobFile.load(path: path) } ?? JobFile()
        guard let baseURL = baseURL ?? job.baseURL ?? environment["AP_BASE_URL"], !baseURL.isEmpty else {
            throw SettingsError(.configuration, "no API base URL: pass --base-url, set base_url in the job file, or set AP_BASE_URL")
        }
        guard let out = out ?? account?.out ?? job.out else {
            throw SettingsError(.usage, "no output folder: pass --out DIR or set out in the job file")
        }
        let failOnText = failOn?.rawValue ?? job.failOn ?? FailOn.error.rawValue
        guard let failOn = FailOn(rawValue: failOnText) else {
            throw SettingsError(.configuration, "fail_on \"\(failOnText)\" must be error, warning or never")
        }
        let concurrency = self.concurrency ?? job.concurrency ?? RunRequest.defaultConcurrency
        guard (1...256).contains(concurrency) else {
            throw SettingsError(.usage, "concurrency \(concurrency) must be between 1 and 256")
        }
        let clock = try asOf.map { text throws(SettingsError) in try WindowParser.instant(text, option: "--as-of") } ?? now
        let window = try WindowParser.window(since: since ?? job.since, until: until ?? job.until, now: clock)
        let credentials = if let account { try account.credentials(environment: environment) }
            else { try CredentialSource.resolve(environment: environment, credentialsFile: job.credentialsFile) }
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
        let lookback = lookbackDays ?? job.lookbackDays ?? StateSettings.defaultLookbackDays
        guard StateSettings.lookbackRange.contains(lookback) else {
            throw SettingsError(.usage, "lookback days \(lookback) must be between 0 and 366")
        }
        // Each account keeps its own watermark, open items and lock: its own `state`, or a folder
        // named after it under the shared one (account names are safe folder names).
        let shared = (state ?? job.state).map { base in account.map { "\(base)/\($0.name)" } ?? base }
        if let directory = account?.state ?? shared, !directory.isEmpty {
            request.state = StateSettings(directory: directory, lookbackDays: lookback, explicitSince: (since ?? job.since) != nil)
        } else if lookbackDays != nil || job.lookbackDays != nil {
            throw SettingsError(.usage, "--lookback-days (lookback_days) needs --state (state): without state there is no watermark to look back from")
        }
        request.snapshot = record || job.record == true ? .record : .off
        return request
    }
}

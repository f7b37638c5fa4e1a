import APClient
import ArgumentParser
import APModels
import Foundation
import JobSettings
import Logging
import Operations
import Reconciliation
import RunPipeline

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Fetch the payouts of a window, reconcile them and write the reports.",
        discussion: """
        The window is half-open [since, until) on payout created_at. T is RFC 3339 \
        (2026-11-03T00:00:00Z) or a date (its UTC midnight). Without --since/--until: the \
        previous UTC day. Flags override the job file (--config); the job file overrides the \
        environment (AP_BASE_URL). Credentials never come from flags or the job file itself: \
        AP_CLIENT_ID with AP_CLIENT_SECRET or AP_CLIENT_SECRET_FILE win over a credentials file \
        (the job file's credentials_file, else AP_CREDENTIALS_FILE).

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
    @Option(help: "A CA bundle (PEM) to verify the API with, used instead of libcurl's default bundle: include every CA the job needs (job key ca_bundle). TLS verification cannot be turned off.")
    var caBundle: String?
    @Option(help: "Attempts per request before giving up on 429/5xx/network failures (job key max_attempts; default: \(RetryPolicy.defaultMaxAttempts)).")
    var maxAttempts: Int?
    @Option(help: "Seconds one request may spend retrying before the run fails with exit 69 (job key retry_budget_seconds; default: \(RetryPolicy.defaultBudgetSeconds)).")
    var retryBudget: Int?
    @Flag(help: "Save every API response of the run (secrets redacted) into snapshot/ beside the reports, for `ap-reconcile replay` (job file: \"record\": true; see docs/audit.md).")
    var record = false
    @Option(help: ArgumentHelp("An acknowledgements file (job key acknowledgements, per account too): acknowledged diagnostics stay in the reports but do not count toward --fail-on or the exit code (docs/acknowledgements.md).", valueName: "path"))
    var acknowledgements: String?
    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info
    @OptionGroup var operations: OperationsOptions

    func run() async throws {
        disableCoreDumps()
        try await runWithOperations()
    }

    /// The flags as given, for `SettingsResolver`.
    var flags: RunFlags {
        var flags = RunFlags()
        flags.baseURL = baseURL
        flags.since = since
        flags.until = until
        flags.out = out
        flags.state = state
        flags.lookbackDays = lookbackDays
        flags.failOn = failOn
        flags.concurrency = concurrency
        flags.config = config
        flags.asOf = asOf
        flags.expectedPaymentRequests = expectedPaymentRequests
        flags.caBundle = caBundle
        flags.maxAttempts = maxAttempts
        flags.retryBudget = retryBudget
        flags.record = record
        flags.notify = operations.notify
        flags.notifyRequired = operations.notifyRequired
        flags.metricsFile = operations.metricsFile
        flags.logFormat = operations.logFormat
        flags.account = operations.account
        flags.accountIndex = operations.accountIndex
        flags.acknowledgements = acknowledgements
        return flags
    }
}

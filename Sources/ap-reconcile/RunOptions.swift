import APClient
import ArgumentParser
import JobSettings
import Logging
import Reconciliation

/// The settings `run` takes, shared with `check` (which validates exactly what a run would use):
/// one declaration of each flag and its help.
struct RunOptions: ParsableArguments {
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
    @Option(name: .customLong("bank-statement"), help: ArgumentHelp("A bank statement (camt.053, camt.054, BAI2, MT940, or CSV with the job file's bank_csv mapping) to match the payouts against; a glob is expanded. Repeatable; replaces the job key bank_statements. A path that names no file exits 78 (docs/bank.md).", valueName: "file"))
    var bankStatements: [String] = []
    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info
    @Option(help: ArgumentHelp("After the run, push its metrics (those of --metrics-file) to the Prometheus Pushgateway at URL, grouped as job ap-reconcile (and account NAME) (job key metrics_push_url). A failed push is logged and changes no exit code.", valueName: "url"))
    var metricsPush: String?
    @OptionGroup var operations: OperationsOptions


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
        flags.acknowledgements = acknowledgements
        flags.bankStatements = bankStatements
        flags.notify = operations.notify
        flags.notifyRequired = operations.notifyRequired
        flags.metricsFile = operations.metricsFile
        flags.metricsPush = metricsPush
        flags.logFormat = operations.logFormat
        flags.account = operations.account
        flags.accountIndex = operations.accountIndex
        return flags
    }
}

import AcknowledgementFiles
import APClient
import APModels
import Foundation
import JobConfig
import Reconciliation

/// Everything outside the command line that settings are read from.
public struct SettingsSources: Sendable {
    public var environment: [String: String]
    /// The clock of an invocation without `--as-of`.
    public var now: Timestamp
    public var readFile: FileReader
    /// Expands the bank statements' paths and globs.
    public var glob: FileGlob

    public init(environment: [String: String], now: Timestamp, readFile: FileReader = FileReader.disk, glob: FileGlob = FileGlob.disk) {
        self.environment = environment
        self.now = now
        self.readFile = readFile
        self.glob = glob
    }
}

/// The validated settings of one invocation of `run`: every planned run, resolved before any starts.
public struct InvocationSettings: Sendable {
    public var plan: [PlannedRun]
    public var logFormat: LogFormat
    public var metricsFile: String?
    /// The webhook signing secret, present exactly when some run notifies. Never echoed.
    public var webhookSecret: String?
    /// A Prometheus Pushgateway to push the runs' metrics to (`MetricsPush`).
    public var metricsPush: String? = nil
    /// `--dry-run`: fetch and reconcile only.
    public var dryRun = false
}

/// Flags + job file + environment + the files they name → one validated `InvocationSettings`,
/// or a `SettingsError` carrying its exit code (64 usage, 78 configuration). Pure apart from
/// `sources.readFile`, so every rule below is tested without a process or a disk.
///
/// Precedence, the same for every setting: a flag, else the job file (an account's own key
/// before the job-wide one), else the environment where one exists (`AP_BASE_URL`,
/// `AP_RECON_NOTIFY_URL` / `AP_RECON_NOTIFY_URL_FILE`), else the
/// default. Credentials are the exception, on purpose: they never come from flags or the job
/// file itself. `AP_CLIENT_ID` / `AP_CLIENT_SECRET` / `AP_CLIENT_SECRET_FILE` win over a
/// credentials file (named by the job file's `credentials_file`, else `AP_CREDENTIALS_FILE`):
/// the environment is how schedulers inject secrets. An account reads only the variables and
/// file it names, never the job-wide ones.
public enum SettingsResolver {
    public static func resolve(_ flags: RunFlags, sources: SettingsSources) throws(SettingsError) -> InvocationSettings {
        let job = try jobFile(flags, sources: sources)
        let formatText = flags.logFormat?.rawValue ?? job.logFormat ?? LogFormat.text.rawValue
        guard let logFormat = LogFormat(rawValue: formatText) else {
            throw SettingsError(.configuration, "log_format \"\(formatText)\" must be text or json")
        }
        let plan = try plan(flags, job: job, sources: sources)
        let secret = plan.contains { $0.notify != nil }
            ? try WebhookSecret.resolve(environment: sources.environment, readFile: sources.readFile) : nil
        var settings = InvocationSettings(plan: plan, logFormat: logFormat, metricsFile: flags.metricsFile ?? job.metricsFile,
                                          webhookSecret: secret)
        if let push = flags.metricsPush ?? job.metricsPushURL {
            settings.metricsPush = try metricsPushURL(push, what: flags.metricsPush != nil ? "--metrics-push" : "metrics_push_url")
        }
        if flags.dryRun, plan.contains(where: { $0.request.snapshot == .record }) {
            throw SettingsError(.usage, "--dry-run publishes nothing, so it cannot record a snapshot: drop --record (or the job file's \"record\": true) for the dry run")
        }
        settings.dryRun = flags.dryRun
        return settings
    }

    /// A Pushgateway's base URL: absolute http or https, without query or fragment. Plain http
    /// is accepted to any host, unlike the API and the webhook: the metrics carry no secret, and
    /// a Pushgateway inside a cluster is usually reached over plain http.
    static func metricsPushURL(_ text: String, what: String) throws(SettingsError) -> String {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil, url.password == nil else {
            throw SettingsError(.configuration, "\(what) must be the Pushgateway's base URL, absolute http or https without user, query or fragment (e.g. http://pushgateway:9091; got \"\(NotifySettings.redacted(text))\")")
        }
        return text
    }

    /// The log format to report a settings error in: the flag, else the job file's when it can
    /// be read and names a known format, else text.
    public static func logFormat(forErrorsOf flags: RunFlags, sources: SettingsSources) -> LogFormat {
        if let format = flags.logFormat { return format }
        guard let job = try? jobFile(flags, sources: sources) else { return .text }
        return job.logFormat.flatMap(LogFormat.init(rawValue:)) ?? .text
    }

    /// The job file `--config` names, or an empty one.
    public static func jobFile(_ flags: RunFlags, sources: SettingsSources) throws(SettingsError) -> JobFile {
        try flags.config.map { path throws(SettingsError) in try JobFile.load(path: path, readFile: sources.readFile) } ?? JobFile()
    }

    /// One planned run per selected account (one run without accounts).
    public static func plan(_ flags: RunFlags, job: JobFile, sources: SettingsSources) throws(SettingsError) -> [PlannedRun] {
        let selected = try Account.select(job.accounts ?? [], name: flags.account, index: flags.accountIndex)
        if selected.count > 1, flags.out != nil {
            throw SettingsError(.usage, "--out cannot be used when several accounts run: each account has its own out in the job file (or pick one with --account)")
        }
        let accounts: [Account?] = selected.isEmpty ? [nil] : selected
        var plan: [PlannedRun] = []
        for account in accounts {
            let request = try request(flags, job: job, account: account, sources: sources)
            var notify: NotifySettings?
            if let (url, what) = try notifyURL(flags, job: job, account: account, sources: sources) {
                try NotifySettings.validate(url: url, what: what)
                notify = NotifySettings(url: url, required: flags.notifyRequired || (account?.notifyRequired ?? job.notifyRequired ?? false))
            }
            plan.append(PlannedRun(account: account, request: request, notify: notify))
        }
        return plan
    }

    /// The webhook URL of one run and where it came from (for errors): `--notify`, else the
    /// account's `notify_url` / `notify_url_file`, else the job's, else `AP_RECON_NOTIFY_URL`,
    /// else the file `AP_RECON_NOTIFY_URL_FILE` names; nil when none is set. A URL and a file at
    /// the same level are refused: which one wins would be a guess.
    static func notifyURL(_ flags: RunFlags, job: JobFile, account: Account?,
                          sources: SettingsSources) throws(SettingsError) -> (url: String, what: String)? {
        if let url = flags.notify { return (url, "--notify") }
        let levels: [(url: String?, file: String?, prefix: String)] = [
            (account?.notifyURL, account?.notifyURLFile, account.map { "account \($0.name): " } ?? ""),
            (job.notifyURL, job.notifyURLFile, ""),
        ]
        for level in levels {
            if level.url != nil, level.file != nil {
                throw SettingsError(.configuration, "\(level.prefix)notify_url and notify_url_file are both set; keep one")
            }
            if let url = level.url { return (url, level.prefix + "notify_url") }
            if let file = level.file {
                let what = level.prefix + "notify_url_file"
                return (try NotifySettings.readURL(path: file, what: what, readFile: sources.readFile), what + " " + file)
            }
        }
        if let url = sources.environment[NotifySettings.variable], !url.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return (url, NotifySettings.variable)
        }
        if let path = sources.environment[NotifySettings.fileVariable], !path.isEmpty {
            let what = NotifySettings.fileVariable
            return (try NotifySettings.readURL(path: path, what: what, readFile: sources.readFile), what + " " + path)
        }
        return nil
    }

    /// The request of one run: `account` is one of the job file's accounts, nil without accounts.
    public static func request(_ flags: RunFlags, job: JobFile, account: Account? = nil,
                               sources: SettingsSources) throws(SettingsError) -> RunRequest {
        let environment = sources.environment
        guard let baseURL = flags.baseURL ?? job.baseURL ?? environment["AP_BASE_URL"], !baseURL.isEmpty else {
            throw SettingsError(.configuration, "no API base URL: pass --base-url, set base_url in the job file, or set AP_BASE_URL")
        }
        guard let out = flags.out ?? account?.out ?? job.out else {
            throw SettingsError(.usage, "no output folder: pass --out DIR or set out in the job file")
        }
        let failOnText = flags.failOn?.rawValue ?? job.failOn ?? FailOn.error.rawValue
        guard let failOn = FailOn(rawValue: failOnText) else {
            throw SettingsError(.configuration, "fail_on \"\(failOnText)\" must be error, warning or never")
        }
        let concurrency = flags.concurrency ?? job.concurrency ?? RunRequest.defaultConcurrency
        guard RunRequest.concurrencyRange.contains(concurrency) else {
            throw SettingsError(.usage, "concurrency \(concurrency) must be between 1 and 256")
        }
        let clock = try flags.asOf.map { text throws(SettingsError) in try WindowParser.instant(text, option: "--as-of") } ?? sources.now
        let window = try WindowParser.window(since: flags.since ?? job.since, until: flags.until ?? job.until, now: clock)
        let credentials = if let account { try account.credentials(environment: environment, readFile: sources.readFile) }
            else { try CredentialSource.resolve(environment: environment, credentialsFile: job.credentialsFile, readFile: sources.readFile) }
        let expectedFile = flags.expectedPaymentRequests ?? job.expectedPaymentRequestsFile
        let expected = try expectedFile.map { path throws(SettingsError) in
            try loadExpectedPaymentRequests(path: path, readFile: sources.readFile)
        } ?? []
        let attempts = flags.maxAttempts ?? job.maxAttempts ?? RetryPolicy.defaultMaxAttempts
        let budget = flags.retryBudget ?? job.retryBudgetSeconds ?? RetryPolicy.defaultBudgetSeconds
        guard (1...20).contains(attempts), (0...3600).contains(budget) else {
            throw SettingsError(.usage, "max attempts must be 1...20 and the retry budget 0...3600 seconds (got \(attempts), \(budget))")
        }
        var request = RunRequest(baseURL: baseURL, credentials: credentials, window: window, asOf: clock, outputDirectory: out,
                                 failOn: failOn, concurrency: concurrency, expectedPaymentRequestIDs: expected,
                                 caBundlePath: flags.caBundle ?? job.caBundle,
                                 retryPolicy: RetryPolicy(maxAttempts: attempts, budget: .seconds(budget)))
        let lookback = flags.lookbackDays ?? job.lookbackDays ?? StateSettings.defaultLookbackDays
        guard StateSettings.lookbackRange.contains(lookback) else {
            throw SettingsError(.usage, "lookback days \(lookback) must be between 0 and 366")
        }
        // Each account keeps its own watermark, open items and lock: its own `state`, or a folder
        // named after it under the shared one (account names are safe folder names).
        let shared = (flags.state ?? job.state).map { base in account.map { "\(base)/\($0.name)" } ?? base }
        if let directory = account?.state ?? shared, !directory.isEmpty {
            request.state = StateSettings(directory: directory, lookbackDays: lookback, explicitSince: (flags.since ?? job.since) != nil)
        } else if flags.lookbackDays != nil || job.lookbackDays != nil {
            throw SettingsError(.usage, "--lookback-days (lookback_days) needs --state (state): without state there is no watermark to look back from")
        }
        request.snapshot = flags.record || job.record == true ? .record : .off
        if let text = environment[InvoiceFetchMode.environmentVariable], !text.isEmpty {
            guard let mode = InvoiceFetchMode(rawValue: text) else {
                throw SettingsError(.usage, "\(InvoiceFetchMode.environmentVariable)=\(text.prefix(20)) is not adaptive or by-id")
            }
            request.invoiceFetch = mode
        }
        if let path = flags.acknowledgements ?? account?.acknowledgements ?? job.acknowledgements {
            do throws(AcknowledgementFileError) {
                request.acknowledgements = try LoadedAcknowledgements.load(path: path, readFile: { sources.readFile($0) })
            } catch {
                throw SettingsError(.configuration, error.description)
            }
        }
        request.bank = try bank(flags, job: job, account: account, sources: sources)
        return request
    }
}

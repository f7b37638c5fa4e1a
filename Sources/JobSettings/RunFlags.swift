import Reconciliation

/// What `ap-reconcile run`'s flags said; nil (or false) for a flag not given. The command line
/// only parses these; `SettingsResolver` decides everything else.
public struct RunFlags: Sendable, Equatable {
    public var baseURL: String?
    public var since: String?
    public var until: String?
    public var out: String?
    public var state: String?
    public var lookbackDays: Int?
    public var failOn: FailOn?
    public var concurrency: Int?
    /// `--config`: the job file's path.
    public var config: String?
    public var asOf: String?
    public var expectedPaymentRequests: String?
    public var caBundle: String?
    public var maxAttempts: Int?
    public var retryBudget: Int?
    public var record = false
    public var notify: String?
    public var notifyRequired = false
    public var metricsFile: String?
    /// `--metrics-push`: a Prometheus Pushgateway's base URL.
    public var metricsPush: String?
    /// `--dry-run`: fetch and reconcile, publish nothing, change no state.
    public var dryRun = false
    public var logFormat: LogFormat?
    public var account: String?
    public var accountIndex: Int?
    /// `--acknowledgements`: the acknowledgements file.
    public var acknowledgements: String?
    /// `--bank-statement` (repeatable): statement files or globs.
    public var bankStatements: [String] = []

    public init() {}
}

import AcknowledgementFiles
import APClient
import APModels
import Reconciliation

/// Everything one run needs, already resolved from flags, job file and environment.
public struct RunRequest: Sendable {
    public var baseURL: String
    public var credentials: ClientCredentials
    public var window: ReportWindow
    /// The run's clock: stamped into the reports. Same API data + same asOf → same bytes.
    public var asOf: Timestamp
    public var outputDirectory: String
    public var failOn: FailOn
    public var concurrency: Int
    public var expectedPaymentRequestIDs: [String]
    public var caBundlePath: String?
    public var retryPolicy: RetryPolicy
    /// Records per page asked of list endpoints (`limit`).
    public var pageSize: Int
    /// `--state`: watermark, lock and open items (StatefulRun); `outputDirectory` is then a root. nil: a run without state.
    public var state: StateSettings? = nil
    /// `--record` (snapshot/ beside the reports) or a replay of a snapshot; off by default.
    public var snapshot: SnapshotMode = .off
    /// `--acknowledgements` (job key `acknowledgements`): the file as read, and what it says.
    public var acknowledgements: LoadedAcknowledgements? = nil
    /// How linked invoices outside the window's PAID listing are fetched; `by-id` only from the
    /// hidden `AP_RECONCILE_INVOICE_FETCH` (ap-bench's reference, docs/fetching.md).
    public var invoiceFetch: InvoiceFetchMode = .adaptive
    /// `--bank-statement` (job keys `bank_statements`, `bank_settlement_days`, `bank_provider_names`,
    /// `bank_csv`): the statements to match the payouts against; nil without statements.
    public var bank: BankSettings? = nil

    /// Requests kept in flight when neither the command line nor the job file says: chosen from
    /// ap-bench's sweep (docs/performance.md § The default concurrency).
    public static let defaultConcurrency = 16
    /// What `--concurrency` accepts.
    public static let concurrencyRange = 1...256

    public init(baseURL: String, credentials: ClientCredentials, window: ReportWindow, asOf: Timestamp,
                outputDirectory: String, failOn: FailOn = .error, concurrency: Int = RunRequest.defaultConcurrency,
                expectedPaymentRequestIDs: [String] = [], caBundlePath: String? = nil,
                retryPolicy: RetryPolicy = RetryPolicy(), pageSize: Int = 100) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.window = window
        self.asOf = asOf
        self.outputDirectory = outputDirectory
        self.failOn = failOn
        self.concurrency = concurrency
        self.expectedPaymentRequestIDs = expectedPaymentRequestIDs
        self.caBundlePath = caBundlePath
        self.retryPolicy = retryPolicy
        self.pageSize = pageSize
    }
}

/// How the fetch stage gets linked invoices the window's PAID listing did not contain
/// (`InvoiceFetchPlan` in RunPipeline decides the adaptive plan's requests).
public enum InvoiceFetchMode: String, Sendable, Hashable, CaseIterable {
    /// Sample by id, list the dense `created_at` slices, fetch the rest by id.
    case adaptive
    /// One `GET /invoices/{id}` per id: the reference the adaptive plan is measured against.
    case byID = "by-id"

    /// The environment variable that picks the mode; not a flag, since only benchmarks and
    /// tests need the one-by-one reference.
    public static let environmentVariable = "AP_RECONCILE_INVOICE_FETCH"
}

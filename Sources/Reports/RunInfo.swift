import APModels
import Reconciliation

/// Everything about a run that is not the reconciliation itself: what report.json's `run`
/// object says. Never holds a credential: `baseURL` is the API's address only.
public struct RunInfo: Sendable {
    public var toolVersion: String
    /// API base URL as configured (never credentials).
    public var baseURL: String
    public var window: ReportWindow
    /// The run's clock: `--as-of`, or the time the run started. The only time the reports
    /// carry that does not come from the API, so a fixed `--as-of` gives identical bytes.
    public var asOf: Timestamp
    /// Requests sent, by endpoint ("GET /payouts" → 3).
    public var requestsByEndpoint: [String: Int]
    /// Retries (requests sent again after a failure), by endpoint.
    public var retriesByEndpoint: [String: Int]
    /// `--fail-on`.
    public var failOn: FailOn
    /// Compared with the previous run of the same state (`--state`); nil for a run without state,
    /// whose reports then carry no new/open/resolved columns.
    public var openItems: OpenItems?
    /// Lowercase hex SHA-256 of the API snapshot's index (`snapshot/index.json`) the reports were
    /// built from: recorded by `--record`, or replayed by `ap-reconcile replay`. nil otherwise,
    /// and then manifest.json says nothing about a snapshot.
    public var snapshotDigest: String?
    /// The run's diagnostics matched against its acknowledgements file (`--acknowledgements`);
    /// `.none` without one, and then the reports carry no acknowledgement columns.
    public var acknowledgements: AcknowledgementReview = .none
    /// Lowercase hex SHA-256 of the acknowledgements file the run read; nil without one.
    public var acknowledgementsDigest: String?

    public init(toolVersion: String, baseURL: String, window: ReportWindow, asOf: Timestamp,
                requestsByEndpoint: [String: Int] = [:], retriesByEndpoint: [String: Int] = [:],
                failOn: FailOn = .error, openItems: OpenItems? = nil, snapshotDigest: String? = nil) {
        self.toolVersion = toolVersion
        self.baseURL = baseURL
        self.window = window
        self.asOf = asOf
        self.requestsByEndpoint = requestsByEndpoint
        self.retriesByEndpoint = retriesByEndpoint
        self.failOn = failOn
        self.openItems = openItems
        self.snapshotDigest = snapshotDigest
    }
}

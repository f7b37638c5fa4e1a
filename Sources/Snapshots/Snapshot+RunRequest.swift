import APModels
import JobSettings
import Publishing
import Reconciliation

extension Snapshot {
    /// The snapshot of a recorded run of `request`; `previousOpenItems` as RunHooks holds it (nil: a run without state).
    public static func build(_ exchanges: [RawExchange], for request: RunRequest, toolVersion: String,
                      previousOpenItems: [OpenItem]?, bankFiles: [RecordedBankFile] = []) -> Snapshot {
        build(exchanges, run: SnapshotParameters(request), toolVersion: toolVersion,
              secrets: SnapshotRedaction.credentialSecrets(clientID: request.credentials.clientID,
                                                           clientSecret: request.credentials.clientSecret),
              previousOpenItems: previousOpenItems, acknowledgements: request.acknowledgements?.bytes,
              bank: request.bank.map { ($0, bankFiles) })
    }
}

extension SnapshotParameters {
    public init(_ request: RunRequest) {
        self.init(baseURL: request.baseURL, since: request.window.since.rfc3339, until: request.window.until.rfc3339,
                  asOf: request.asOf.rfc3339, pageSize: request.pageSize, failOn: request.failOn.rawValue,
                  expectedPaymentRequestIDs: request.expectedPaymentRequestIDs,
                  maxAttempts: request.retryPolicy.maxAttempts, concurrency: request.concurrency)
        // Absent for the default: only a run that chose another plan says so.
        invoiceFetch = request.invoiceFetch == .adaptive ? nil : request.invoiceFetch.rawValue
    }
}

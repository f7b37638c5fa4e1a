import APModels
import Foundation
import Reconciliation

/// Whether a run records its API traffic, or is itself a replay of a recorded run.
public enum SnapshotMode: Sendable, Equatable {
    case off
    /// `--record`: every attempt goes into `snapshot/` beside the reports, named by manifest.json.
    case record
    /// `ap-reconcile replay`: manifest.json names the snapshot (its index's SHA-256) the reports were rebuilt from.
    case replayed(digest: String)

    var replayedDigest: String? {
        if case .replayed(let digest) = self { return digest }
        return nil
    }
}

extension Snapshot {
    /// The snapshot of a recorded run of `request`; `previousOpenItems` as RunHooks holds it (nil: a run without state).
    static func build(_ exchanges: [RawExchange], for request: RunRequest, toolVersion: String,
                      previousOpenItems: [OpenItem]?) -> Snapshot {
        build(exchanges, run: SnapshotParameters(request), toolVersion: toolVersion,
              secrets: SnapshotRedaction.credentialSecrets(clientID: request.credentials.clientID,
                                                           clientSecret: request.credentials.clientSecret),
              previousOpenItems: previousOpenItems)
    }
}

extension SnapshotParameters {
    init(_ request: RunRequest) {
        self.init(baseURL: request.baseURL, since: request.window.since.rfc3339, until: request.window.until.rfc3339,
                  asOf: request.asOf.rfc3339, pageSize: request.pageSize, failOn: request.failOn.rawValue,
                  expectedPaymentRequestIDs: request.expectedPaymentRequestIDs,
                  maxAttempts: request.retryPolicy.maxAttempts, concurrency: request.concurrency)
    }
}

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

    /// The digest of the snapshot a replay was built from; nil for other runs.
    public var replayedDigest: String? {
        if case .replayed(let digest) = self { return digest }
        return nil
    }
}

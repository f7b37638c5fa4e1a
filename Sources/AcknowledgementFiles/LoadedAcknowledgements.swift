import Foundation
import Reconciliation

/// An acknowledgements file as a run read it: its bytes (for the manifest's SHA-256 and the
/// recorded snapshot, so a replay reads the very same file) and what they say.
public struct LoadedAcknowledgements: Sendable, Hashable {
    public var path: String
    public var bytes: [UInt8]
    public var acknowledgements: Acknowledgements

    public init(path: String, bytes: [UInt8], acknowledgements: Acknowledgements) {
        self.path = path
        self.bytes = bytes
        self.acknowledgements = acknowledgements
    }

    /// Reads and parses `path` through `readFile` (the disk in the job, a dictionary in tests).
    public static func load(path: String, readFile: (String) -> Data?) throws(AcknowledgementFileError) -> LoadedAcknowledgements {
        guard let data = readFile(path) else {
            throw AcknowledgementFileError("cannot read acknowledgements file \(path); check --acknowledgements (job key acknowledgements)")
        }
        return LoadedAcknowledgements(path: path, bytes: Array(data), acknowledgements: try AcknowledgementFile.parse(data, path: path))
    }
}

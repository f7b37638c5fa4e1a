import Foundation
import JobSettings
import Publishing
import Reconciliation
import Reports

/// Why a snapshot was refused. Always names the snapshot folder and the file at fault.
public struct SnapshotError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { "snapshot \(path) refused: \(problem)" }
}

/// A snapshot read back from disk after every digest was checked.
public struct VerifiedSnapshot: Sendable {
    public var folder: String
    public var index: SnapshotIndex
    /// SHA-256 of index.json as read.
    public var digest: String
    /// Body bytes by file name.
    public var bodies: [String: [UInt8]]
    /// A recorded run with state: the open items it compared against (checked against its
    /// digest like every body). nil: the run had no state.
    public var previousOpenItems: [OpenItem]? = nil
    /// The acknowledgements file the recorded run read, as it read it (checked against its digest).
    public var acknowledgements: [UInt8]? = nil
    /// The statement files the recorded run read, as it read them (each checked against its digest).
    public var bankFiles: [RecordedBankFile] = []
}

/// Reads a snapshot folder and refuses it unless it is exactly what its index says: no file
/// missing, none extra, every SHA-256 and size as listed, and — when manifest.json lies beside
/// the snapshot or the caller knows the digest — the index itself as the manifest names it.
public enum SnapshotReader {
    public static func load(_ folder: String, expectedDigest: String? = nil) throws(SnapshotError) -> VerifiedSnapshot {
        let folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        func refuse(_ problem: String) -> SnapshotError { SnapshotError(path: folder, problem: problem) }

        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw refuse("no such folder; pass the snapshot folder (the run's output folder/snapshot)")
        }
        let indexPath = folder + "/" + SnapshotIndex.fileName
        guard let indexData = FileManager.default.contents(atPath: indexPath) else {
            throw refuse("\(SnapshotIndex.fileName) is missing or unreadable; pass the snapshot folder (the run's output folder/snapshot)")
        }
        let digest = Manifest.sha256Hex(Array(indexData))
        if let expectedDigest, expectedDigest.lowercased() != digest {
            throw refuse("\(SnapshotIndex.fileName) has SHA-256 \(digest), not the expected \(expectedDigest.lowercased()): it was changed after it was recorded")
        }
        if let named = try manifestDigest(besides: folder) , named != digest {
            throw refuse("\(SnapshotIndex.fileName) has SHA-256 \(digest) but manifest.json beside it names \(named): the index was changed after it was recorded")
        }

        let index: SnapshotIndex
        do {
            index = try JSONDecoder().decode(SnapshotIndex.self, from: indexData)
        } catch {
            throw refuse("\(SnapshotIndex.fileName) is not a snapshot index: \(describe(error))")
        }
        guard index.format == SnapshotIndex.formatName else {
            throw refuse("\(SnapshotIndex.fileName) is not an \(SnapshotIndex.formatName) index (format \"\(index.format.prefix(40))\")")
        }
        guard SnapshotIndex.readableFormatVersions.contains(index.formatVersion) else {
            throw refuse("format version \(index.formatVersion) is not supported (this ap-reconcile reads versions \(SnapshotIndex.readableFormatVersions.lowerBound) to \(SnapshotIndex.readableFormatVersions.upperBound)); use the ap-reconcile version that recorded it, \(index.toolVersion)")
        }

        // The files the index lists, each once, with a plain name.
        var listed: [String: RecordedExchange] = [:]
        var keys = Set<String>()
        for exchange in index.exchanges {
            guard keys.insert(exchange.key + "#\(exchange.occurrence)").inserted else {
                throw refuse("\(SnapshotIndex.fileName) lists \(exchange.key) occurrence \(exchange.occurrence) twice")
            }
            guard (exchange.status == nil) != (exchange.transportError == nil) else {
                throw refuse("\(SnapshotIndex.fileName): \(exchange.key) occurrence \(exchange.occurrence) must have either a status or a transport error")
            }
            guard exchange.status != nil else { continue }
            guard let file = exchange.file, exchange.sha256 != nil, exchange.bytes != nil else {
                throw refuse("\(SnapshotIndex.fileName): \(exchange.key) occurrence \(exchange.occurrence) has a status but no file, sha256 or bytes")
            }
            guard Publisher.isSafeName(file), file != SnapshotIndex.fileName else {
                throw refuse("\(SnapshotIndex.fileName) names a body file \"\(file.prefix(60))\" that is not a plain file name")
            }
            guard listed.updateValue(exchange, forKey: file) == nil else {
                throw refuse("\(SnapshotIndex.fileName) names \(file) for two responses")
            }
        }

        // A run with state: the open items it compared against, a file of its own.
        let previousEntry = index.previousOpenItems
        guard (index.run.withState == true) == (previousEntry != nil) else {
            throw refuse(previousEntry == nil
                ? "\(SnapshotIndex.fileName) says the run had state but names no previous_open_items file: the snapshot is incomplete"
                : "\(SnapshotIndex.fileName) names a previous_open_items file but does not say the run had state (with_state)")
        }
        var allowed: Set<String> = [SnapshotIndex.fileName]
        if let previousEntry {
            guard previousEntry.file == PreviousOpenItemsFile.fileName else {
                throw refuse("\(SnapshotIndex.fileName) names previous_open_items file \"\(previousEntry.file.prefix(60))\", not \(PreviousOpenItemsFile.fileName)")
            }
            guard listed[previousEntry.file] == nil else {
                throw refuse("\(SnapshotIndex.fileName) names \(previousEntry.file) both for a response and for the previous open items")
            }
            allowed.insert(previousEntry.file)
        }
        if let entry = index.acknowledgements {
            guard entry.file == SnapshotIndex.acknowledgementsFileName, listed[entry.file] == nil, entry.file != previousEntry?.file else {
                throw refuse("\(SnapshotIndex.fileName) names acknowledgements file \"\(entry.file.prefix(60))\", not \(SnapshotIndex.acknowledgementsFileName) (or names it twice)")
            }
            allowed.insert(entry.file)
        }
        for statement in index.bank?.statements ?? [] {
            guard let file = statement.file else { continue }
            guard Publisher.isSafeName(file), file.hasPrefix("bank-"), listed[file] == nil, allowed.insert(file).inserted else {
                throw refuse("\(SnapshotIndex.fileName) names bank statement file \"\(file.prefix(60))\" that is not a plain bank-NNN.statement name (or names it twice)")
            }
            guard statement.sha256 != nil, statement.bytes != nil else {
                throw refuse("\(SnapshotIndex.fileName): bank statement \(file) has no sha256 or bytes")
            }
        }

        let present: [String]
        do {
            present = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw refuse("cannot list the folder: \((error as NSError).localizedDescription)")
        }
        let extra = Set(present).subtracting(listed.keys).subtracting(allowed).sorted()
        guard extra.isEmpty else {
            throw refuse("\(extra.joined(separator: ", ")) \(extra.count == 1 ? "is" : "are") not listed in \(SnapshotIndex.fileName): the snapshot was changed after it was recorded")
        }
        var bodies: [String: [UInt8]] = [:]
        for (file, exchange) in listed.sorted(by: { $0.key < $1.key }) {
            guard let data = FileManager.default.contents(atPath: folder + "/" + file) else {
                throw refuse("\(file) (\(exchange.key)) is missing or unreadable: the snapshot is incomplete")
            }
            let bytes = Array(data)
            let actual = Manifest.sha256Hex(bytes)
            guard actual == exchange.sha256?.lowercased(), bytes.count == exchange.bytes else {
                throw refuse("\(file) (\(exchange.key)) has SHA-256 \(actual) and \(bytes.count) bytes, but the index lists \(exchange.sha256 ?? "") and \(exchange.bytes ?? 0) bytes: the file was changed after it was recorded")
            }
            bodies[file] = bytes
        }
        var previousOpenItems: [OpenItem]?
        if let previousEntry {
            guard let data = FileManager.default.contents(atPath: folder + "/" + previousEntry.file) else {
                throw refuse("\(previousEntry.file) (the open items the run compared against) is missing or unreadable: the snapshot is incomplete")
            }
            let bytes = Array(data)
            let actual = Manifest.sha256Hex(bytes)
            guard actual == previousEntry.sha256.lowercased(), bytes.count == previousEntry.bytes else {
                throw refuse("\(previousEntry.file) (the open items the run compared against) has SHA-256 \(actual) and \(bytes.count) bytes, but the index lists \(previousEntry.sha256) and \(previousEntry.bytes) bytes: the file was changed after it was recorded")
            }
            previousOpenItems = try PreviousOpenItemsFile.decode(bytes, folder: folder)
        }
        var acknowledgements: [UInt8]?
        if let entry = index.acknowledgements {
            guard let data = FileManager.default.contents(atPath: folder + "/" + entry.file) else {
                throw refuse("\(entry.file) (the acknowledgements the run read) is missing or unreadable: the snapshot is incomplete")
            }
            let bytes = Array(data)
            let actual = Manifest.sha256Hex(bytes)
            guard actual == entry.sha256.lowercased(), bytes.count == entry.bytes else {
                throw refuse("\(entry.file) (the acknowledgements the run read) has SHA-256 \(actual) and \(bytes.count) bytes, but the index lists \(entry.sha256) and \(entry.bytes) bytes: the file was changed after it was recorded")
            }
            acknowledgements = bytes
        }
        var bankFiles: [RecordedBankFile] = []
        for statement in index.bank?.statements ?? [] {
            guard let file = statement.file, let sha256 = statement.sha256, let size = statement.bytes else {
                bankFiles.append(RecordedBankFile(name: statement.name, bytes: nil))
                continue
            }
            guard let data = FileManager.default.contents(atPath: folder + "/" + file) else {
                throw refuse("\(file) (bank statement \(statement.name)) is missing or unreadable: the snapshot is incomplete")
            }
            let bytes = Array(data)
            let actual = Manifest.sha256Hex(bytes)
            guard actual == sha256.lowercased(), bytes.count == size else {
                throw refuse("\(file) (bank statement \(statement.name)) has SHA-256 \(actual) and \(bytes.count) bytes, but the index lists \(sha256) and \(size) bytes: the file was changed after it was recorded")
            }
            bankFiles.append(RecordedBankFile(name: statement.name, bytes: bytes))
        }
        return VerifiedSnapshot(folder: folder, index: index, digest: digest, bodies: bodies, previousOpenItems: previousOpenItems,
                                acknowledgements: acknowledgements, bankFiles: bankFiles)
    }

    /// The snapshot digest named by manifest.json in the snapshot's parent folder, if there is one.
    static func manifestDigest(besides folder: String) throws(SnapshotError) -> String? {
        let parent = (folder as NSString).deletingLastPathComponent
        guard let data = FileManager.default.contents(atPath: parent + "/manifest.json") else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw SnapshotError(path: folder, problem: "\(parent)/manifest.json beside it is not valid JSON, so the index cannot be checked against it")
        }
        guard let snapshot = object["snapshot"] as? [String: Any], let digest = snapshot["sha256"] as? String else {
            throw SnapshotError(path: folder, problem: "\(parent)/manifest.json beside it names no snapshot: these reports were not produced with this snapshot")
        }
        return digest.lowercased()
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
        case DecodingError.dataCorrupted(let context):
            return "not valid JSON (\(context.debugDescription))"
        default:
            return "\(error)"
        }
    }
}

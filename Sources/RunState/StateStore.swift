import Foundation
import JobSettings
import Publishing
#if canImport(Glibc)
import Glibc
#endif

/// The state folder on disk: `state.json` (read at the start, replaced atomically at the end of
/// a successful run) and `lock` (see RunLock). Folder 0700, files 0600.
public struct StateStore: Sendable {
    public static let stateFileName = "state.json"
    public static let lockFileName = "lock"

    public let directory: String
    public var statePath: String { directory + "/" + Self.stateFileName }
    public var lockPath: String { directory + "/" + Self.lockFileName }

    /// What a careful operator should hear about the folder (its access was tightened); nil when nothing.
    public private(set) var warning: String?

    /// Creates the folder (0700, with its parents) if missing. It holds the open items (ids and
    /// messages of the business) and the lock, so:
    /// - a folder owned by another user is refused (exit 78, naming the owner's uid): that user
    ///   could replace state.json or plant files the run then trusts;
    /// - a folder of ours that group or others can reach is tightened to 0700, and `warning`
    ///   says so (the run logs it): the operator asked for this folder, and it is ours to fix.
    public init(directory: String) throws(StateError) {
        let path = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.directory = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: Int(FileSystem.directoryMode)])
        } catch {
            throw StateError(.cannotWrite, "cannot create the state folder \(path): \((error as NSError).localizedDescription)")
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StateError(.cannotWrite, "the state folder \(path) is not a folder")
        }
        let access = StateFolderAccess.decide(owner: info.st_uid, mode: info.st_mode, us: geteuid())
        switch access {
        case .fine:
            break
        case .foreignOwner(let uid):
            throw StateError(.configuration, "the state folder \(path) belongs to uid \(uid), not to this user (uid \(geteuid())); refusing to use it: give the job a folder of its own (chown it, or pick another --state)")
        case .tighten(let old):
            guard chmod(path, FileSystem.directoryMode) == 0 else {
                throw StateError(.cannotWrite, "the state folder \(path) is open to group or others (mode \(String(old, radix: 8))) and cannot be made private: \(FileSystem.errnoError(path).reason)")
            }
            warning = "the state folder \(path) was open to group or others (mode \(String(old, radix: 8))); made it private (700)"
        }
    }

    /// The saved state, or nil when there is none yet (the first run). A file that exists but
    /// cannot be read or understood is an error: never a silent reset.
    public func load() throws(StateError) -> JobState? {
        guard FileManager.default.fileExists(atPath: statePath) else { return nil }
        guard let data = FileManager.default.contents(atPath: statePath) else {
            throw StateError(.cannotWrite, "cannot read the state file \(statePath) (permission denied?): fix its permissions; it is not reset")
        }
        return try JobStateCodec.decode(data, path: statePath)
    }

    /// The saved state in `directory` read without touching anything: no folder created, no
    /// mode changed, no lock taken (for `run --dry-run` and `check`, which must leave the state
    /// as they found it). nil when there is no folder or no state.json yet.
    public static func peek(directory: String) throws(StateError) -> JobState? {
        let path = URL(fileURLWithPath: directory).standardizedFileURL.path + "/" + stateFileName
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateError(.cannotWrite, "cannot read the state file \(path) (permission denied?): fix its permissions; it is not reset")
        }
        return try JobStateCodec.decode(data, path: path)
    }

    /// Replaces state.json atomically (`AtomicFile`): a crash leaves the old or the new file.
    public func save(_ state: JobState) throws(StateError) {
        do throws(PublishError) {
            try AtomicFile.replace(statePath, with: Array(JobStateCodec.encode(state)))
        } catch {
            throw StateError(.cannotWrite, "cannot save the state file: \(error.description)")
        }
    }
}

/// What to do with an existing state folder, from its owner and mode. Pure.
public enum StateFolderAccess: Equatable, Sendable {
    case fine
    /// Another user owns it: refuse.
    case foreignOwner(uid: uid_t)
    /// Ours, but group or others have some access (the old permission bits, for the warning).
    case tighten(from: mode_t)

    public static func decide(owner: uid_t, mode: mode_t, us: uid_t) -> StateFolderAccess {
        if owner != us { return .foreignOwner(uid: owner) }
        if mode & 0o077 != 0 { return .tighten(from: mode & 0o7777) }
        return .fine
    }
}

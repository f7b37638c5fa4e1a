import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file the run publishes: its name inside the output folder (or inside one subfolder of it,
/// such as `snapshot/`) and its bytes.
public struct OutputFile: Sendable, Equatable {
    public var name: String
    public var bytes: [UInt8]
    /// A subfolder of the output folder, one plain name; nil for the output folder itself.
    public var folder: String?
    public init(name: String, bytes: [UInt8], folder: String? = nil) {
        self.name = name
        self.bytes = bytes
        self.folder = folder
    }

    /// The path relative to the output folder.
    public var relativePath: String { folder.map { $0 + "/" + name } ?? name }
}

/// Why the reports could not be written. Always names the path and the system's reason.
public struct PublishError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// The publish stage: the only place the run writes reports to disk.
///
/// Every file is first written completely into a private staging folder beside the output
/// folder (mode 0700, files 0600) and flushed to disk; only then are the files moved into
/// place with rename(2), which replaces each file atomically. Whatever fails while writing
/// (permissions, a full disk, a file size limit) fails before anything in the output folder
/// changed, and the staging folder is removed. A reader never sees a half-written file.
///
/// A subfolder (`snapshot/`) is published whole: built in the staging folder, then moved into
/// place in one rename after the folder of the same name that an earlier run left was moved
/// aside. A subfolder named in `replacing` that this run does not publish is removed, so an
/// earlier run's snapshot never sits beside reports it does not belong to.
public enum Publisher {
    public static let directoryMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600

    /// Publishes `files` into `directory` (created if missing, with its parents). `replacing`:
    /// subfolders this kind of run owns; one the run does not publish is removed if present.
    public static func publish(_ files: [OutputFile], to directory: String, replacing: [String] = []) throws(PublishError) {
        ignoreFileSizeSignal()
        for file in files where !isSafeName(file.name) || !(file.folder.map(isSafeName) ?? true) {
            throw PublishError(path: file.relativePath, reason: "refusing an output file name that could leave the output folder")
        }
        for folder in replacing where !isSafeName(folder) {
            throw PublishError(path: folder, reason: "refusing an output folder name that could leave the output folder")
        }
        let folders = orderedFolders(files)
        let target = URL(fileURLWithPath: directory).standardizedFileURL.path
        let parent = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        try makeDirectories(parent)

        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw PublishError(path: target, reason: "it exists and is not a folder")
        }

        removeAbandonedStaging(in: parent, base: base)
        let staging = parent + "/." + base + ".staging-" + String(getpid()) + "-" + UUID().uuidString.prefix(8)
        guard mkdir(staging, directoryMode) == 0 else { throw errnoError(staging) }
        do throws(PublishError) {
            for folder in folders {
                guard mkdir(staging + "/" + folder, directoryMode) == 0 else { throw errnoError(staging + "/" + folder) }
            }
            for file in files { try writeFile(file.bytes, to: staging + "/" + file.relativePath) }
            for folder in folders { try syncPath(staging + "/" + folder) }
            try syncPath(staging)
            if !exists {
                // The whole folder appears at once.
                guard rename(staging, target) == 0 else { throw errnoError(target) }
                try syncPath(parent)
                return
            }
            // Subfolders first, so the reports (manifest.json last) never name a snapshot that is not there yet.
            for folder in orderedUnique(folders + replacing) {
                try moveAside(target + "/" + folder, into: staging + "/.replaced-" + folder)
                if folders.contains(folder) {
                    guard rename(staging + "/" + folder, target + "/" + folder) == 0 else { throw errnoError(target + "/" + folder) }
                }
            }
            for file in files where file.folder == nil {
                guard rename(staging + "/" + file.name, target + "/" + file.name) == 0 else { throw errnoError(target + "/" + file.name) }
            }
            try syncPath(target)
            removeTree(staging)
        } catch {
            removeTree(staging)
            throw error
        }
    }

    /// Under a file size limit (`ulimit -f`, RLIMIT_FSIZE) the kernel sends SIGXFSZ on the
    /// write that crosses it, and that signal's default action kills the process with no
    /// word. Ignored, the write fails with EFBIG instead and the run ends with exit 73 and a
    /// message. Process-wide and idempotent; nothing else in the job expects the signal.
    static func ignoreFileSizeSignal() {
        _ = signal(SIGXFSZ, SIG_IGN)
    }

    /// A plain file name: no path separators, no NUL, not "." or "..", not hidden.
    public static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0") && name.utf8.count <= 255
    }

    /// The subfolders `files` go into, in first-use order.
    static func orderedFolders(_ files: [OutputFile]) -> [String] {
        orderedUnique(files.compactMap(\.folder))
    }

    /// Moves an existing `path` (an earlier run's subfolder) into the staging folder, which is
    /// removed afterwards. Nothing there: nothing to do.
    static func moveAside(_ path: String, into aside: String) throws(PublishError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw errnoError(path)
        }
        guard rename(path, aside) == 0 else { throw errnoError(path) }
    }

    static func makeDirectories(_ path: String) throws(PublishError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: Int(directoryMode)])
        } catch {
            throw PublishError(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    static func writeFile(_ bytes: [UInt8], to path: String) throws(PublishError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw errnoError(path) }
        var failure: PublishError?
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return } // empty file: nothing to write
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errnoError(path)
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = errnoError(path) }
        if close(fd) != 0, failure == nil { failure = errnoError(path) }
        if let failure { throw failure }
    }

    static func syncPath(_ path: String) throws(PublishError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw errnoError(path) }
        defer { close(fd) }
        // Some file systems refuse fsync on folders; the data files themselves are already synced.
        _ = fsync(fd)
    }

    /// Removes staging folders that a killed run (SIGKILL, power loss) left beside the output:
    /// `.<base>.staging-<pid>-<id>` whose process no longer exists. A live run's folder is kept.
    static func removeAbandonedStaging(in parent: String, base: String) {
        let prefix = "." + base + ".staging-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let pidText = rest.split(separator: "-").first, let pid = pid_t(pidText), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                removeTree(parent + "/" + entry)
            }
        }
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func errnoError(_ path: String) -> PublishError {
        let code = errno
        let reason: String
        switch code {
        case ENOSPC: reason = "no space left on the device"
        case EDQUOT: reason = "disk quota exceeded"
        case EFBIG: reason = "file too large (a file size limit is in force)"
        case EACCES, EPERM: reason = "permission denied"
        case EROFS: reason = "read-only file system"
        default: reason = String(cString: strerror(code))
        }
        return PublishError(path: path, reason: reason)
    }
}

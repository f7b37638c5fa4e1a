import APModels
import Crypto
import Foundation
import Reports
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A file the run publishes: its name inside the output folder (or inside one subfolder of it,
/// such as `snapshot/`) and its bytes — or, for the large reports, what writes them (`streamed`),
/// so that the file is rendered straight into the staging folder and never held whole in memory.
public struct OutputFile: Sendable, Equatable {
    public var name: String
    /// The file's bytes; empty when `streamed` writes the file.
    public var bytes: [UInt8]
    /// Writes the file chunk by chunk when it is published (files are written in list order).
    public var streamed: StreamedContent?
    /// A subfolder of the output folder, one plain name; nil for the output folder itself.
    public var folder: String?
    /// What manifest.json says of the file's rows (`ReportFile.rowCount`); a streamed file's
    /// stream returns its own.
    public var rowCount: Int
    public init(name: String, bytes: [UInt8], folder: String? = nil, rowCount: Int = 0) {
        self.name = name
        self.bytes = bytes
        self.folder = folder
        self.rowCount = rowCount
    }

    public init(name: String, folder: String? = nil, streamed: StreamedContent) {
        self.name = name
        self.bytes = []
        self.streamed = streamed
        self.folder = folder
        self.rowCount = 0
    }

    /// The path relative to the output folder.
    public var relativePath: String { folder.map { $0 + "/" + name } ?? name }
}

/// What writes a streamed `OutputFile` into its sink (a file in the staging folder) and returns
/// its row count. A sink's error (a full disk) ends the publication; any other error is
/// reported as the file's. Equal only to itself: a closure has no other identity.
public final class StreamedContent: Sendable, Equatable {
    let write: @Sendable (any ReportSink) throws -> Int

    public init(_ write: @escaping @Sendable (any ReportSink) throws -> Int) {
        self.write = write
    }

    public static func == (a: StreamedContent, b: StreamedContent) -> Bool { a === b }
}

/// write(2); a free function, so that `FileSink.write` does not hide it.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

/// Appends each chunk to an open file with write(2), retrying short writes and EINTR, and
/// computes the SHA-256 of what it wrote (for manifest.json). A failure (EFBIG under `ulimit -f`,
/// ENOSPC, EDQUOT…) throws the `PublishError` naming the file.
///
/// The writes and the digest happen on a thread of the sink's own, a few chunks behind the
/// renderer, so that hashing and copying a gigabyte into the page cache run on the second core
/// while the next chunks are rendered. At most `queueLimit` chunks wait (a few MiB). A failed
/// write is thrown by the next `write` (the renderer stops there) or by `finish`, which every
/// caller runs before it closes the file: nothing is written after a failure, and nothing is
/// left running.
final class FileSink: ReportSink, @unchecked Sendable {
    // @unchecked: `queue`, `failure`, `closing` and `writerDone` are only touched under
    // `condition`; `hasher` only by the writer thread until `finish` has seen it stop (or by
    // the caller's thread when there is no writer thread).
    static let queueLimit = 4

    private let fd: Int32
    private let path: String
    private let condition = NSCondition()
    private var queue: [[UInt8]] = []
    private var failure: PublishError?
    private var closing = false
    private var writerDone = false
    /// Updated by whichever thread writes (the writer thread, or the caller without one).
    private var hasher = SHA256()
    /// false: each chunk is written at once, on the caller's thread (a file whose bytes are
    /// already in memory gains nothing from a thread).
    private let background: Bool

    init(fd: Int32, path: String, background: Bool) {
        self.fd = fd
        self.path = path
        self.background = background
        guard background else {
            writerDone = true
            return
        }
        let thread = Thread { [self] in drain() }
        thread.name = "ap-reconcile file writer"
        thread.start()
    }

    func write(_ chunk: [UInt8]) throws {
        try append(chunk)
    }

    var computesSHA256: Bool { true }

    /// Bytes handed to the sink; only meaningful after `finish`.
    private(set) var byteCount = 0

    /// Waits for the queued chunks (see `finish`), then the digest of every byte written.
    func sha256() throws -> String {
        try finish()
        return finishedSHA256()
    }

    /// The digest of every byte written, once `finish` has returned (the writer thread is done).
    func finishedSHA256() -> String {
        Manifest.hex(Array(hasher.finalize()))
    }

    /// Queues `chunk`; waits while the queue is full. Throws an earlier write's failure.
    func append(_ chunk: [UInt8]) throws(PublishError) {
        guard background else {
            if let failure { throw failure }
            if let error = writeAll(chunk) {
                failure = error
                throw error
            }
            return
        }
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.queueLimit && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(chunk)
        condition.broadcast()
    }

    /// Waits until every queued chunk is written (or one failed) and the writer has stopped;
    /// throws the failure, if any.
    func finish() throws(PublishError) {
        condition.lock()
        closing = true
        condition.broadcast()
        while !writerDone { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }

    /// The writer thread: writes chunks in order until `finish`, or stops at the first failure.
    private func drain() {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            guard !queue.isEmpty, failure == nil else {
                // Closing with nothing left, or failed: whatever is queued is dropped.
                queue.removeAll()
                writerDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let chunk = queue[0]
            condition.unlock()

            let error = writeAll(chunk)

            condition.lock()
            queue.removeFirst()
            if let error { failure = error }
            condition.broadcast()
            condition.unlock()
        }
    }

    private func writeAll(_ chunk: [UInt8]) -> PublishError? {
        hasher.update(data: chunk)
        byteCount += chunk.count
        return chunk.withUnsafeBytes { raw -> PublishError? in
            guard let base = raw.baseAddress else { return nil } // nothing to write
            var offset = 0
            while offset < raw.count {
                let n = systemWrite(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return FileSystem.errnoError(path)
                }
                offset += n
            }
            return nil
        }
    }
}

/// The fsync and close of files already written, run in the background: a gigabyte's fsync
/// (about a second here) overlaps the rendering of the next files instead of adding to it.
/// `wait` returns when all are done and throws the first failure; `Publisher.publish` calls it
/// before it renames anything, so the guarantee is unchanged: every file is on disk first.
final class PendingSyncs: Sendable {
    private let group = DispatchGroup()
    private let failure = Mutex<PublishError?>(nil)

    func syncAndClose(_ fd: Int32, path: String) {
        group.enter()
        DispatchQueue.global().async { [self] in
            var error: PublishError?
            if fsync(fd) != 0 { error = FileSystem.errnoError(path) }
            if close(fd) != 0, error == nil { error = FileSystem.errnoError(path) }
            if let error { failure.withLock { if $0 == nil { $0 = error } } }
            group.leave()
        }
    }

    func wait() throws(PublishError) {
        group.wait()
        if let failure = failure.withLock({ $0 }) { throw failure }
    }
}

/// A step of replacing an existing output folder, where a test injects a failure.
enum PublishStep: String, CaseIterable, Sendable {
    /// The complete new folder is built and flushed; nothing has changed yet.
    case beforeSwap
    /// The exchange (or the two renames) itself.
    case swap
    /// The new folder is in place; the parent is not flushed and the old folder not removed yet.
    case afterSwap
}

/// What tests change in `Publisher.publish`: a failure at a step, the exchange refused with an
/// errno, or the two-rename path forced. `live` changes nothing.
struct PublishSeams: Sendable {
    var failAt: PublishStep?
    /// renameat2 answers this errno instead of running (EINVAL: a file system without the flag).
    var swapFailure: Int32?
    /// false: the two renames, as where renameat2 is missing.
    var exchange = true

    static let live = PublishSeams()

    func check(_ step: PublishStep) throws(PublishError) {
        if step == failAt { throw PublishError(path: "(test)", reason: "injected failure at \(step.rawValue)") }
    }
}

/// Why the reports could not be written. Always names the path and the system's reason.
public struct PublishError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "cannot write \(path): \(reason)" }
}

/// A file as the publisher wrote it: what manifest.json and the run's outcome say of it.
public struct PublishedFile: Sendable, Equatable {
    /// The subfolder it is in (`snapshot`), nil for the output folder itself.
    public var folder: String?
    /// Its name, size, SHA-256 and row count, computed while it was written.
    public var file: RenderedFile

    public init(folder: String?, file: RenderedFile) {
        self.folder = folder
        self.file = file
    }
}

/// What one publication writes: `files` in order, then `closing`, made from what those files
/// turned out to be (manifest.json needs each file's digest and size, known only once written).
public struct Publication: Sendable {
    public var files: [OutputFile]
    /// The closing file's name (an error while making it names it) and what makes it.
    public var closingName: String
    public var closing: (@Sendable ([PublishedFile]) throws -> OutputFile)?

    public init(files: [OutputFile], closingName: String = "", closing: (@Sendable ([PublishedFile]) throws -> OutputFile)? = nil) {
        self.files = files
        self.closingName = closingName
        self.closing = closing
    }
}

/// The publish stage: the only place the run writes reports to disk.
///
/// Every file is first written completely into a private staging folder beside the output
/// folder (mode 0700, files 0600) and flushed to disk. Whatever fails while writing
/// (permissions, a full disk, a file size limit) fails before anything in the output folder
/// changed, and the staging folder is removed. A reader never sees a half-written file.
///
/// A new output folder is the staging folder renamed into place. An existing one is replaced
/// whole, so that a reader sees the old complete set or the new complete set at every instant,
/// never a mix: the staging folder becomes the complete new folder (the new files and
/// subfolders, plus hard links to whatever else the old folder holds), then the two folders
/// are exchanged in one `renameat2(RENAME_EXCHANGE)`, the parent is flushed, and the old folder
/// (now at the staging name) is removed. Where the exchange is not available (no `renameat2`,
/// or a file system that refuses the flag), two renames do it instead: the old folder aside,
/// the new one into place; between them, for a moment, the path names nothing (never a mix).
/// A failure before or at the exchange leaves the old folder untouched; a failure right after
/// it exchanges them back. Either way the call throws, and the old set is what is there.
///
/// A subfolder (`snapshot/`) is published whole with the rest. A subfolder named in `replacing`
/// that this run does not publish is left out of the new folder, so an earlier run's snapshot
/// never sits beside reports it does not belong to. Other entries of the old folder are kept.
public enum Publisher {
    /// Publishes `files` into `directory`; see the `Publication` form.
    @discardableResult
    public static func publish(_ files: [OutputFile], to directory: String, replacing: [String] = []) throws(PublishError) -> [PublishedFile] {
        try publish(Publication(files: files), to: directory, replacing: replacing)
    }

    /// Publishes every file of `publication` into `directory` (created if missing, with its
    /// parents) and returns what it wrote, in writing order (`closing` last). `replacing`:
    /// subfolders this kind of run owns; one the run does not publish is removed if present.
    @discardableResult
    public static func publish(_ publication: Publication, to directory: String, replacing: [String] = []) throws(PublishError) -> [PublishedFile] {
        try publish(publication, to: directory, replacing: replacing, seams: .live)
    }

    @discardableResult
    static func publish(_ publication: Publication, to directory: String, replacing: [String],
                        seams: PublishSeams) throws(PublishError) -> [PublishedFile] {
        ignoreFileSizeSignal()
        let files = publication.files
        for file in files where !isSafeName(file.name) || !(file.folder.map(isSafeName) ?? true) {
            throw PublishError(path: file.relativePath, reason: "refusing an output file name that could leave the output folder")
        }
        for folder in replacing where !isSafeName(folder) {
            throw PublishError(path: folder, reason: "refusing an output folder name that could leave the output folder")
        }
        let folders = orderedFolders(files)
        var target = URL(fileURLWithPath: directory).standardizedFileURL.path
        try FileSystem.makeDirectories((target as NSString).deletingLastPathComponent)

        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue {
            throw PublishError(path: target, reason: "it exists and is not a folder")
        }
        // An --out that is a symbolic link to a folder: the folder it names is replaced, the
        // link stays (exchanging the link itself would turn it into a folder).
        if exists, let resolved = realpath(target, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        let parent = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent

        removeAbandonedStaging(in: parent, base: base)
        let staging = parent + "/." + base + ".staging-" + String(getpid()) + "-" + UUID().uuidString.prefix(8)
        guard mkdir(staging, FileSystem.directoryMode) == 0 else { throw FileSystem.errnoError(staging) }
        let syncs = PendingSyncs()
        var written: [PublishedFile] = []
        do throws(PublishError) {
            for folder in folders {
                guard mkdir(staging + "/" + folder, FileSystem.directoryMode) == 0 else { throw FileSystem.errnoError(staging + "/" + folder) }
            }
            for file in files {
                written.append(try writeFile(file, to: staging + "/" + file.relativePath, syncs: syncs))
            }
            var topLevel = files.filter { $0.folder == nil }
            if let closing = publication.closing {
                let last: OutputFile
                do {
                    last = try closing(written)
                } catch let error as PublishError {
                    throw error
                } catch {
                    throw PublishError(path: staging + "/" + publication.closingName, reason: "\(error)")
                }
                guard isSafeName(last.name), last.folder == nil, last.name == publication.closingName else {
                    throw PublishError(path: last.relativePath, reason: "refusing an output file name that could leave the output folder")
                }
                written.append(try writeFile(last, to: staging + "/" + last.name, syncs: syncs))
                topLevel.append(last)
            }
            try syncs.wait()
            for folder in folders { try FileSystem.syncFolder(staging + "/" + folder) }
            try FileSystem.syncFolder(staging)
            if !exists {
                // The whole folder appears at once.
                guard rename(staging, target) == 0 else { throw FileSystem.errnoError(target) }
                try FileSystem.syncFolder(parent)
                return written
            }
            // The complete new folder: what this run publishes, and what else the old one holds.
            let published = Set(topLevel.map(\.name) + folders + replacing)
            try carryOver(from: target, into: staging, except: published)
            try FileSystem.syncFolder(staging)
            try matchOwnerAndMode(of: target, on: staging)
            try seams.check(.beforeSwap)
            try swap(staging, target, parent: parent, base: base, seams: seams)
            return written
        } catch {
            // No fsync may still be running on a file of the folder that is removed.
            try? syncs.wait()
            FileSystem.removeTree(staging)
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
        files.compactMap(\.folder).orderedUnique()
    }

    /// Puts the complete new folder `staging` in the place of the old folder `target`, and
    /// removes the old one. On a failure the old folder is at `target` again and the staging
    /// folder is left for the caller to remove.
    static func swap(_ staging: String, _ target: String, parent: String, base: String, seams: PublishSeams) throws(PublishError) {
        try seams.check(.swap)
        if seams.exchange {
            if let code = exchange(staging, target, seams: seams) {
                // Not supported here (kernel, C library or file system): the two renames below.
                // Any other refusal fails the publication with nothing changed.
                guard code == EINVAL || code == ENOSYS || code == ENOTSUP else { throw FileSystem.errnoError(target, code: code) }
            } else {
                // Exchanged: the new folder is at `target`, the old one at `staging`.
                do throws(PublishError) {
                    try seams.check(.afterSwap)
                    try FileSystem.syncFolder(parent)
                } catch {
                    // The old folder back in place, and the failure reported. Should even that
                    // fail, the new set stays: it is complete, and it is what readers now see.
                    if exchange(staging, target, seams: .live) == nil { throw error }
                }
                FileSystem.removeTree(staging)
                return
            }
        }
        // Two renames. Between them `target` names nothing for a moment; the old folder waits
        // under a name of its own, which the cleanup of abandoned staging folders never removes
        // while `target` is missing (it is then the only copy of the previous reports).
        let aside = parent + "/." + base + ".previous-" + String(getpid()) + "-" + UUID().uuidString.prefix(8)
        guard rename(target, aside) == 0 else { throw FileSystem.errnoError(target) }
        guard rename(staging, target) == 0 else {
            let error = FileSystem.errnoError(target)
            _ = rename(aside, target)
            throw error
        }
        do throws(PublishError) {
            try seams.check(.afterSwap)
            try FileSystem.syncFolder(parent)
        } catch {
            // As above: the old folder back if it can be, else the complete new one stays.
            if rename(target, staging) == 0 {
                _ = rename(aside, target)
                throw error
            }
        }
        FileSystem.removeTree(aside)
    }

    /// renameat2(from, to, RENAME_EXCHANGE): nil when exchanged, else the errno (ENOSYS when the
    /// C library has no renameat2). glibc declares it only for _GNU_SOURCE, which Swift's Glibc
    /// module does not define, so it is looked up at run time.
    static func exchange(_ from: String, _ to: String, seams: PublishSeams) -> Int32? {
        if let injected = seams.swapFailure { return injected }
        guard let renameat2 = renameat2Function else { return ENOSYS }
        let renameExchange: UInt32 = 1 << 1 // RENAME_EXCHANGE, <linux/fs.h>
        return renameat2(AT_FDCWD, from, AT_FDCWD, to, renameExchange) == 0 ? nil : errno
    }

    typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32

    static let renameat2Function: Renameat2? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "renameat2") else { return nil } // nil: RTLD_DEFAULT
        return unsafeBitCast(symbol, to: Renameat2.self)
        #else
        return nil
        #endif
    }()

    /// Makes `staging` hold, besides what it already has, every entry of the old folder whose
    /// name is not in `except`: files (and links, FIFOs, anything but a folder) as hard links,
    /// so nothing is copied and the old folder keeps them until it is removed; folders as new
    /// folders of the same mode holding the same, recursively. Never the old folder's entries
    /// themselves: a run killed here leaves the old folder exactly as it was.
    static func carryOver(from old: String, into staging: String, except: Set<String>) throws(PublishError) {
        for entry in try entries(of: old) where !except.contains(entry) {
            try linkTree(old + "/" + entry, staging + "/" + entry)
        }
    }

    static func entries(of folder: String) throws(PublishError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw PublishError(path: folder, reason: "cannot list it: \((error as NSError).localizedDescription)")
        }
    }

    static func linkTree(_ from: String, _ to: String) throws(PublishError) {
        var info = stat()
        guard lstat(from, &info) == 0 else {
            if errno == ENOENT { return } // removed meanwhile: nothing to keep
            throw FileSystem.errnoError(from)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            guard link(from, to) == 0 else {
                let error = FileSystem.errnoError(from)
                throw PublishError(path: from, reason: "cannot keep it in the new report folder (\(error.reason)); move it out of the output folder")
            }
            return
        }
        guard mkdir(to, FileSystem.directoryMode) == 0 else { throw FileSystem.errnoError(to) }
        for entry in try entries(of: from) { try linkTree(from + "/" + entry, to + "/" + entry) }
        _ = chmod(to, info.st_mode & 0o7777)
        try FileSystem.syncFolder(to)
    }

    /// Gives the new folder the old one's permission bits, owner and group, so replacing it
    /// changes nothing the operator set (a group that reads the reports, say). An owner or group
    /// this user cannot give is refused before anything changed.
    static func matchOwnerAndMode(of old: String, on new: String) throws(PublishError) {
        var info = stat()
        guard stat(old, &info) == 0 else { throw FileSystem.errnoError(old) }
        var mine = stat()
        guard stat(new, &mine) == 0 else { throw FileSystem.errnoError(new) }
        if info.st_uid != mine.st_uid || info.st_gid != mine.st_gid {
            guard chown(new, info.st_uid, info.st_gid) == 0 else {
                throw PublishError(path: old, reason: "it belongs to uid \(info.st_uid), gid \(info.st_gid), which this user (uid \(geteuid())) cannot give to the new reports; publish into a folder this user owns")
            }
        }
        guard chmod(new, info.st_mode & 0o7777) == 0 else { throw FileSystem.errnoError(new) }
    }

    /// Creates `path` (0600, never an existing file), writes the file's bytes or lets its
    /// stream write them, and flushes it to disk. Any failure throws, naming the file.
    /// With `syncs`, a streamed file's fsync and close are left to it (in the background, while
    /// the next file renders); the caller waits for them before it renames anything.
    static func writeFile(_ file: OutputFile, to path: String, syncs: PendingSyncs? = nil) throws(PublishError) -> PublishedFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, FileSystem.fileMode)
        guard fd >= 0 else { throw FileSystem.errnoError(path) }
        let sink = FileSink(fd: fd, path: path, background: file.streamed != nil)
        var failure: PublishError?
        var rows = file.rowCount
        do {
            if let streamed = file.streamed {
                rows = try streamed.write(sink)
            } else {
                try sink.append(file.bytes)
            }
        } catch let error as PublishError {
            failure = error
        } catch {
            failure = PublishError(path: path, reason: "\(error)")
        }
        // Always: the writer thread must be done with the file before it is synced and closed.
        do throws(PublishError) {
            try sink.finish()
        } catch {
            if failure == nil { failure = error }
        }
        let published = PublishedFile(folder: file.folder, file: RenderedFile(
            name: file.name, byteCount: sink.byteCount, sha256: sink.finishedSHA256(), rowCount: rows))
        if failure == nil, file.streamed != nil, let syncs {
            syncs.syncAndClose(fd, path: path)
            return published
        }
        if failure == nil, fsync(fd) != 0 { failure = FileSystem.errnoError(path) }
        if close(fd) != 0, failure == nil { failure = FileSystem.errnoError(path) }
        if let failure { throw failure }
        return published
    }

    /// Removes staging folders that a killed run (SIGKILL, power loss) left beside the output:
    /// `.<base>.staging-<pid>-<id>` whose process no longer exists (a new folder not yet in
    /// place, or an old one already swapped out). A live run's folder is kept. An old folder
    /// set aside by the two-rename path (`.<base>.previous-<pid>-<id>`) is removed only when the
    /// output folder exists: otherwise it is the only copy of the previous reports.
    static func removeAbandonedStaging(in parent: String, base: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        var isDirectory: ObjCBool = false
        let targetExists = FileManager.default.fileExists(atPath: parent + "/" + base, isDirectory: &isDirectory)
        for kind in ["staging", "previous"] where kind == "staging" || targetExists {
            let prefix = "." + base + "." + kind + "-"
            for entry in entries where entry.hasPrefix(prefix) {
                let rest = entry.dropFirst(prefix.count)
                guard let pidText = rest.split(separator: "-").first, let pid = pid_t(pidText), pid > 0 else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH {
                    FileSystem.removeTree(parent + "/" + entry)
                }
            }
        }
    }

}

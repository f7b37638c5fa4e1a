import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One file replaced atomically, the way every single-file writer of the job does it (state.json,
/// the metrics file): written under a hidden temporary name in the same folder, fsynced, renamed
/// over the old file, then the folder fsynced. A reader, or a crash at any instant, sees the old
/// file or the new one, never a mix and never a half-written file.
public enum AtomicFile {
    /// The temporary name: hidden, and not ending like the file, so that a collector that picks
    /// files by suffix (node_exporter reads `*.prom`) never reads it.
    static func temporaryPath(for path: String) -> String {
        let folder = folder(of: path)
        return folder + "/." + (path as NSString).lastPathComponent + ".tmp-" + String(getpid())
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    /// Replaces `path` with `bytes` (created with `mode`, less the umask).
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = FileSystem.fileMode) throws(PublishError) {
        let temporary = temporaryPath(for: path)
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw FileSystem.errnoError(temporary) }
        var failure: PublishError?
        if let code = FileSystem.writeAll(fd, bytes) { failure = FileSystem.errnoError(temporary, code: code) }
        if failure == nil, fsync(fd) != 0 { failure = FileSystem.errnoError(temporary) }
        if close(fd) != 0, failure == nil { failure = FileSystem.errnoError(temporary) }
        if failure == nil, rename(temporary, path) != 0 { failure = FileSystem.errnoError(path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        try FileSystem.syncFolder(folder(of: path))
    }
}

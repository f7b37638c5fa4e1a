import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The POSIX calls the job's disk writers share (the publisher, the state folder, the metrics
/// file), each failure turned into a `PublishError` that names the path and says why in words.
public enum FileSystem {
    /// Folders the job creates: only the job's user reads what it writes (ids, amounts, names).
    public static let directoryMode: mode_t = 0o700
    /// Files the job creates.
    public static let fileMode: mode_t = 0o600

    /// Creates `path` and its parents (0700) if missing.
    public static func makeDirectories(_ path: String) throws(PublishError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: Int(directoryMode)])
        } catch {
            throw PublishError(path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// fsync(2) of a folder, so that the renames made in it survive a power loss.
    public static func syncFolder(_ path: String) throws(PublishError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw errnoError(path) }
        defer { close(fd) }
        // Some file systems refuse fsync on folders; the data files themselves are already synced.
        _ = fsync(fd)
    }

    /// Writes every byte to `fd`, retrying short writes and EINTR. Returns errno on failure.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
    }

    public static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The `PublishError` for the current errno, in words an operator acts on.
    public static func errnoError(_ path: String) -> PublishError {
        errnoError(path, code: errno)
    }

    public static func errnoError(_ path: String, code: Int32) -> PublishError {
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

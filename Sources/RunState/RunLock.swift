import APModels
import Foundation
import JobSettings
import Publishing
#if canImport(Glibc)
import Glibc
#endif

/// One run per state folder: an exclusive `flock(2)` on `<state>/lock`, held for the whole run.
///
/// The kernel drops the lock when the holder's file descriptor closes, including when the
/// process is killed with SIGKILL or the machine loses power, so a dead run never blocks the
/// next one (a pid file alone would). The holder writes its pid and start time into the file
/// only so a refused run can name it; the content decides nothing.
public final class RunLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Takes the lock at once or fails: exit 75 naming the holder when another run has it,
    /// exit 73 when the lock file cannot be opened, exit 78 when something other than a plain
    /// file is at the lock path.
    ///
    /// The lock path is never followed: a symbolic link planted there (by whoever can write the
    /// state folder) would make the holder truncate and write the file it points to. Such a path
    /// is a configuration a person must look at, not a passing failure, hence 78.
    public static func acquire(path: String, startedAt: Timestamp) throws(StateError) -> RunLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, FileSystem.fileMode)
        guard fd >= 0 else {
            if errno == ELOOP {
                throw StateError(.configuration, "the lock file \(path) is a symbolic link; refusing to follow it: remove the link (the job creates the lock file itself)")
            }
            throw StateError(.cannotWrite, "cannot open the lock file \(path): \(FileSystem.errnoError(path).reason)")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw StateError(.configuration, "the lock file \(path) is not a plain file; refusing to use it: remove it (the job creates the lock file itself)")
        }
        var result: Int32
        repeat { result = flock(fd, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            let holder = readHolder(fd)
            close(fd)
            if code == EWOULDBLOCK {
                throw StateError(.temporaryFailure, "another run holds the lock \(path) (\(holder ?? "holder unknown")); this run did nothing: try again when it has finished")
            }
            throw StateError(.cannotWrite, "cannot lock \(path): \(String(cString: strerror(code)))")
        }
        // Only the holder writes; a reader racing this sees an empty or complete line.
        let line = Array("pid \(getpid()), started \(startedAt.rfc3339)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = line.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return RunLock(path: path, descriptor: fd)
    }

    /// Releases the lock now (closing the descriptor also would). The file stays: removing it
    /// would let two runs lock two different files of the same name.
    public func release() {
        _ = flock(descriptor, LOCK_UN)
    }

    /// "pid 123, started …" as the holder wrote it, or nil when empty or unreadable.
    static func readHolder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 200)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // Printable ASCII only: the file is ours, but it is on disk and we echo it.
        let clean = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.map(Character.init))
        return clean.isEmpty ? nil : "held by " + clean
    }
}

#if canImport(Glibc)
import CProcessControl
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the process's memory — the client secret, tokens, the webhook secret, every response
/// body — out of core files. The command line calls `disable()` first thing, before a secret
/// is read: a crash (or `kill -QUIT`) would otherwise write all of it to disk, wherever
/// `core_pattern` points, readable by whoever can read crash dumps there.
///
/// - `RLIMIT_CORE` 0, soft and hard: no core file, and the process cannot raise it again.
/// - Linux: `PR_SET_DUMPABLE` 0 as well. It also stops `core_pattern` pipes (systemd-coredump,
///   apport), which ignore the rlimit, and ptrace by other processes of the same user (a
///   debugger must run as root to attach). A child process inherits the zero core limit;
///   the kernel resets the dumpable flag when the child executes another program.
public enum CoreDumps {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Both settings, or the first one the system refused (with errno's text).
    @discardableResult
    public static func disable() -> Result<Void, Failure> {
        var zero = rlimit(rlim_cur: 0, rlim_max: 0)
        guard setrlimit(resourceCore, &zero) == 0 else {
            return .failure(Failure(description: "setrlimit(RLIMIT_CORE, 0) failed: \(String(cString: strerror(errno)))"))
        }
        #if os(Linux)
        guard ap_prctl_set_dumpable(0) == 0 else {
            return .failure(Failure(description: "prctl(PR_SET_DUMPABLE, 0) failed: \(String(cString: strerror(errno)))"))
        }
        #endif
        return .success(())
    }

    /// The current core size limit, soft and hard, in bytes (`RLIM_INFINITY` when unlimited).
    public static func coreSizeLimit() -> (soft: UInt64, hard: UInt64)? {
        var limit = rlimit()
        guard getrlimit(resourceCore, &limit) == 0 else { return nil }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    /// Whether the kernel would write a core (or pipe one to a handler) for this process:
    /// `PR_GET_DUMPABLE` on Linux; elsewhere, whether the core limit is above 0.
    public static var isDumpable: Bool {
        #if os(Linux)
        return ap_prctl_get_dumpable() != 0
        #else
        return (coreSizeLimit()?.soft ?? 1) > 0
        #endif
    }

    #if os(Linux)
    private static let resourceCore = __rlimit_resource_t(RLIMIT_CORE.rawValue)
    #else
    private static let resourceCore = RLIMIT_CORE
    #endif
}

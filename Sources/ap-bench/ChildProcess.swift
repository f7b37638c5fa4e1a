import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A finished child process: its exit status, its stdout, and what the kernel measured.
struct ChildResult {
    var exitCode: Int32
    var stdout: String
    /// Peak resident set size of the child alone, in kilobytes (VmHWM from /proc, see `runChild`).
    var maxRSSKilobytes: Int
    var userSeconds: Double
    var systemSeconds: Double
}

struct ChildProcessError: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program as a child with posix_spawn and waits for it with wait4, so the peak RSS is
/// the child's own (RUSAGE_CHILDREN would report the largest child so far, not this one).
/// stdout goes to a temporary file that is read back; stderr is inherited.
func runChild(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:]) throws -> ChildResult {
    let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("ap-bench-\(getpid())-\(UUID().uuidString).out").path
    defer { try? FileManager.default.removeItem(atPath: outPath) }

    var environment = ProcessInfo.processInfo.environment
    for (key, value) in extra { environment[key] = value }
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        for p in argv { free(p) }
        for p in envp { free(p) }
    }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard spawned == 0 else {
        throw ChildProcessError(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
    }
    // The child's peak memory is read from /proc while it runs (VmHWM, the high-water mark of
    // its own address space), not taken from wait4's ru_maxrss: posix_spawn starts the child in
    // the parent's address space (CLONE_VM), and the kernel carries that address space's peak
    // into the child's ru_maxrss at exec — so every child "peaked" at ap-bench's own size (the
    // sandbox and its dataset: 766 MiB at size M). The last reading is the child's own address
    // space; polled every 10 ms, so growth in its last 10 ms can be missed.
    var status: Int32 = 0
    var usage = rusage()
    var lastHighWater: Int?
    while true {
        let waited = wait4(pid, &status, WNOHANG, &usage)
        if waited == pid { break }
        if waited < 0 {
            guard errno == EINTR else { throw ChildProcessError(description: "wait4 failed for \(executable): errno \(errno)") }
            continue
        }
        if let reading = highWaterKilobytes(pid) { lastHighWater = reading }
        usleep(10_000)
    }
    // WIFEXITED / WEXITSTATUS by hand: the macros are not imported into Swift.
    let exited = (status & 0x7f) == 0
    let code: Int32 = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    return ChildResult(exitCode: code, stdout: output, maxRSSKilobytes: lastHighWater ?? Int(usage.ru_maxrss),
                       userSeconds: seconds(usage.ru_utime), systemSeconds: seconds(usage.ru_stime))
}

/// VmHWM of a running process, in kilobytes; nil once it has exited or where /proc has none.
private func highWaterKilobytes(_ pid: pid_t) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }
    return nil
}

private func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }

/// This executable's own path, to run the offline part in a child of its own.
func ownExecutablePath() -> String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

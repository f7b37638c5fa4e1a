import Dispatch
import Foundation
import JobSettings
import Publishing
import RunState
import Snapshots
#if canImport(Glibc)
import Glibc
import Synchronization
#endif

/// SIGINT and SIGTERM turned into task cancellation, so a stopped run unwinds like any other
/// failure: requests cancelled, nothing published, staging removed, lock released.
///
/// The default action of both signals is set to "ignore" first (otherwise the process would die
/// before the handler runs), then DispatchSource signal sources deliver them on a queue. Each
/// run installs its own sources and cancels them when it ends; the signals stay ignored
/// afterwards, which is right for a process that is about to exit.
public final class StopSignals: @unchecked Sendable {
    // @unchecked: the sources are set once in init and only cancelled afterwards (Dispatch is thread-safe).
    private let sources: [any DispatchSourceSignal]
    private let received = ReceivedSignal()

    /// The first signal, shared with the handlers (which outlive no one: they are cancelled with `self`).
    private final class ReceivedSignal: Sendable {
        let number = Mutex<Int32?>(nil)
    }

    /// Installs the handlers; `onStop` runs once, on the first SIGINT or SIGTERM.
    public init(onStop: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "ap-reconcile.signals")
        var sources: [any DispatchSourceSignal] = []
        let received = self.received
        for number in [SIGINT, SIGTERM] {
            _ = Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let first = received.number.withLock { value -> Bool in
                    guard value == nil else { return false }
                    value = number
                    return true
                }
                if first { onStop() }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// The first signal received, if any.
    public var signal: Int32? { received.number.withLock { $0 } }

    public func cancel() {
        for source in sources { source.cancel() }
    }

    /// The exit status and the words of a stop: 130 for SIGINT (the shell's 128 + 2), 75 for
    /// SIGTERM (temporary: the scheduler may run it again).
    public static func outcome(for signal: Int32) -> (status: ExitStatus, name: String) {
        signal == SIGINT ? (.interrupted, "SIGINT") : (.temporaryFailure, "SIGTERM")
    }
}

import Dispatch
import Foundation
import JobSettings
import Publishing
import RunState
import Snapshots
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The stop of a whole invocation: the first SIGINT or SIGTERM, shared by everything that runs
/// in it (every account's pipeline, the notifier's retries, what comes after). A value the
/// signal handler feeds, so the rules around it are tested without sending signals.
public final class StopRequest: Sendable {
    private let state = Mutex<(signal: Int32?, handlers: [@Sendable () -> Void])>((nil, []))

    public init() {}

    /// The first signal received, if any.
    public var signal: Int32? { state.withLock { $0.signal } }

    /// Records the stop (only the first counts) and runs the handlers registered so far, once.
    public func stop(_ signal: Int32) {
        let handlers = state.withLock { value -> [@Sendable () -> Void] in
            guard value.signal == nil else { return [] }
            value.signal = signal
            defer { value.handlers = [] }
            return value.handlers
        }
        for handler in handlers { handler() }
    }

    /// Runs `handler` when the stop comes; at once when it already came.
    public func onStop(_ handler: @escaping @Sendable () -> Void) {
        let already = state.withLock { value -> Bool in
            if value.signal != nil { return true }
            value.handlers.append(handler)
            return false
        }
        if already { handler() }
    }
}

/// SIGINT and SIGTERM turned into task cancellation, so a stopped run unwinds like any other
/// failure: requests cancelled, nothing published, staging removed, lock released.
///
/// The default action of both signals is set to "ignore" first (otherwise the process would die
/// before the handler runs), then DispatchSource signal sources deliver them on a queue. The
/// sources live until `cancel`; the signals stay ignored afterwards, which is right for a
/// process that is about to exit. `ap-reconcile run` installs them once per invocation, feeding
/// a `StopRequest`, so a stop reaches every account and the notifier, not one run.
public final class StopSignals: @unchecked Sendable {
    // @unchecked: the sources are set once in init and only cancelled afterwards (Dispatch is thread-safe).
    private let sources: [any DispatchSourceSignal]
    private let received = ReceivedSignal()

    /// The first signal, shared with the handlers (which outlive no one: they are cancelled with `self`).
    private final class ReceivedSignal: Sendable {
        let number = Mutex<Int32?>(nil)
    }

    /// Installs the handlers; `onStop` runs once, on the first SIGINT or SIGTERM.
    public convenience init(onStop: @escaping @Sendable () -> Void) {
        self.init(onSignal: { _ in onStop() })
    }

    /// Installs the handlers; the first SIGINT or SIGTERM stops `request`.
    public convenience init(feeding request: StopRequest) {
        self.init(onSignal: { request.stop($0) })
    }

    private init(onSignal: @escaping @Sendable (Int32) -> Void) {
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
                if first { onSignal(number) }
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

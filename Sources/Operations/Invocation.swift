import Foundation
import JobSettings
import Logging
import RunPipeline
import Synchronization

/// One invocation of `ap-reconcile run`: every planned run, one stop for all of them, and the
/// metrics file of what happened.
///
/// The stop (`StopRequest`, fed by the SIGINT/SIGTERM handlers the command installs once) cancels
/// the task running the accounts. So a stop reaches whatever is running: the current account's
/// pipeline (STOPPED, nothing published), the notifier's retries (no further attempt), and the
/// accounts not started yet (`not started`, 75 or 130). The metrics file is written after, in
/// every case, with the outcomes as they ended: a stop must not lose them.
public enum Invocation {
    public static func run(_ plan: [PlannedRun], notifier: Notifier?, logger: Logger, stop: StopRequest,
                           metricsFile: String?, now: @escaping @Sendable () -> Date = { Date() },
                           execute: @escaping AccountRunner.Execute) async -> [FinishedRun] {
        // The runs' results come out of a box, not as the task's value (see `StatefulRun.run`):
        // the runtime may let go of a finished task on another thread while the process exits.
        let box = FinishedBox()
        let task = Task {
            let runs = await AccountRunner.run(plan, notifier: notifier, logger: logger, stop: stop, now: now, execute: execute)
            box.runs.withLock { $0 = runs }
        }
        stop.onStop { task.cancel() }
        await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        let finished = box.runs.withLock { value -> [FinishedRun] in
            defer { value = nil }
            return value ?? []
        }

        if let path = metricsFile {
            do {
                try MetricsFile.update(path: path, runs: finished.map(\.metrics))
            } catch {
                // Monitoring must not turn a correct report into a failed run: the stale file's
                // last-run timestamp is what alerts on (docs/monitoring.md).
                logger.error("cannot write the metrics file", metadata: ["reason": "\(error.description)"])
            }
        }
        if let signal = stop.signal, !finished.contains(where: \.outcome.stopped) {
            // Too late to stop anything: every run had ended (a notification may have been cut short).
            logger.notice("\(StopSignals.outcome(for: signal).name) received after the runs had ended; exiting with their outcome")
        }
        return finished
    }
}

private final class FinishedBox: Sendable {
    let runs = Mutex<[FinishedRun]?>(nil)
}

import APModels
import APTransport
import Foundation
import JobSettings
import Logging
import Publishing
import Reconciliation
import RunState
import Snapshots
import Synchronization

/// The one entry point per account: what `ap-reconcile run` calls.
///
/// Around Pipeline.run it adds, for every run, SIGINT/SIGTERM → cancellation (STOPPED, 130/75,
/// nothing published), and with `request.state`:
/// 1. the state folder's lock, held until the run has ended (exit 75 naming the holder);
/// 2. the window from the watermark (watermark − lookback .. until) unless `--since` was given;
/// 3. open items compared with the previous run, shown in the reports and exceptions.csv;
/// 4. publishing into `<out>/<window>/` and pointing `<out>/latest` at it;
/// 5. only then, state.json saved with the new watermark and open items.
/// A run that fails anywhere before 5 leaves the state as it was, so the next run covers the gap.
public enum StatefulRun {
    /// - Parameters:
    ///   - stop: the invocation's stop (`ap-reconcile run` installs the signal handlers once for
    ///     all its accounts): it stops this run by cancelling the task that awaits it, and tells
    ///     which signal it was. Without it, the run installs its own handlers when `handleSignals`.
    public static func run(_ request: RunRequest, logger: Logger, transport: (any HTTPTransport)? = nil,
                           progress: (@Sendable (FetchProgress) -> Void)? = nil,
                           handleSignals: Bool = true, stop: StopRequest? = nil,
                           startedAt: Timestamp = Timestamp(Date())) async -> RunOutcome {
        // The task's result is a box the outcome is taken out of, not the outcome: the runtime
        // lets go of a finished task when it likes, possibly on another thread while the process
        // is exiting, and the task would tear the whole reconciliation down there. LeakSanitizer
        // caught that race as a leak (docs/hardening.md § Memory and leaks).
        let runTask = TaskSlot()
        let signals = handleSignals && stop == nil ? StopSignals(onStop: { runTask.task.withLock { $0?.cancel() } }) : nil
        let stopSignal: @Sendable () -> Int32? = { stop?.signal ?? signals?.signal }
        let task = Task {
            OutcomeBox(await runWithState(request, logger: logger, transport: transport, progress: progress, startedAt: startedAt))
        }
        runTask.task.withLock { $0 = task }
        // A signal that came before the task existed still stops it.
        if stopSignal() != nil { task.cancel() }
        let box = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        signals?.cancel()
        runTask.task.withLock { $0 = nil }
        let taken = box.outcome.withLock { value -> RunOutcome? in
            defer { value = nil }
            return value
        }
        // Unreachable (the task always fills the box); said plainly rather than trapped.
        let outcome = taken ?? RunOutcome(status: .temporaryFailure, headline: "the run ended without an outcome; nothing published; run it again")

        guard let number = stopSignal() else { return outcome }
        let (status, name) = StopSignals.outcome(for: number)
        if outcome.outputDirectory != nil {
            // Too late to stop: every file was already out (and the state saved); report the run as it ended.
            logger.notice("\(name) received after the reports were published; the run completed")
            return outcome
        }
        let lock = request.state == nil ? "" : ", lock released, watermark unchanged"
        var stopped = RunOutcome(status: status, headline: "\(name) received: the run was stopped; nothing published\(lock); run it again",
                                 statistics: outcome.statistics, window: outcome.window)
        stopped.stopped = true
        logger.error("run stopped", metadata: ["signal": "\(name)", "exit": "\(status.rawValue)"])
        return stopped
    }

    static func runWithState(_ request: RunRequest, logger: Logger, transport: (any HTTPTransport)?,
                             progress: (@Sendable (FetchProgress) -> Void)?, startedAt: Timestamp) async -> RunOutcome {
        guard let settings = request.state else {
            return await Pipeline.run(request, logger: logger, transport: transport, progress: progress)
        }
        let store: StateStore, lock: RunLock, previous: JobState?, window: ReportWindow
        do {
            store = try StateStore(directory: settings.directory)
            if let warning = store.warning { logger.warning("\(warning)") }
            lock = try RunLock.acquire(path: store.lockPath, startedAt: startedAt)
        } catch {
            return refused(error.status, error.message, logger: logger)
        }
        defer { lock.release() }
        do {
            previous = try store.load()
            window = try WatermarkPlan.window(requested: request.window, explicitSince: settings.explicitSince,
                                              watermark: previous?.watermark, lookbackDays: settings.lookbackDays)
        } catch let error as StateError {
            return refused(error.status, error.message, logger: logger)
        } catch let error as SettingsError {
            return refused(error.status, error.message, logger: logger)
        } catch {
            return refused(.configuration, "\(error)", logger: logger)
        }
        logger.info("state", metadata: [
            "state": "\(store.directory)", "watermark": "\(previous?.watermark?.rfc3339 ?? "none (first run)")",
            "window": "\(window.since.rfc3339)..\(window.until.rfc3339)", "open_items": "\(previous?.openItems.count ?? 0)",
        ])

        var windowed = request
        windowed.window = window
        let openBefore = previous?.openItems ?? []
        let asOf = request.asOf
        let root = request.outputDirectory
        let hooks = RunHooks.comparing(with: openBefore, asOf: asOf) { (publication: Publication, request: RunRequest) throws(PublishError) -> PublishedRun in
            let (folder, files) = try RunFolders.publish(publication, root: root, window: request.window)
            return PublishedRun(folder: folder, files: files)
        }
        var outcome = await Pipeline.run(windowed, logger: logger, transport: transport, progress: progress, hooks: hooks)
        outcome.window = window
        guard let folder = outcome.outputDirectory else { return outcome }

        let next = JobState(
            watermark: WatermarkPlan.advanced(previous?.watermark, after: window),
            lastRun: JobState.LastRun(window: window, asOf: asOf, folder: (folder as NSString).lastPathComponent),
            openItems: outcome.openItems?.openAfterRun ?? [])
        do {
            try store.save(next)
        } catch {
            logger.error("state not saved", metadata: ["reason": "\(error.message)"])
            outcome.status = .cannotWrite
            outcome.headline = "the reports are complete in \(folder), but \(error.message); the watermark did not advance, so the next run covers this window again"
            return outcome
        }
        logger.info("state saved", metadata: [
            "watermark": "\(next.watermark?.rfc3339 ?? "none")", "open_items": "\(next.openItems.count)",
            "new": "\(outcome.openItems?.newCount ?? 0)", "resolved": "\(outcome.openItems?.resolvedCount ?? 0)",
        ])
        if let items = outcome.openItems {
            outcome.headline += openItemsSummary(items)
        }
        return outcome
    }

    /// The end of the last line of a run with state (and of its replay).
    static func openItemsSummary(_ items: OpenItems) -> String {
        "; open items: \(items.newCount) new, \(items.openCount) open, \(items.carriedCount) carried, \(items.resolvedCount) resolved"
    }

    static func refused(_ status: ExitStatus, _ message: String, logger: Logger) -> RunOutcome {
        logger.error("run refused", metadata: ["exit": "\(status.rawValue)", "reason": "\(message)"])
        return RunOutcome(status: status, headline: message)
    }
}

/// A run's outcome, taken out of its task's result exactly once (see `StatefulRun.run`).
private final class OutcomeBox: Sendable {
    let outcome: Mutex<RunOutcome?>
    init(_ outcome: RunOutcome) { self.outcome = Mutex(outcome) }
}

/// The running task, for the signal handler to cancel.
private final class TaskSlot: Sendable {
    let task = Mutex<Task<OutcomeBox, Never>?>(nil)
}

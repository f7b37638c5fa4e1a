import Foundation
import JobSettings
import Logging
import RunPipeline

/// How one planned run ended, with what the metrics file needs.
public struct FinishedRun: Sendable {
    public var account: Account?
    public var outcome: RunOutcome
    public var endedAt: Date
    public var durationSeconds: Double

    public var metrics: MetricsRun {
        MetricsRun(account: account?.name, outcome: outcome, endedAt: endedAt, durationSeconds: durationSeconds)
    }
}

/// Runs planned runs one after another (accounts are independent: each has its own output
/// folder, and one account's failure never stops or undoes another's), notifying after each.
public enum AccountRunner {
    /// The reconciliation itself: `Pipeline.run`, or an entry point that adds state and a lock.
    public typealias Execute = @Sendable (RunRequest, Account?) async -> RunOutcome

    /// - Parameter stop: the invocation's stop, which names the signal in the outcome of the
    ///   accounts it kept from starting. The stop itself arrives as the cancellation of the task
    ///   that runs this (`Invocation.run`).
    public static func run(_ plan: [PlannedRun], notifier: Notifier?, logger: Logger, stop: StopRequest? = nil,
                           now: @Sendable () -> Date = { Date() }, execute: Execute) async -> [FinishedRun] {
        var finished: [FinishedRun] = []
        for planned in plan {
            // A stop (SIGINT/SIGTERM) ends the invocation between accounts too.
            if Task.isCancelled {
                finished.append(FinishedRun(account: planned.account, outcome: notStarted(stop?.signal),
                                            endedAt: now(), durationSeconds: 0))
                continue
            }
            let started = ContinuousClock.now
            var outcome = await execute(planned.request, planned.account)
            if planned.notify != nil, notifier != nil, Task.isCancelled {
                // A stopped invocation sends nothing more: the scheduler is waiting for it to end.
                logger.notice("notification not sent: the invocation was stopped", metadata: planned.account.map { ["account": "\($0.name)"] } ?? [:])
            } else if let settings = planned.notify, let notifier {
                var scoped = notifier
                if let name = planned.account?.name { scoped.logger[metadataKey: "account"] = "\(name)" }
                outcome = await scoped.notify(outcome, account: planned.account?.name, settings: settings)
            }
            let elapsed = ContinuousClock.now - started
            finished.append(FinishedRun(account: planned.account, outcome: outcome, endedAt: now(),
                                        durationSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
        return finished
    }

    /// The outcome of an account a stop kept from starting: STOPPED, 75 (SIGTERM) or 130 (SIGINT).
    static func notStarted(_ signal: Int32?) -> RunOutcome {
        let (status, name) = signal.map(StopSignals.outcome(for:)) ?? (.temporaryFailure, "a stop")
        var outcome = RunOutcome(status: status, headline: "not started: \(name) received before this account started; run it again")
        outcome.stopped = true
        return outcome
    }

    /// The exit status and final stderr line of several accounts: the worst status
    /// (`ExitStatus.severityRank`), and each account's outcome by name.
    /// `ap-reconcile: FAILED (exit 69): 2 accounts: acme OK (exit 0), globex FAILED (exit 69)`
    public static func summary(_ runs: [FinishedRun]) -> (status: ExitStatus, line: String) {
        let worst = ExitStatus.worst(runs.map(\.outcome.status))
        let (word, headline) = summaryParts(runs)
        return (worst, "ap-reconcile: \(word) (exit \(worst.rawValue)): \(headline)")
    }

    /// The summary's word and its headline (`2 accounts: acme OK (exit 0), …`), for the text
    /// and the JSON form of the line.
    static func summaryParts(_ runs: [FinishedRun]) -> (word: String, headline: String) {
        let worst = ExitStatus.worst(runs.map(\.outcome.status))
        let words = runs.map(\.outcome.word)
        let word: String
        if let run = runs.first(where: { $0.outcome.status == worst && worst.severityRank > ExitStatus.diagnosticsFound.severityRank }) {
            word = run.outcome.word
        } else if worst == .diagnosticsFound {
            word = "DIAGNOSTICS"
        } else {
            word = words.contains("COMPLETE") ? "COMPLETE" : "OK"
        }
        let parts = runs.map { "\($0.account?.name ?? "default") \($0.outcome.word) (exit \($0.outcome.status.rawValue))" }
        return (word, "\(runs.count) account\(runs.count == 1 ? "" : "s"): \(parts.joined(separator: ", "))")
    }
}

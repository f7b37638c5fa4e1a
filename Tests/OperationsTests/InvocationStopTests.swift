import APClient
import APTransport
import Foundation
import JobSettings
@testable import Operations
import RunPipeline
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One stop for the whole invocation (`Invocation.run` with a `StopRequest`): the running account
/// is cancelled, the notifier makes no further attempt, the accounts after it are `not started`,
/// and the metrics file is still written. The stop is requested from inside the runs, so nothing
/// here waits on a clock: a stop that were not obeyed would leave a 60 s sleep running, and the
/// outcomes below would differ.
@Suite struct InvocationStopTests {
    let request = RunRequest(baseURL: "http://127.0.0.1:1", credentials: ClientCredentials(clientID: "i", clientSecret: "s"),
                             window: dayWindow, asOf: Timestamp(epochSeconds: 0), outputDirectory: "/unused")

    func plan(_ names: [String], notify: Bool) -> [PlannedRun] {
        names.map { PlannedRun(account: Account(name: $0, out: "/r/" + $0), request: request,
                               notify: notify ? NotifySettings(url: "https://hooks.example.com/x?token=t") : nil) }
    }

    func metricsPath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("ap.prom").path
    }

    /// What StatefulRun returns for a run the stop cancelled.
    static func stoppedRun() -> RunOutcome {
        var outcome = RunOutcome(status: .temporaryFailure, headline: "SIGTERM received: the run was stopped; nothing published; run it again")
        outcome.stopped = true
        return outcome
    }

    @Test func aStopDuringTheFirstAccountLeavesTheOthersNotStarted() async throws {
        let stop = StopRequest()
        let transport = ScriptedWebhookTransport([])
        let notifier = Notifier(transport: transport, secret: "k", logger: quietLogger, sleep: { _ in })
        let started = StringsBox()
        let metrics = try metricsPath()
        let finished = await Invocation.run(plan(["a", "b", "c"], notify: true), notifier: notifier, logger: quietLogger, stop: stop,
                                            metricsFile: metrics, now: { Date(timeIntervalSince1970: 1_700_000_000) }) { _, account in
            started.append(account?.name ?? "-")
            stop.stop(SIGTERM)
            try? await Task.sleep(for: .seconds(60)) // the pipeline at work, until cancelled
            return Task.isCancelled ? Self.stoppedRun() : RunOutcome(status: .clean, headline: "not cancelled")
        }
        #expect(started.all == ["a"])
        #expect(finished.map { $0.account?.name ?? "-" } == ["a", "b", "c"])
        #expect(finished.map(\.outcome.word) == ["STOPPED", "STOPPED", "STOPPED"])
        #expect(finished.map(\.outcome.status) == [.temporaryFailure, .temporaryFailure, .temporaryFailure])
        #expect(finished.map(\.outcome.headline) == [
            "SIGTERM received: the run was stopped; nothing published; run it again",
            "not started: SIGTERM received before this account started; run it again",
            "not started: SIGTERM received before this account started; run it again",
        ])
        #expect(transport.sent.isEmpty) // a stopped invocation notifies no one
        let (lines, status) = OutcomeLine.lines(finished)
        #expect(status == .temporaryFailure)
        #expect(lines == [
            "ap-reconcile[a]: STOPPED (exit 75): SIGTERM received: the run was stopped; nothing published; run it again",
            "ap-reconcile[b]: STOPPED (exit 75): not started: SIGTERM received before this account started; run it again",
            "ap-reconcile[c]: STOPPED (exit 75): not started: SIGTERM received before this account started; run it again",
            "ap-reconcile: STOPPED (exit 75): 3 accounts: a STOPPED (exit 75), b STOPPED (exit 75), c STOPPED (exit 75)",
        ])
        // The metrics still say what happened, per account.
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        for name in ["a", "b", "c"] {
            #expect(text.contains("ap_reconcile_exit_code{account=\"\(name)\"} 75\n"), "\(text)")
            #expect(text.contains("ap_reconcile_outcome{account=\"\(name)\",outcome=\"stopped\"} 1\n"), "\(text)")
        }
    }

    @Test func aStopDuringTheNotifiersRetriesEndsThemAndTheInvocation() async throws {
        let stop = StopRequest()
        let transport = ScriptedWebhookTransport(Array(repeating: .status(500), count: 10))
        // The stop comes while the notifier waits before its second attempt.
        let notifier = Notifier(transport: transport, secret: "k", logger: quietLogger, sleep: { _ in
            stop.stop(SIGINT)
            try await Task.sleep(for: .seconds(60))
        })
        let started = StringsBox()
        let finished = await Invocation.run(plan(["a", "b"], notify: true), notifier: notifier, logger: quietLogger, stop: stop, metricsFile: nil) { request, account in
            started.append(account?.name ?? "-")
            return RunOutcome(status: .clean, headline: "reconciled 0 payouts", files: ["report.json"], outputDirectory: request.outputDirectory)
        }
        #expect(started.all == ["a"])
        #expect(transport.sent.count == 1)
        #expect(finished.map(\.outcome.headline) == [
            "reconciled 0 payouts; notification to https://hooks.example.com/… failed after 1 attempt(s): HTTP 500; stopped while waiting to retry",
            "not started: SIGINT received before this account started; run it again",
        ])
        #expect(finished.map(\.outcome.status) == [.clean, .interrupted])
        #expect(OutcomeLine.lines(finished).status == .interrupted)
    }

    @Test func aStopDuringAnAttemptIsNotRetried() async {
        let stop = StopRequest()
        // The transport's answer arrives after the stop: the notifier must not try again.
        final class StoppingTransport: HTTPTransport {
            let stop: StopRequest
            let sent = StringsBox()
            init(stop: StopRequest) { self.stop = stop }
            func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
                sent.append(request.url)
                stop.stop(SIGTERM)
                return HTTPResponse(status: 503, headers: HTTPHeaders(), body: Data())
            }
        }
        let transport = StoppingTransport(stop: stop)
        let notifier = Notifier(transport: transport, secret: "k", logger: quietLogger, sleep: { _ in })
        let finished = await Invocation.run(plan(["only"], notify: true), notifier: notifier, logger: quietLogger, stop: stop, metricsFile: nil) { request, _ in
            RunOutcome(status: .clean, headline: "reconciled 0 payouts", files: ["report.json"], outputDirectory: request.outputDirectory)
        }
        #expect(transport.sent.all.count == 1)
        #expect(finished.map(\.outcome.headline) == [
            "reconciled 0 payouts; notification to https://hooks.example.com/… failed after 1 attempt(s): HTTP 503; stopped, not retried",
        ])
        // The run itself had ended: its outcome stands (docs/operations.md § Signals).
        #expect(finished.map(\.outcome.status) == [.clean])
    }

    @Test func theFirstStopWinsAndLateHandlersRunAtOnce() {
        let stop = StopRequest()
        let calls = StringsBox()
        stop.onStop { calls.append("early") }
        #expect(stop.signal == nil)
        stop.stop(SIGINT)
        stop.stop(SIGTERM)
        #expect(stop.signal == SIGINT)
        stop.onStop { calls.append("late") }
        #expect(calls.all == ["early", "late"])
    }
}

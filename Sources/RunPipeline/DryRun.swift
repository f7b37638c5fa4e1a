import APClient
import APTransport
import Foundation
import JobSettings
import Logging
import Reconciliation
import RunState

/// `run --dry-run`: the run's fetch and reconcile, and nothing after them — no report rendered
/// or published, no state saved, no lock taken, no snapshot. With state, the window and the
/// open-items comparison are the ones the next real run would use: state.json is read without
/// being locked (`StateStore.peek`: it is replaced atomically, so a concurrent run's file is
/// read whole, old or new).
public enum DryRun {
    public static func run(_ request: RunRequest, logger: Logger, transport injected: (any HTTPTransport)? = nil,
                           progress: (@Sendable (FetchProgress) -> Void)? = nil) async -> RunOutcome {
        var request = request
        var previous: [OpenItem]?
        if let settings = request.state {
            do {
                let saved = try StateStore.peek(directory: settings.directory)
                request.window = try WatermarkPlan.window(requested: request.window, explicitSince: settings.explicitSince,
                                                          watermark: saved?.watermark, lookbackDays: settings.lookbackDays)
                previous = saved?.openItems ?? []
            } catch let error as StateError {
                return StatefulRun.refused(error.status, error.message, logger: logger)
            } catch let error as SettingsError {
                return StatefulRun.refused(error.status, error.message, logger: logger)
            } catch {
                return StatefulRun.refused(.configuration, "\(error)", logger: logger)
            }
        }
        let curl = injected == nil ? Pipeline.makeTransport(for: request) : nil
        defer { curl?.shutdown() }
        guard let transport: any HTTPTransport = injected ?? curl else {
            return RunOutcome(status: .configuration, headline: "no transport")
        }
        let client: APIClient
        switch Pipeline.makeClient(for: request, transport: transport, logger: logger) {
        case .success(let made): client = made
        case .failure(let outcome): return outcome.run
        }

        let result: ReconciliationResult
        switch await Pipeline.fetchAndReconcile(request, client: client, logger: logger, progress: progress) {
        case .reconciled(let reconciled): result = reconciled
        case .failed(let outcome):
            var outcome = outcome
            outcome.window = request.window
            return outcome
        }
        let openItems = previous.map { OpenItems.compare(previous: $0, result: result, asOf: request.asOf) }
        // The same acknowledgements as the real run, so the dry run's exit code is the one it would have.
        let review = Pipeline.reviewAcknowledgements(result, request: request, logger: logger)
        let status = Pipeline.exitStatus(for: result, failOn: request.failOn, review: review)
        let counts = result.summary.diagnosticsBySeverity
        var headline = "dry run: reconciled \(result.summary.payoutCount) payouts, \(result.summary.lineCount) lines "
            + "(\(request.window.since.rfc3339) .. \(request.window.until.rfc3339)): "
            + "\(counts[.error] ?? 0) errors, \(counts[.warning] ?? 0) warnings, \(counts[.info] ?? 0) info; "
            + "nothing published"
        if let openItems {
            headline += ", state unchanged" + StatefulRun.openItemsSummary(openItems)
        }
        logger.info("dry run complete", metadata: ["exit": "\(status.rawValue)", "requests": "\(client.statistics.totalRequests)"])
        var outcome = RunOutcome(status: status, headline: headline, result: result, statistics: client.statistics,
                                 window: request.window, openItems: openItems)
        outcome.acknowledgements = review
        return outcome
    }
}

import Foundation
import JobSettings
import RunPipeline

extension RunOutcome {
    /// The outcome in one word, as the final stderr line, the webhook and the metrics say it:
    /// `OK` (no diagnostics), `COMPLETE` (diagnostics, all below --fail-on), `DIAGNOSTICS`
    /// (exit 1), `FAILED` (no report written), `STOPPED` (SIGINT/SIGTERM, nothing written), `NOTIFY_FAILED` (reports written, but the
    /// required notification could not be delivered).
    public var word: String {
        switch status {
        case _ where stopped: "STOPPED"
        case .clean where (result?.diagnostics.isEmpty ?? true): "OK"
        case .clean: "COMPLETE"
        case .diagnosticsFound: "DIAGNOSTICS"
        case .notificationFailed: "NOTIFY_FAILED"
        default: "FAILED"
        }
    }

    /// Reports were written: exit 0 or 1, or a required notification that failed after publishing.
    public var reportsWritten: Bool { outputDirectory != nil && !files.isEmpty }
}

extension ExitStatus {
    /// How bad a status is, to pick the exit code of several accounts: the highest rank wins.
    ///
    /// Complete runs rank below failures; among failures, those the next night fixes by itself
    /// (lock held, API down) rank below those a person must fix (bad data from the API, disk,
    /// credentials, configuration, usage).
    public var severityRank: Int {
        switch self {
        case .clean: 0
        case .diagnosticsFound: 1
        case .notificationFailed: 2
        case .temporaryFailure: 3
        case .unavailable: 4
        case .protocolFault: 5
        case .dataError: 6
        case .cannotWrite: 7
        case .permissionDenied: 8
        case .configuration: 9
        case .usage: 10
        // Someone pressed Ctrl-C: the whole invocation was interrupted, whatever else happened.
        case .interrupted: 11
        }
    }

    /// The worst of `statuses` by `severityRank`; `.clean` when there are none.
    public static func worst(_ statuses: [ExitStatus]) -> ExitStatus {
        statuses.max { $0.severityRank < $1.severityRank } ?? .clean
    }
}

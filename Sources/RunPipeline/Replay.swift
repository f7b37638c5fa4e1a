import AcknowledgementFiles
import APClient
import APModels
import Foundation
import JobSettings
import Logging
import Publishing
import Reconciliation
import RunState
import Snapshots

/// What `ap-reconcile replay` was asked: the snapshot folder, where to write, and the two
/// settings a replay may change.
public struct ReplayRequest: Sendable {
    /// The recorded run's `snapshot/` folder.
    public var snapshotFolder: String
    public var outputDirectory: String
    /// nil: the recorded run's as-of, so the reports come out byte-identical.
    public var asOf: Timestamp?
    /// nil: the recorded run's `--fail-on`.
    public var failOn: FailOn?
    /// The index's SHA-256 as the auditor has it (e.g. from the manifest.json they kept).
    public var expectedDigest: String?

    public init(snapshotFolder: String, outputDirectory: String, asOf: Timestamp? = nil, failOn: FailOn? = nil,
                expectedDigest: String? = nil) {
        self.snapshotFolder = snapshotFolder
        self.outputDirectory = outputDirectory
        self.asOf = asOf
        self.failOn = failOn
        self.expectedDigest = expectedDigest
    }
}

/// `ap-reconcile replay`: verifies a snapshot, then runs the same pipeline — Fetcher, client,
/// engine, renderers, publisher — against a `ReplayTransport` instead of the network.
/// No credentials: the client gets placeholder ones, and the token reply comes from the snapshot.
public enum Replay {
    /// What the client is given in place of credentials; never sent anywhere.
    static let placeholderCredentials = ClientCredentials(clientID: "replay", clientSecret: "replay-needs-no-secret")

    public static func run(_ replay: ReplayRequest, logger: Logger) async -> RunOutcome {
        let snapshotFolder = URL(fileURLWithPath: replay.snapshotFolder).standardizedFileURL.path
        let out = URL(fileURLWithPath: replay.outputDirectory).standardizedFileURL.path
        let recordedFolder = (snapshotFolder as NSString).deletingLastPathComponent
        if out == snapshotFolder || out == recordedFolder || out.hasPrefix(snapshotFolder + "/") {
            return Pipeline.failure(.usage, "--out \(out) is the recorded run's folder or inside its snapshot; replay into a new folder so the evidence stays as it was", logger: logger)
        }

        let snapshot: VerifiedSnapshot
        do {
            snapshot = try SnapshotReader.load(snapshotFolder, expectedDigest: replay.expectedDigest)
        } catch {
            return Pipeline.failure(.dataError, error.description, logger: logger)
        }
        let recorded = snapshot.index.run
        guard let since = Timestamp.parse(recorded.since), let until = Timestamp.parse(recorded.until), since < until,
              let recordedAsOf = Timestamp.parse(recorded.asOf) else {
            return Pipeline.failure(.dataError, "snapshot \(snapshotFolder) refused: its index's window or as_of is not a valid RFC 3339 time", logger: logger)
        }
        guard let failOn = replay.failOn ?? FailOn(rawValue: recorded.failOn) else {
            return Pipeline.failure(.dataError, "snapshot \(snapshotFolder) refused: its index's fail_on \"\(recorded.failOn.prefix(20))\" is not error, warning or never; pass --fail-on", logger: logger)
        }
        if snapshot.index.toolVersion != ToolVersion.current {
            logger.warning("snapshot recorded by another version: reports may differ from the recorded ones", metadata: [
                "recorded_by": "\(snapshot.index.toolVersion)", "replayed_by": "\(ToolVersion.current)",
            ])
        }

        var request = RunRequest(
            baseURL: recorded.baseURL, credentials: placeholderCredentials, window: ReportWindow(since: since, until: until),
            asOf: replay.asOf ?? recordedAsOf, outputDirectory: out, failOn: failOn,
            concurrency: min(max(recorded.concurrency, 1), 256), expectedPaymentRequestIDs: recorded.expectedPaymentRequestIDs,
            // Recorded retries replay as they happened, without waiting: every wait is zero.
            retryPolicy: RetryPolicy(maxAttempts: min(max(recorded.maxAttempts, 1), 20), baseDelay: .zero, maxDelay: .zero,
                                     maxRetryAfter: .zero, budget: .seconds(3600)),
            pageSize: recorded.pageSize)
        request.snapshot = .replayed(digest: snapshot.digest)
        if let text = recorded.invoiceFetch {
            guard let mode = InvoiceFetchMode(rawValue: text) else {
                return Pipeline.failure(.dataError, "snapshot \(snapshotFolder) refused: its index's invoice_fetch \"\(text.prefix(20))\" is not adaptive or by-id", logger: logger)
            }
            request.invoiceFetch = mode
        }
        // The statements as the recorded run read them, under the names its reports gave them.
        if let bank = snapshot.index.bank {
            // `files` is not read when `recordedContents` is set; the names stand in for the paths.
            var settings = BankSettings(files: snapshot.bankFiles.map(\.name), names: snapshot.bankFiles.map(\.name),
                                        settlementDays: bank.settlementDays, providerNames: bank.providerNames, csvMapping: bank.csvMapping)
            settings.recordedContents = snapshot.bankFiles.map(\.bytes)
            request.bank = settings
        }
        // The acknowledgements as the recorded run read them, never today's file.
        if let bytes = snapshot.acknowledgements {
            let path = "\(snapshotFolder)/\(SnapshotIndex.acknowledgementsFileName)"
            do throws(AcknowledgementFileError) {
                request.acknowledgements = LoadedAcknowledgements(
                    path: path, bytes: bytes, acknowledgements: try AcknowledgementFile.parse(Data(bytes), path: path))
            } catch {
                return Pipeline.failure(.dataError, "snapshot \(snapshotFolder) refused: \(error.description)", logger: logger)
            }
        }

        // A run with state: its open items again, compared with the list it recorded (never a state folder).
        let hooks = snapshot.previousOpenItems.map {
            RunHooks.comparing(with: $0, asOf: request.asOf, publish: RunHooks.plainPublish)
        } ?? .plain
        let transport = ReplayTransport(snapshot: snapshot)
        var outcome = await Pipeline.run(request, logger: logger, transport: transport, hooks: hooks)
        if let miss = transport.misses.first {
            return Pipeline.failure(.dataError, "no report written: snapshot \(snapshotFolder) has no response for \(miss); "
                + "it is incomplete, or was recorded by another version (\(snapshot.index.toolVersion)) that asked different requests",
                logger: logger, statistics: outcome.statistics)
        }
        if transport.unusedCount > 0 {
            logger.notice("recorded responses the replay did not ask for", metadata: ["unused": "\(transport.unusedCount)"])
        }
        if outcome.outputDirectory != nil {
            if let items = outcome.openItems {
                // As the recorded run's line said it.
                outcome.headline += StatefulRun.openItemsSummary(items)
            }
            outcome.headline += "; replayed from snapshot sha256 \(snapshot.digest)"
        }
        return outcome
    }
}

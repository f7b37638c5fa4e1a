import APClient
import ArgumentParser
import APModels
import Foundation
import JobSettings
import Logging
import Operations
import Reconciliation
import RunPipeline

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild a recorded run's reports offline from its snapshot (see `run --record`).",
        discussion: """
        SNAPSHOT is the snapshot/ folder a run with --record wrote beside its reports. Every \
        file's SHA-256 is checked first: a file missing, extra or changed, or an index that \
        does not match the digest manifest.json (beside the snapshot) or --index-sha256 names, \
        is refused with exit 65 and nothing is written. Then the same fetch, reconcile and \
        render stages run against the recorded responses — no network, no credentials (no AP_* \
        variable is read). With the recorded --as-of (the default) and the same ap-reconcile \
        version, report.json, the CSVs and manifest.json come out byte-identical to the \
        recorded run's. A request the snapshot holds no answer for fails with exit 65. \
        The window, base URL, page size and expected payment requests come from the snapshot. \
        A run with --state recorded the open items it compared against \
        (snapshot/previous-open-items.json): the replay compares with those, so new/open/resolved \
        and exceptions.csv come out the same too; no state folder is read or written, and the \
        reports go into --out itself.

        Exit codes:
        \(ExitStatus.helpTable)
        """
    )

    @Argument(help: "The recorded run's snapshot folder (OUT/snapshot).")
    var snapshot: String
    @Option(help: "Folder for the rebuilt reports; created if missing, written atomically. Must not be the recorded run's folder.")
    var out: String
    @Option(help: "The run's clock (RFC 3339 or date) (default: the recorded run's as-of, for byte-identical reports).")
    var asOf: String?
    @Option(help: "Lowest severity that makes the replay exit 1: error, warning or never (default: the recorded run's).")
    var failOn: FailOn?
    @Option(help: "Refuse the snapshot unless its index.json has this SHA-256 (lowercase hex, as manifest.json names it).")
    var indexSha256: String?
    @Option(help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        disableCoreDumps()
        let logger = LogSetup.bootstrap(level: logLevel)
        var asOfTime: Timestamp?
        if let asOf {
            do {
                asOfTime = try WindowParser.instant(asOf, option: "--as-of")
            } catch {
                return try finish(RunOutcome(status: error.status, headline: error.message))
            }
        }
        let request = ReplayRequest(snapshotFolder: snapshot, outputDirectory: out, asOf: asOfTime, failOn: failOn,
                                    expectedDigest: indexSha256)
        try finish(await Replay.run(request, logger: logger))
    }
}

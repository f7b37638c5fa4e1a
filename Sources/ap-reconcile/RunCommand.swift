import APClient
import ArgumentParser
import APModels
import Foundation
import JobSettings
import Logging
import Operations
import Reconciliation
import RunPipeline

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Fetch the payouts of a window, reconcile them and write the reports.",
        discussion: """
        The window is half-open [since, until) on payout created_at. T is RFC 3339 \
        (2026-11-03T00:00:00Z) or a date (its UTC midnight). Without --since/--until: the \
        previous UTC day. Flags override the job file (--config); the job file overrides the \
        environment (AP_BASE_URL). Credentials never come from flags or the job file itself: \
        AP_CLIENT_ID with AP_CLIENT_SECRET or AP_CLIENT_SECRET_FILE win over a credentials file \
        (the job file's credentials_file, else AP_CREDENTIALS_FILE).

        With --state DIR (job file: state) the run is incremental: without --since it starts at \
        the watermark minus --lookback-days and ends at --until or the start of the current UTC \
        day (the first run: the previous UTC day). --out is then a root: each run publishes into \
        OUT/<since>_<until>/ (UTC, colons left out, e.g. 2026-11-05T000000Z_2026-11-08T000000Z; a \
        rerun of the same window gets .2, .3…) and OUT/latest is a symlink to the newest complete \
        run. The watermark advances only after every file is published. Reports then also carry \
        new/open/resolved status per diagnostic and exceptions.csv (the open items). One run per \
        state folder: a second exits 75 naming the holder. A state.json that cannot be \
        understood stops the run with exit 78 (it is never reset); an unwritable state folder \
        exits 73. Without --state, --out is the exact folder of the reports. See \
        docs/operations.md.

        SIGINT and SIGTERM stop a run cleanly: nothing published, the lock released, exit 130 \
        (SIGINT) or 75 (SIGTERM), and the last line says STOPPED.

        Exit codes:
        \(ExitStatus.helpTable)
        """
    )

    @OptionGroup var options: RunOptions
    @Flag(help: ArgumentHelp("Fetch and reconcile, print the summary on stdout, and publish nothing: no reports, no state change (the watermark, open items and lock are left as they are), no webhook, no metrics.", discussion: "The exit code is the run's (0, 1 for diagnostics at --fail-on, or the failure's). With --state the window and the new/open/resolved comparison are the ones the next real run would use. --record cannot be combined with it."))
    var dryRun = false

    func run() async throws {
        disableCoreDumps()
        try await runWithOperations()
    }

    /// The flags as given, for `SettingsResolver`.
    var flags: RunFlags {
        var flags = options.flags
        flags.dryRun = dryRun
        return flags
    }
    var logLevel: Logger.Level { options.logLevel }
    var operations: OperationsOptions { options.operations }
}

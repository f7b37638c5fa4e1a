import APTransport
import ArgumentParser
import Reconciliation
import Foundation
import JobSettings
import Logging
import Operations
import RunPipeline

@main
struct APReconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ap-reconcile",
        abstract: "Reconcile Alternative Payments payouts against invoices and payment requests.",
        discussion: """
        Credentials come only from the environment (AP_CLIENT_ID, AP_CLIENT_SECRET or \
        AP_CLIENT_SECRET_FILE) or a credentials file (the job file's credentials_file, else \
        AP_CREDENTIALS_FILE) — never from flags; the environment wins over the file.

        Exit codes:
        \(ExitStatus.helpTable)
        """,
        version: ToolVersion.described(commit: buildCommit),
        subcommands: [RunCommand.self, CheckCommand.self, ReplayCommand.self, AckCommand.self, UnackCommand.self]
    )
}

extension FailOn: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Prints the outcome line(s) on stderr (JSON objects with `--log-format json`) and exits with
/// the invocation's status.
func finish(_ outcome: RunOutcome, format: LogFormat = .text) throws {
    try finish(lines: [OutcomeLine.line(outcome, format: format)], status: outcome.status)
}

func finish(_ runs: [FinishedRun], format: LogFormat = .text) throws {
    let (lines, status) = OutcomeLine.lines(runs, format: format)
    try finish(lines: lines, status: status)
}

private func finish(lines: [String], status: ExitStatus) throws {
    FileHandle.standardError.write(Data(lines.map { $0 + "\n" }.joined().utf8))
    if status != .clean { throw ExitCode(status.rawValue) }
}

/// No core file may carry the client secret or a token out of the process: called first, before
/// any secret is read. A failure is said on stderr and the run goes on (the secrets are still
/// never written anywhere else).
func disableCoreDumps() {
    if case .failure(let failure) = CoreDumps.disable() {
        FileHandle.standardError.write(Data("ap-reconcile: warning: cannot disable core dumps: \(failure.description)\n".utf8))
    }
}

import ArgumentParser
import Foundation
import Logging
import ReconcileJob

@main
struct APReconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ap-reconcile",
        abstract: "Reconcile Alternative Payments payouts against invoices and payment requests.",
        discussion: """
        Credentials come only from the environment (AP_CLIENT_ID, AP_CLIENT_SECRET or
        AP_CLIENT_SECRET_FILE) or a credentials file named by the job file — never from flags.

        Exit codes:
        \(ExitStatus.helpTable)
        """,
        version: Pipeline.toolVersion,
        subcommands: [RunCommand.self, DemoCommand.self, ReplayCommand.self]
    )
}

extension FailOn: ExpressibleByArgument {}

/// Logging to stderr through swift-log, once per process.
enum LogSetup {
    static func bootstrap(level: Logger.Level, format: LogFormat = .text) -> Logger {
        LoggingSystem.bootstrap { label -> any LogHandler in
            if format == .json {
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "ap-reconcile")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// The one stderr line that ends every run, saying the outcome in words.
func finish(_ outcome: RunOutcome) throws {
    let word = outcome.word
    FileHandle.standardError.write(Data("ap-reconcile: \(word) (exit \(outcome.status.rawValue)): \(outcome.headline)\n".utf8))
    if outcome.status != .clean { throw ExitCode(outcome.status.rawValue) }
}

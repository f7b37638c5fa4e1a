import APSandbox
import ArgumentParser
import Foundation
import JobSettings
import Logging
import Operations
import ReconcileDemo
import Reconciliation
import RunPipeline

extension PageShape: ExpressibleByArgument {}

@main
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ap-reconcile-demo",
        abstract: "Run the real ap-reconcile pipeline against the sandbox serving the sample data, in one process.",
        discussion: """
        Starts the sandbox in-process on 127.0.0.1 (a free port) with samples/api, then runs the
        same code as `run` against it — libcurl, OAuth client credentials, cursor paging — writes the
        reports and prints a summary. The window and clock are fixed by default so the reports match
        samples/reports/ byte for byte.
        """
    )

    @Option(help: "Sandbox dataset folder.")
    var dataset = "samples/api"
    @Option(help: "Output folder for the reports.")
    var out = "demo-out"
    @Option(help: "Start of the window (RFC 3339 or date).")
    var since = Demo.defaultSince
    @Option(help: "End of the window, exclusive.")
    var until = Demo.defaultUntil
    @Option(help: "The run's clock, stamped into the reports.")
    var asOf = Demo.defaultAsOf
    @Option(help: "Lowest severity that makes the demo exit 1 (default: never; the sample data has diagnostics on purpose).")
    var failOn: FailOn = .never
    @Option(help: "Page shape the sandbox serves: openapi, guide or alternating.")
    var pageShape: PageShape = .alternating
    @Option(help: "A file of expected payment request ids, one per line.")
    var expectedPaymentRequests: String?
    @Option(name: .customLong("bank-statement"), help: ArgumentHelp("A bank statement file or glob to match the payouts against (repeatable; default: samples/bank/camt.053/statement-*.xml).", valueName: "file"))
    var bankStatements: [String] = []
    @Flag(help: "Read no bank statement.")
    var noBank = false
    @Option(help: "Log level on stderr.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        let logger = LogSetup.bootstrap(level: logLevel)
        let outcome = await Demo.run(Demo.Options(dataset: dataset, out: out, since: since, until: until, asOf: asOf,
                                                  failOn: failOn, pageShape: pageShape,
                                                  expectedPaymentRequestsFile: expectedPaymentRequests,
                                                  bankStatements: noBank ? [] : bankStatements.isEmpty ? Demo.defaultBankStatements : bankStatements),
                                    logger: logger)
        print(outcome.summary, terminator: "")
        FileHandle.standardError.write(Data((OutcomeLine.line(outcome.run) + "\n").utf8))
        if outcome.run.status != .clean { throw ExitCode(outcome.run.status.rawValue) }
    }
}

extension FailOn: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}

import APModels
import ArgumentParser
import Foundation
import JobSettings
import Logging
import Operations
import Preflight
import RunPipeline

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check, before the first night and after any change, that `run` with the same settings can succeed.",
        discussion: """
        Takes run's settings (flags, job file, environment) and, for each planned run (account): \
        validates them, gets a token, makes one cheap call per endpoint family the run uses \
        (GET /payouts, /invoices and /payments with limit=1, and a payment request lookup of an \
        id that does not exist: 404 means allowed; 403 names the endpoint the client may not \
        read), checks that --out and --state are writable (a probe file created and removed; the \
        state folder owned by this user, mode 0700; state.json readable), that the webhook's \
        signing secret is there (with --notify-test: a signed reconciliation.test event is \
        delivered), that the metrics file's folder is writable and the Pushgateway of \
        --metrics-push ready (a warning otherwise), and that this machine's clock is within 60 s \
        of the API's Date header (a warning otherwise).

        One line per check on stdout: ok, warn or FAIL, what, and what was found; then the outcome \
        line on stderr. The exit code is the worst failed check's, from the table below (77 \
        credentials or permission, 69 API unavailable, 73 folder not writable, 78 configuration); \
        warnings exit 0. Nothing is written to the reports, the state or the metrics.

        Exit codes:
        \(ExitStatus.helpTable)
        """
    )

    @OptionGroup var options: RunOptions
    @Flag(help: "Send a signed reconciliation.test event to each run's webhook (--notify / notify_url) and check it is accepted (2xx).")
    var notifyTest = false

    func run() async throws {
        disableCoreDumps()
        let flags = options.flags
        let sources = SettingsSources(environment: ProcessInfo.processInfo.environment, now: Timestamp(Date()))
        let settings: InvocationSettings
        do throws(SettingsError) {
            settings = try SettingsResolver.resolve(flags, sources: sources)
        } catch {
            let format = SettingsResolver.logFormat(forErrorsOf: flags, sources: sources)
            _ = LogSetup.bootstrap(level: options.logLevel, format: format)
            print(PreflightCheck.fail("settings", error.message, error.status).line)
            return try finish(PreflightReport.outcome([.fail("settings", error.message, error.status)]), format: format)
        }
        let logger = LogSetup.bootstrap(level: options.logLevel, format: settings.logFormat)
        let runs = settings.plan.count == 1 ? "1 run" : "\(settings.plan.count) runs"
        let accounts = settings.plan.compactMap(\.account?.name)
        var checks: [PreflightCheck] = [
            .ok("settings", "\(runs) planned" + (accounts.isEmpty ? "" : " (accounts \(accounts.joined(separator: ", ")))")
                + (flags.config.map { " from the job file \($0)" } ?? "")),
        ]
        print(checks[0].line)
        let found = await Preflight.run(settings.plan, options: Preflight.Options(
            notifyTest: notifyTest, metricsFile: settings.metricsFile, webhookSecret: settings.webhookSecret,
            metricsPush: settings.metricsPush), logger: logger)
        for check in found { print(check.line) }
        checks += found
        try finish(PreflightReport.outcome(checks), format: settings.logFormat)
    }
}

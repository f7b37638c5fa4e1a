import APClient
import APTransport
import ArgumentParser
import APModels
import Foundation
import JobSettings
import Logging
import Operations
import Reconciliation
import RunPipeline

extension LogFormat: ExpressibleByArgument {}

/// `run`'s operations flags: notification, metrics, log format, account selection.
struct OperationsOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "After the run, POST a signed reconciliation.completed event to URL (job key notify_url).",
        discussion: "A flag is visible to every user in the process list, and webhook URLs often carry a token: prefer $\(NotifySettings.variable), or a file holding only the URL named by $\(NotifySettings.fileVariable) or the job key notify_url_file (precedence: this flag, then the job file, then the environment). Signed with HMAC-SHA256 using $\(WebhookSecret.variable) (or the file $\(WebhookSecret.fileVariable) names), which must be set (else exit 78 before the run). Sent for failed runs too. Retried on 429/5xx/network failures; a delivery that still fails is logged and changes nothing unless --notify-required.",
        valueName: "url"))
    var notify: String?
    @Flag(help: "A notification that still fails after retries fails the run with exit 74, reports kept (job key notify_required; default: off).")
    var notifyRequired = false
    @Option(help: ArgumentHelp("Write Prometheus metrics (node_exporter textfile format) to PATH atomically after the run (job key metrics_file; name it *.prom).", valueName: "path"))
    var metricsFile: String?
    @Option(help: "Log format on stderr: text, or json (one JSON object per line) (job key log_format; default: text). A progress line is shown only with text on a terminal.")
    var logFormat: LogFormat?
    @Option(help: ArgumentHelp("Run only the job file's account NAME (job files with accounts; default: every account, one after another).", valueName: "name"))
    var account: String?
    @Option(help: ArgumentHelp("Run only the job file's account at 0-based index N, e.g. $(JOB_COMPLETION_INDEX) in a Kubernetes Indexed Job.", valueName: "n"))
    var accountIndex: Int?
}

extension RunCommand {
    /// Resolves every planned run (all settings, before anything starts), runs them, notifies,
    /// writes the metrics file and ends with the outcome line(s).
    func runWithOperations() async throws {
        let sources = SettingsSources(environment: ProcessInfo.processInfo.environment, now: Timestamp(Date()))
        let settings: InvocationSettings
        do throws(SettingsError) {
            settings = try SettingsResolver.resolve(flags, sources: sources)
        } catch {
            let format = SettingsResolver.logFormat(forErrorsOf: flags, sources: sources)
            _ = LogSetup.bootstrap(level: logLevel, format: format)
            return try finish(RunOutcome(status: error.status, headline: error.message), format: format)
        }
        let logger = LogSetup.bootstrap(level: logLevel, format: settings.logFormat)
        if settings.dryRun { return try await runDry(settings, logger: logger) }
        let plan = settings.plan

        let notifier = settings.webhookSecret.map { secret in
            Notifier(transport: CurlTransport(configuration: .job(caBundle: plan.first?.request.caBundlePath)), secret: secret, logger: logger)
        }
        // One stop for the whole invocation: every account, the notifier and the metrics write.
        let stop = StopRequest()
        let signals = StopSignals(feeding: stop)
        let finished = await Invocation.run(plan, notifier: notifier, logger: logger, stop: stop, metricsFile: settings.metricsFile) { request, account in
            var scoped = logger
            if let name = account?.name { scoped[metadataKey: "account"] = "\(name)" }
            let progress = ProgressDisplay.make(format: settings.logFormat, label: account?.name ?? "")
            defer { progress?.finish() }
            return await StatefulRun.run(request, logger: scoped, progress: progress?.callback, stop: stop)
        }
        signals.cancel()
        (notifier?.transport as? CurlTransport)?.shutdown()
        if let url = settings.metricsPush { await pushMetrics(finished, to: url, settings: settings, logger: logger) }
        try finish(finished, format: settings.logFormat)
    }
}

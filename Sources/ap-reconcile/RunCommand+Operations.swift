import APClient
import APTransport
import ArgumentParser
import Foundation
import Logging
import ReconcileJob

extension LogFormat: ExpressibleByArgument {}

/// `run`'s operations flags: notification, metrics, log format, account selection.
struct OperationsOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "After the run, POST a signed reconciliation.completed event to URL (job key notify_url).",
        discussion: "Signed with HMAC-SHA256 using $\(WebhookSignature.secretVariable) (or the file $\(WebhookSignature.secretFileVariable) names), which must be set (else exit 78 before the run). Sent for failed runs too. Retried on 429/5xx/network failures; a delivery that still fails is logged and changes nothing unless --notify-required.",
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
        let environment = ProcessInfo.processInfo.environment
        let job: JobFile
        do {
            job = try config.map { path throws(SettingsError) in try JobFile.load(path: path) } ?? JobFile()
        } catch {
            _ = LogSetup.bootstrap(level: logLevel, format: operations.logFormat ?? .text)
            return try finish(RunOutcome(status: error.status, headline: error.message))
        }
        let formatText = operations.logFormat?.rawValue ?? job.logFormat ?? LogFormat.text.rawValue
        let format = LogFormat(rawValue: formatText) ?? .text
        let logger = LogSetup.bootstrap(level: logLevel, format: format)
        let plan: [PlannedRun]
        let secret: String?
        do throws(SettingsError) {
            guard LogFormat(rawValue: formatText) != nil else {
                throw SettingsError(.configuration, "log_format \"\(formatText)\" must be text or json")
            }
            plan = try makePlan(job: job, environment: environment, now: Timestamp(Date()))
            secret = try webhookSecret(plan: plan, environment: environment)
        } catch {
            return try finish(RunOutcome(status: error.status, headline: error.message))
        }

        let notifier = secret.map { secret in
            var configuration = TransportConfiguration()
            configuration.caBundlePath = plan.first?.request.caBundlePath
            configuration.userAgent = "ap-reconcile/\(Pipeline.toolVersion)"
            return Notifier(transport: CurlTransport(configuration: configuration), secret: secret, logger: logger)
        }
        let finished = await AccountRunner.run(plan, notifier: notifier, logger: logger) { request, account in
            var scoped = logger
            if let name = account?.name { scoped[metadataKey: "account"] = "\(name)" }
            let progress = ProgressDisplay.make(format: format, label: account?.name ?? "")
            defer { progress?.finish() }
            return await StatefulRun.run(request, logger: scoped, progress: progress?.callback)
        }
        (notifier?.transport as? CurlTransport)?.shutdown()

        if let path = operations.metricsFile ?? job.metricsFile {
            do {
                try MetricsFile.update(path: path, runs: finished.map(\.metrics))
            } catch {
                // Monitoring must not turn a correct report into a failed run: the stale file's
                // last-run timestamp is what alerts on (docs/monitoring.md).
                logger.error("cannot write the metrics file", metadata: ["reason": "\(error.description)"])
            }
        }
        try finish(finished)
    }

    func makePlan(job: JobFile, environment: [String: String], now: Timestamp) throws(SettingsError) -> [PlannedRun] {
        let selected = try Account.select(job.accounts ?? [], name: operations.account, index: operations.accountIndex)
        if selected.count > 1, out != nil {
            throw SettingsError(.usage, "--out cannot be used when several accounts run: each account has its own out in the job file (or pick one with --account)")
        }
        let accounts: [Account?] = selected.isEmpty ? [nil] : selected
        var plan: [PlannedRun] = []
        for account in accounts {
            let request = try resolve(environment: environment, now: now, account: account)
            var notify: NotifySettings?
            if let url = operations.notify ?? account?.notifyURL ?? job.notifyURL {
                try NotifySettings.validate(url: url, what: operations.notify != nil ? "--notify" : "notify_url")
                notify = NotifySettings(url: url, required: operations.notifyRequired || (account?.notifyRequired ?? job.notifyRequired ?? false))
            }
            plan.append(PlannedRun(account: account, request: request, notify: notify))
        }
        return plan
    }

    /// The webhook secret, required as soon as one run notifies. Never echoed.
    func webhookSecret(plan: [PlannedRun], environment: [String: String]) throws(SettingsError) -> String? {
        guard plan.contains(where: { $0.notify != nil }) else { return nil }
        return try WebhookSignature.secret(environment: environment)
    }
}

/// The outcome lines of several runs: one per account, then the summary line naming each.
func finish(_ runs: [FinishedRun]) throws {
    guard runs.count > 1 || runs.first?.account != nil else {
        return try finish(runs.first?.outcome ?? RunOutcome(status: .usage, headline: "nothing to run"))
    }
    for run in runs {
        let o = run.outcome
        FileHandle.standardError.write(Data("ap-reconcile[\(run.account?.name ?? "default")]: \(o.word) (exit \(o.status.rawValue)): \(o.headline)\n".utf8))
    }
    let (status, line) = AccountRunner.summary(runs)
    FileHandle.standardError.write(Data((line + "\n").utf8))
    if status != .clean { throw ExitCode(status.rawValue) }
}

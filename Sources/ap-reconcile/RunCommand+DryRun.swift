import APTransport
import Foundation
import JobSettings
import Logging
import Operations
import RunPipeline

extension RunCommand {
    /// `--dry-run`: each planned run fetched and reconciled (`DryRun`), its summary on stdout;
    /// no webhook, no metrics file, no push, nothing published, no state touched.
    func runDry(_ settings: InvocationSettings, logger: Logger) async throws {
        logger.notice("dry run: nothing is published, no state is changed, no webhook is sent, no metrics are written")
        let finished = await AccountRunner.run(settings.plan, notifier: nil, logger: logger) { request, account in
            var scoped = logger
            if let name = account?.name { scoped[metadataKey: "account"] = "\(name)" }
            let progress = ProgressDisplay.make(format: settings.logFormat, label: account?.name ?? "")
            let outcome = await DryRun.run(request, logger: scoped, progress: progress?.callback)
            progress?.finish()
            if let result = outcome.result {
                let title = account.map { "Account \($0.name)\n" } ?? ""
                let summary = title + TerminalSummary.render(result, statistics: outcome.statistics, directory: nil, files: [])
                FileHandle.standardOutput.write(Data(summary.utf8))
            }
            return outcome
        }
        try finish(finished, format: settings.logFormat)
    }

    /// `--metrics-push`: the runs' metrics to the Pushgateway, through libcurl; failures logged.
    func pushMetrics(_ finished: [FinishedRun], to url: String, settings: InvocationSettings, logger: Logger) async {
        let transport = CurlTransport(configuration: .job(caBundle: settings.plan.first?.request.caBundlePath))
        await MetricsPush.send(finished.map(\.metrics), to: url, transport: transport, logger: logger)
        transport.shutdown()
    }
}

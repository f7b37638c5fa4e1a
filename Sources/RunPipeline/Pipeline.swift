import APClient
import APTransport
import Foundation
import JobSettings
import Logging
import Publishing
import Reconciliation
import Reports
import RunState
import Snapshots

/// How a run ended: the exit status, one line saying so in words, and what it produced.
public struct RunOutcome: Sendable {
    public var status: ExitStatus
    /// The last line the job prints on stderr.
    public var headline: String
    public var result: ReconciliationResult?
    public var statistics: RequestStatistics?
    /// Names of the files published into the output folder (empty when none was written).
    public var files: [String]
    /// Lowercase hex SHA-256 of each published file, by name (as manifest.json lists them).
    public var fileDigests: [String: String]
    /// The folder the reports were published into; nil when none was written.
    public var outputDirectory: String?
    /// The window the run covered (also on failure, once it was known).
    public var window: ReportWindow?
    /// new/open/resolved against the previous run of the same state; nil without state.
    public var openItems: OpenItems?
    /// SIGINT or SIGTERM stopped the run (the last line says STOPPED).
    public var stopped: Bool = false
    /// The diagnostics matched against `--acknowledgements`; `.none` without a file.
    public var acknowledgements: AcknowledgementReview = .none

    public init(status: ExitStatus, headline: String, result: ReconciliationResult? = nil,
                statistics: RequestStatistics? = nil, files: [String] = [], fileDigests: [String: String] = [:],
                outputDirectory: String? = nil, window: ReportWindow? = nil, openItems: OpenItems? = nil) {
        self.status = status
        self.headline = headline
        self.result = result
        self.statistics = statistics
        self.files = files
        self.fileDigests = fileDigests
        self.outputDirectory = outputDirectory
        self.window = window
        self.openItems = openItems
    }
}

public enum Pipeline {
    /// fetch → reconcile → render → publish. Never throws: every failure becomes an outcome
    /// with its exit status, and nothing is published unless every stage before succeeded.
    /// `hooks` (StatefulRun) adds open items and chooses the folder; the default is a run without state.
    public static func run(_ request: RunRequest, logger: Logger, transport injected: (any HTTPTransport)? = nil,
                           progress: (@Sendable (FetchProgress) -> Void)? = nil, hooks: RunHooks = .plain) async -> RunOutcome {
        let curl = injected == nil ? makeTransport(for: request) : nil
        defer { curl?.shutdown() }
        guard let transport: any HTTPTransport = injected ?? curl else {
            return RunOutcome(status: .configuration, headline: "no transport", files: [])
        }

        // --record: the client talks through a recorder and never knows it.
        let recorder = request.snapshot == .record ? RecordingTransport(wrapping: transport, baseURL: request.baseURL) : nil
        let client: APIClient
        switch makeClient(for: request, transport: recorder ?? transport, logger: logger) {
        case .success(let made): client = made
        case .failure(let outcome): return outcome.run
        }

        // 1. fetch, 2. reconcile
        let result: ReconciliationResult
        let bankLog = recorder == nil || request.bank == nil ? nil : BankFileLog()
        switch await fetchAndReconcile(request, client: client, logger: logger, progress: progress, bankLog: bankLog) {
        case .reconciled(let reconciled): result = reconciled
        case .failed(let outcome): return outcome
        }
        let statistics = client.statistics

        // Acknowledgements are matched after the engine, as of the run's clock: the engine's
        // findings never depend on them, only what counts toward --fail-on does.
        let review = reviewAcknowledgements(result, request: request, logger: logger)

        // 3. what to render (pure); the rendering itself happens as the files are published
        let snapshot = recorder.map {
            Snapshot.build($0.exchanges, for: request, toolVersion: ToolVersion.current, previousOpenItems: hooks.previousOpenItems,
                           bankFiles: bankLog?.recorded ?? [])
        }
        var run = RunInfo(
            toolVersion: ToolVersion.current, baseURL: request.baseURL, window: request.window, asOf: request.asOf,
            requestsByEndpoint: statistics.requestsByEndpoint, retriesByEndpoint: statistics.retriesByEndpoint,
            failOn: request.failOn, openItems: hooks.openItems(result),
            snapshotDigest: snapshot?.digest ?? request.snapshot.replayedDigest)
        run.acknowledgements = review
        run.acknowledgementsDigest = request.acknowledgements.map { Manifest.sha256Hex($0.bytes) }
        let publication = ReportFiles.publication(result, run: run, adding: snapshot?.files ?? [])

        // 4. render into the staging folder and publish (the only disk writes).
        // The snapshot goes with the reports, in the same staging folder.
        if Task.isCancelled {
            return failure(.temporaryFailure, "no report written: the run was stopped", logger: logger, statistics: statistics)
        }
        let published: PublishedRun
        do throws(PublishError) {
            published = try hooks.publish(publication, request)
        } catch {
            if Task.isCancelled {
                return failure(.temporaryFailure, "no report written: the run was stopped", logger: logger, statistics: statistics)
            }
            return failure(.cannotWrite, "no report written: \(error.description)", logger: logger, statistics: statistics)
        }

        let status = exitStatus(for: result, failOn: request.failOn, review: review)
        let counts = result.summary.diagnosticsBySeverity
        let headline = "reconciled \(result.summary.payoutCount) payouts, \(result.summary.lineCount) lines "
            + "(\(request.window.since.rfc3339) .. \(request.window.until.rfc3339)): "
            + "\(counts[.error] ?? 0) errors, \(counts[.warning] ?? 0) warnings, \(counts[.info] ?? 0) info; "
            + "reports in \(published.folder)"
        logger.info("run complete", metadata: ["exit": "\(status.rawValue)", "requests": "\(statistics.totalRequests)"])
        let reports = published.files.filter { $0.folder == nil }.map(\.file)
        var digests: [String: String] = [:]
        for file in reports { digests[file.name] = file.sha256 }
        var names = reports.map(\.name)
        if let snapshot {
            names.append(Manifest.snapshotIndexPath)
            digests[Manifest.snapshotIndexPath] = snapshot.digest
        }
        var outcome = RunOutcome(status: status, headline: headline, result: result, statistics: statistics, files: names,
                                 fileDigests: digests, outputDirectory: published.folder, window: request.window, openItems: run.openItems)
        outcome.acknowledgements = review
        return outcome
    }

    /// Stages 1 and 2 or how they failed.
    public enum Reconciled: Sendable {
        case reconciled(ReconciliationResult)
        case failed(RunOutcome)
    }

    /// 1. fetch through `client`; 2. reconcile (pure). The input is handed over, so the engine
    /// drops each part of it once read instead of holding it beside the result (docs/performance.md).
    /// A failure is the run's outcome, saying that no report was written.
    public static func fetchAndReconcile(_ request: RunRequest, client: APIClient, logger: Logger,
                                         progress: (@Sendable (FetchProgress) -> Void)?, bankLog: BankFileLog? = nil) async -> Reconciled {
        let input: ReconciliationInput
        do {
            var fetched = try await Fetcher(client: client, logger: logger, concurrency: request.concurrency,
                                            invoicePlan: InvoiceFetchPlan(mode: request.invoiceFetch), progress: progress)
                .fetch(window: request.window, expectedPaymentRequestIDs: request.expectedPaymentRequestIDs)
            // The statements are read after the fetch, so a run the API fails reads no bank file.
            fetched.bank = request.bank.map { BankLoading.input($0, log: bankLog) }
            input = fetched
        } catch let error as APIError {
            return .failed(failure(ExitStatus(error), "no report written: \(error.description)", logger: logger, statistics: client.statistics))
        } catch is CancellationError {
            return .failed(failure(.temporaryFailure, "no report written: the run was stopped", logger: logger, statistics: client.statistics))
        } catch {
            return .failed(failure(.unavailable, "no report written: \(error)", logger: logger, statistics: client.statistics))
        }
        return .reconciled(reconcile(consume input))
    }

    /// A failed run's outcome, as an `Error` so it can travel in a `Result`.
    public struct FailedRun: Error, Sendable {
        public var run: RunOutcome
    }

    /// The API client of a run over `transport`; a bad base URL or credentials is the run's outcome.
    static func makeClient(for request: RunRequest, transport: any HTTPTransport, logger: Logger) -> Result<APIClient, FailedRun> {
        do {
            let configuration = try APIClientConfiguration(baseURL: request.baseURL, credentials: request.credentials,
                                                           pageSize: request.pageSize, retryPolicy: request.retryPolicy, userAgent: ToolVersion.userAgent)
            return .success(APIClient(configuration: configuration, transport: transport, logger: logger))
        } catch let error as APIError {
            return .failure(FailedRun(run: failure(ExitStatus(error), "configuration error: \(error.description)", logger: logger)))
        } catch {
            return .failure(FailedRun(run: failure(.configuration, "configuration error: \(error)", logger: logger)))
        }
    }

    /// The libcurl transport a run uses: `concurrency` transfers in flight, the CA bundle, our user agent.
    public static func makeTransport(for request: RunRequest) -> CurlTransport {
        var configuration = TransportConfiguration.job(caBundle: request.caBundlePath)
        configuration.maxConcurrentRequests = request.concurrency
        return CurlTransport(configuration: configuration)
    }

    /// 1 when an open (not acknowledged) diagnostic is at or above `failOn`, else 0.
    public static func exitStatus(for result: ReconciliationResult, failOn: FailOn,
                                  review: AcknowledgementReview = .none) -> ExitStatus {
        failOn.isTripped(by: result.diagnostics, review: review) ? .diagnosticsFound : .clean
    }

    /// The run's acknowledgements matched against its diagnostics as of its clock, stale ones
    /// logged: the same review for a real run and a dry run, so both exit alike.
    static func reviewAcknowledgements(_ result: ReconciliationResult, request: RunRequest, logger: Logger) -> AcknowledgementReview {
        let review = request.acknowledgements?.acknowledgements.review(result.diagnostics, asOf: request.asOf) ?? .none
        logStale(review, path: request.acknowledgements?.path, logger: logger)
        return review
    }

    /// A stale acknowledgement is a warning, never a failure: the file wants tidying, the run is fine.
    static func logStale(_ review: AcknowledgementReview, path: String?, logger: Logger) {
        for stale in review.stale {
            logger.warning("stale acknowledgement", metadata: [
                "file": "\(path ?? "")", "fingerprint": "\(stale.acknowledgement.fingerprint)", "why": "\(stale.reason.rawValue)",
            ])
        }
    }

    static func failure(_ status: ExitStatus, _ headline: String, logger: Logger, statistics: RequestStatistics? = nil) -> RunOutcome {
        logger.error("run failed", metadata: ["exit": "\(status.rawValue)", "reason": "\(headline)"])
        return RunOutcome(status: status, headline: headline, result: nil, statistics: statistics, files: [])
    }
}

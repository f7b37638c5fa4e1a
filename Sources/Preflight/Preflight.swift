import APClient
import APModels
import APTransport
import Foundation
import JobSettings
import Logging
import Operations
import Synchronization

/// `ap-reconcile check`: everything a night's run needs that can be known without running it,
/// for each planned run (account) — a token, read access to each endpoint family the fetch
/// uses, the folders it writes, the webhook, the clock. Reads only: the probes are one page of
/// one record, or a lookup of an id that does not exist; nothing is written to the reports or
/// the state (probe files are created and removed at once).
public enum Preflight {
    /// The id the payment-request probe looks up: no real request has it, so the API answers 404
    /// when the client may read payment requests, and 403 when it may not.
    public static let absentPaymentRequestID = "pr_ap_reconcile_check_absent"

    public struct Options: Sendable {
        /// `--notify-test`: send a signed `reconciliation.test` event to each run's webhook.
        public var notifyTest: Bool
        public var metricsFile: String?
        public var webhookSecret: String?
        /// `--metrics-push`: the Pushgateway's base URL.
        public var metricsPush: String?
        public init(notifyTest: Bool = false, metricsFile: String? = nil, webhookSecret: String? = nil, metricsPush: String? = nil) {
            self.notifyTest = notifyTest
            self.metricsFile = metricsFile
            self.webhookSecret = webhookSecret
            self.metricsPush = metricsPush
        }
    }

    /// The checks of every planned run, in order, then the invocation-wide ones.
    public static func run(_ plan: [PlannedRun], options: Options, logger: Logger,
                           now: @escaping @Sendable () -> Date = { Date() }) async -> [PreflightCheck] {
        var checks: [PreflightCheck] = []
        for planned in plan {
            var scoped = logger
            if let name = planned.account?.name { scoped[metadataKey: "account"] = "\(name)" }
            var own = await api(planned.request, logger: scoped, now: now)
            own.append(FolderCheck.output(planned.request.outputDirectory))
            if let state = planned.request.state { own += FolderCheck.state(state.directory) }
            own += await webhook(planned, options: options, logger: scoped, now: now)
            checks += own.map { check in
                var check = check
                check.account = planned.account?.name
                return check
            }
        }
        if let path = options.metricsFile { checks.append(FolderCheck.metricsFile(path)) }
        if let url = options.metricsPush { checks.append(await pushgateway(url, caBundle: plan.first?.request.caBundlePath)) }
        return checks
    }

    /// Whether the Pushgateway answers its readiness endpoint (`GET URL/-/ready`). Only a
    /// warning when not: a failed push never fails a run either.
    static func pushgateway(_ url: String, caBundle: String?) async -> PreflightCheck {
        let transport = CurlTransport(configuration: .job(caBundle: caBundle))
        defer { transport.shutdown() }
        var root = url
        while root.hasSuffix("/") { root.removeLast() }
        let target = NotifySettings.redacted(url)
        do {
            let response = try await transport.send(HTTPRequest(url: root + "/-/ready", timeout: .seconds(10)))
            guard (200..<300).contains(response.status) else {
                return .warn("metrics push", "\(target) answered HTTP \(response.status) to GET /-/ready: is it a Pushgateway? (a failed push is logged and never fails a run)")
            }
            return .ok("metrics push", "the Pushgateway at \(target) is ready")
        } catch {
            return .warn("metrics push", "cannot reach \(target): \(error.kind.rawValue): \(error.detail) (a failed push is logged and never fails a run)")
        }
    }

    /// The token, one cheap call per endpoint family, and the clock against the API's `Date`.
    static func api(_ request: RunRequest, logger: Logger, now: @escaping @Sendable () -> Date) async -> [PreflightCheck] {
        let client: APIClient
        let transport = CurlTransport(configuration: .job(caBundle: request.caBundlePath))
        defer { transport.shutdown() }
        let lastDate = LastDate()
        do {
            let settings = try APIClientConfiguration(baseURL: request.baseURL, credentials: request.credentials, pageSize: 1,
                                                      retryPolicy: request.retryPolicy, userAgent: ToolVersion.userAgent)
            client = APIClient(configuration: settings, transport: transport, logger: logger,
                               responseObserver: { response in
                                   if let date = response.headers["Date"] { lastDate.value.withLock { $0 = date } }
                               })
        } catch let error as APIError {
            return [.fail("base URL", error.description, ExitStatus(error))]
        } catch {
            return [.fail("base URL", "\(error)", .configuration)]
        }

        do {
            try await client.authenticate()
        } catch let error as APIError {
            return [.fail("token", error.description, ExitStatus(error))]
        } catch {
            return [.fail("token", "the check was stopped", .temporaryFailure)]
        }
        var checks: [PreflightCheck] = [.ok("token", "the API issued a token for these credentials")]
        for (what, call) in probes {
            checks.append(await probe(what) { try await call(client) })
        }
        checks.append(ClockSkew.check(dateHeader: lastDate.value.withLock { $0 }, local: now()))
        return checks
    }

    /// Each endpoint family the fetch uses, called as cheaply as it can be: the first page of
    /// one record, or a lookup of an id that does not exist. Each returns what it found.
    static let probes: [(String, @Sendable (APIClient) async throws -> String)] = [
        ("GET /payouts", { client in var pages = client.payouts().pages(); _ = try await pages.next(); return "readable" }),
        ("GET /invoices", { client in var pages = client.invoices().pages(); _ = try await pages.next(); return "readable" }),
        ("GET /payments", { client in var pages = client.payments().pages(); _ = try await pages.next(); return "readable" }),
        ("GET /payments/request/{id}", { client in
            do {
                _ = try await client.paymentRequest(id: absentPaymentRequestID)
                return "readable"
            } catch let error as APIError where error.kind == .notFound {
                return "readable (a made-up id answered 404, as it should)"
            }
        }),
    ]

    static func probe(_ what: String, _ call: () async throws -> String) async -> PreflightCheck {
        do {
            return .ok(what, try await call())
        } catch let error as APIError where error.kind == .permission {
            return .fail(what, "HTTP 403: these credentials may not read \(what); ask the account administrator to grant the client read access to it",
                         .permissionDenied)
        } catch let error as APIError {
            return .fail(what, error.description, ExitStatus(error))
        } catch {
            return .fail(what, "the check was stopped", .temporaryFailure)
        }
    }

    /// The webhook of a run that notifies: the secret is there (settings refuse to resolve
    /// without it), and with `--notify-test` a signed `reconciliation.test` event is delivered.
    static func webhook(_ planned: PlannedRun, options: Options, logger: Logger,
                        now: @escaping @Sendable () -> Date) async -> [PreflightCheck] {
        guard let notify = planned.notify else {
            return options.notifyTest ? [.warn("webhook", "--notify-test, but no --notify / notify_url is set: nothing to test")] : []
        }
        let target = NotifySettings.redacted(notify.url)
        guard let secret = options.webhookSecret else {
            return [.fail("webhook", "no signing secret in \(WebhookSecret.variable) or \(WebhookSecret.fileVariable)", .configuration)]
        }
        guard options.notifyTest else {
            return [.ok("webhook", "signing secret present; \(target) not contacted (--notify-test sends a signed \(NotificationEvent.testType) event)")]
        }
        let transport = CurlTransport(configuration: .job(caBundle: planned.request.caBundlePath))
        defer { transport.shutdown() }
        // Two attempts, briefly apart: a check should answer in seconds, not wait out a receiver.
        let notifier = Notifier(transport: transport, secret: secret,
                                retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .seconds(1), maxDelay: .seconds(2), budget: .seconds(10)),
                                logger: logger, now: now)
        let event = NotificationEvent.test(createdAt: Timestamp(epochSeconds: Int64(now().timeIntervalSince1970.rounded(.down))),
                                           account: planned.account?.name)
        switch await notifier.send(event, to: notify.url) {
        case .delivered(let attempts, let status):
            return [.ok("webhook", "signed \(NotificationEvent.testType) event delivered to \(target) (HTTP \(status), \(attempts) attempt(s))")]
        case .failed(let attempts, let reason):
            return [.fail("webhook", "\(NotificationEvent.testType) event to \(target) failed after \(attempts) attempt(s): \(reason)", .notificationFailed)]
        }
    }
}

/// The `Date` header of the latest API response, filled in by the client's response observer.
private final class LastDate: Sendable {
    let value = Mutex<String?>(nil)
}

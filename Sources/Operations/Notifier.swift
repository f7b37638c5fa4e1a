import APClient
import APModels
import APTransport
import Foundation
import JobSettings
import Logging
import RunPipeline

/// What happened to one notification.
public enum NotifyResult: Sendable, Equatable {
    case delivered(attempts: Int, status: Int)
    case failed(attempts: Int, reason: String)
}

/// POSTs a signed `NotificationEvent`, retrying 429/5xx/network failures with the client's
/// backoff policy. Safe to retry a POST here: the event id stays the same, so a receiver that
/// remembers ids sees the same event, not a new one. Each attempt is signed afresh, so a slow
/// retry still falls inside the receiver's timestamp tolerance.
public struct Notifier: Sendable {
    public var transport: any HTTPTransport
    public var secret: String
    public var retryPolicy: RetryPolicy
    public var logger: Logger
    public var now: @Sendable () -> Date
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(transport: any HTTPTransport, secret: String,
                retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(30), budget: .seconds(120)),
                logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.transport = transport
        self.secret = secret
        self.retryPolicy = retryPolicy
        self.logger = logger
        self.now = now
        self.sleep = sleep
    }

    public func send(_ event: NotificationEvent, to url: String) async -> NotifyResult {
        let body = event.body
        let started = ContinuousClock.now
        var attempt = 0
        let target = NotifySettings.redacted(url)
        while true {
            attempt += 1
            let timestamp = Int64(now().timeIntervalSince1970.rounded(.down))
            let request = HTTPRequest(method: .post, url: url, headers: [
                HTTPHeader("Content-Type", "application/json"),
                HTTPHeader(WebhookSignature.headerName, WebhookSignature.sign(body: body, timestamp: timestamp, secret: secret)),
                HTTPHeader("AP-Recon-Event-Id", event.id),
            ], body: Data(body), timeout: .seconds(30))
            let outcome: RetryPolicy.Outcome
            var reason: String
            do {
                let response = try await transport.send(request)
                if (200..<300).contains(response.status) {
                    logger.info("notification delivered", metadata: ["url": "\(target)", "event": "\(event.id)", "status": "\(response.status)", "attempts": "\(attempt)"])
                    return .delivered(attempts: attempt, status: response.status)
                }
                outcome = .status(response.status, retryAfter: response.retryAfter)
                reason = "HTTP \(response.status)"
            } catch {
                outcome = .transport(error)
                reason = "\(error.kind.rawValue): \(error.detail)"
            }
            // A stop (SIGINT/SIGTERM) cancels the task: no further attempt, whatever the policy says.
            if Task.isCancelled {
                return fail(attempt, "\(reason); stopped, not retried", target: target, event: event)
            }
            let decision = retryPolicy.decide(attempt: attempt, outcome: outcome, idempotent: true,
                                              elapsed: ContinuousClock.now - started, now: now(), random: { Double.random(in: 0...1) })
            switch decision {
            case .retry(let wait):
                logger.warning("notification attempt failed; retrying", metadata: ["url": "\(target)", "attempt": "\(attempt)", "reason": "\(reason)"])
                do { try await sleep(wait) } catch {
                    return fail(attempt, "\(reason); stopped while waiting to retry", target: target, event: event)
                }
            case .giveUp(let why):
                return fail(attempt, "\(reason) (\(why))", target: target, event: event)
            }
        }
    }

    private func fail(_ attempts: Int, _ reason: String, target: String, event: NotificationEvent) -> NotifyResult {
        logger.error("notification failed", metadata: ["url": "\(target)", "event": "\(event.id)", "attempts": "\(attempts)", "reason": "\(reason)"])
        return .failed(attempts: attempts, reason: reason)
    }

    /// Sends the event of `outcome` and folds the result into it: a failed delivery adds a
    /// sentence to the headline and, when `settings.required`, turns a complete run into exit 74.
    public func notify(_ outcome: RunOutcome, account: String?, settings: NotifySettings) async -> RunOutcome {
        let event = NotificationEvent(createdAt: Timestamp(epochSeconds: Int64(now().timeIntervalSince1970.rounded(.down))), account: account, outcome: outcome)
        switch await send(event, to: settings.url) {
        case .delivered:
            return outcome
        case .failed(let attempts, let reason):
            var changed = outcome
            changed.headline += "; notification to \(NotifySettings.redacted(settings.url)) failed after \(attempts) attempt(s): \(reason)"
            if settings.required && outcome.status.severityRank < ExitStatus.notificationFailed.severityRank {
                changed.status = .notificationFailed
            }
            return changed
        }
    }
}

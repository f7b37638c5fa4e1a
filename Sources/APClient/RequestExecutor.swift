import APTransport
import Foundation
import Logging

/// Sends one logical request with the retry policy: the HTTP layer below the client's auth
/// and error mapping. A value with no back references, so the token fetch can hold it.
struct RequestExecutor: Sendable {
    let transport: any HTTPTransport
    let baseURL: String
    let userAgent: String
    let policy: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    let logger: Logger
    let statistics: StatisticsRecorder

    /// The final response (2xx, or the last failing one once retries end) and the attempts made.
    struct Result: Sendable {
        var response: HTTPResponse
        var attempts: Int
    }

    /// Sends until a response the policy does not retry. Throws `APIError` for transport
    /// failures that outlast the policy, `CancellationError` when cancelled.
    func send(_ endpoint: Endpoint, method: HTTPMethod = .get, headers: [HTTPHeader], body: Data? = nil,
              isTokenRequest: Bool = false) async throws -> Result {
        let target = endpoint.pathAndQuery
        let request = HTTPRequest(method: method, url: baseURL + target,
                                  headers: headers + [HTTPHeader("User-Agent", userAgent), HTTPHeader("Accept", "application/json")],
                                  body: body)
        let started = now()
        var attempt = 0
        while true {
            try Task.checkCancellation()
            attempt += 1
            statistics.update {
                if isTokenRequest { $0.tokenRequests += 1 } else { $0.requestsByEndpoint[endpoint.template, default: 0] += 1 }
            }
            let clock = ContinuousClock()
            let sentAt = clock.now
            let outcome: RetryPolicy.Outcome
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch {
                if error.kind == .cancelled { throw CancellationError() }
                logger.debug("request failed", metadata: [
                    "method": "\(method.rawValue)", "path": "\(target)", "attempt": "\(attempt)",
                    "ms": "\(Self.milliseconds(clock.now - sentAt))", "error": "\(error.kind.rawValue)",
                ])
                let decision = decide(attempt: attempt, outcome: .transport(error), started: started)
                guard case .retry(let wait) = decision else {
                    throw Self.transportFailure(error, endpoint: endpoint, attempts: attempt, decision: decision)
                }
                try await retry(after: wait, endpoint: endpoint, attempt: attempt, why: error.kind.rawValue)
                continue
            }
            statistics.update { $0.connectionsOpened += response.connectionsOpened }
            logger.debug("request", metadata: [
                "method": "\(method.rawValue)", "path": "\(target)", "status": "\(response.status)",
                "attempt": "\(attempt)", "ms": "\(Self.milliseconds(clock.now - sentAt))",
            ])
            outcome = .status(response.status, retryAfter: response.retryAfter)
            guard RetryPolicy.isRetryable(outcome) else { return Result(response: response, attempts: attempt) }
            guard case .retry(let wait) = decide(attempt: attempt, outcome: outcome, started: started) else {
                return Result(response: response, attempts: attempt)
            }
            try await retry(after: wait, endpoint: endpoint, attempt: attempt, why: "HTTP \(response.status)")
        }
    }

    private func decide(attempt: Int, outcome: RetryPolicy.Outcome, started: Date) -> RetryPolicy.Decision {
        let current = now()
        let elapsed = Duration.milliseconds(Int64(max(0, current.timeIntervalSince(started)) * 1000))
        // Only GETs and the token request reach here; the client sends nothing else.
        return policy.decide(attempt: attempt, outcome: outcome, idempotent: true, elapsed: elapsed, now: current, random: random)
    }

    private func retry(after wait: Duration, endpoint: Endpoint, attempt: Int, why: String) async throws {
        statistics.update { $0.retriesByEndpoint[endpoint.template, default: 0] += 1 }
        logger.warning("retrying", metadata: [
            "endpoint": "\(endpoint.template)", "attempt": "\(attempt)", "reason": "\(why)",
            "wait_ms": "\(Self.milliseconds(wait))",
        ])
        try await sleep(wait)
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }

    static func transportFailure(_ error: TransportError, endpoint: Endpoint, attempts: Int,
                                 decision: RetryPolicy.Decision) -> APIError {
        let kind: APIError.Kind
        let hint: String
        switch error.kind {
        case .timeout, .connectionRefused, .connectionReset, .truncatedBody, .other, .cancelled:
            kind = .unavailable
            hint = "the API could not be reached; check the network and the base URL, or run again later"
        case .dnsFailure:
            kind = .unavailable
            hint = "the API's host name did not resolve; check the base URL and DNS"
        case .tls:
            kind = .unavailable
            hint = "TLS verification failed; if a proxy re-signs traffic, pass its CA bundle with --ca-bundle (verification cannot be turned off)"
        case .bodyTooLarge:
            kind = .protocolViolation
            hint = "the reply exceeded the body size cap; lower the page size or raise the cap"
        case .invalidRequest:
            kind = .configuration
            hint = "the request could not be built; check the base URL"
        }
        var detail = "the request failed (\(error.kind.rawValue))"
        if case .giveUp(let reason) = decision, reason != .notRetryable { detail += "; \(reason)" }
        return APIError(kind: kind, endpoint: endpoint.template, path: endpoint.pathAndQuery, attempts: attempts,
                        transportError: error.description, detail: detail, hint: hint)
    }
}

import APClient
import APTransport
import Foundation
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func decide(_ outcome: RetryPolicy.Outcome, attempt: Int = 1, elapsed: Duration = .zero, random: Double = 0.5,
                idempotent: Bool = true) -> RetryPolicy.Decision {
        policy.decide(attempt: attempt, outcome: outcome, idempotent: idempotent, elapsed: elapsed, now: now, random: { random })
    }

    @Test(arguments: [429, 500, 502, 503, 504])
    func retryableStatuses(status: Int) {
        #expect(decide(.status(status, retryAfter: nil), random: 1) == .retry(after: .milliseconds(500)))
    }

    @Test(arguments: [400, 401, 403, 404, 409, 422, 501, 505])
    func otherStatusesAreNotRetried(status: Int) {
        #expect(decide(.status(status, retryAfter: nil)) == .giveUp(.notRetryable))
    }

    @Test(arguments: [TransportError.Kind.timeout, .connectionRefused, .connectionReset, .truncatedBody])
    func transientTransportFailuresAreRetried(kind: TransportError.Kind) {
        let error = TransportError(kind: kind, detail: "x", request: "GET /payouts")
        #expect(decide(.transport(error), random: 1) == .retry(after: .milliseconds(500)))
    }

    @Test(arguments: [TransportError.Kind.dnsFailure, .tls, .bodyTooLarge, .invalidRequest, .cancelled, .other])
    func permanentTransportFailuresAreNotRetried(kind: TransportError.Kind) {
        let error = TransportError(kind: kind, detail: "x", request: "GET /payouts")
        #expect(decide(.transport(error)) == .giveUp(.notRetryable))
    }

    @Test func nonIdempotentRequestsAreSentOnce() {
        #expect(decide(.status(503, retryAfter: nil), idempotent: false) == .giveUp(.notIdempotent))
    }

    @Test func fullJitterSpansZeroToTheExponentialCap() {
        // attempt 3: cap = 500 ms · 2² = 2 s
        #expect(decide(.status(503, retryAfter: nil), attempt: 3, random: 0) == .retry(after: .zero))
        #expect(decide(.status(503, retryAfter: nil), attempt: 3, random: 0.5) == .retry(after: .seconds(1)))
        #expect(decide(.status(503, retryAfter: nil), attempt: 3, random: 1) == .retry(after: .seconds(2)))
    }

    @Test func backoffCapGrowsThenStopsAtMaxDelay() {
        #expect(policy.backoffCap(attempt: 1) == .milliseconds(500))
        #expect(policy.backoffCap(attempt: 2) == .seconds(1))
        #expect(policy.backoffCap(attempt: 7) == .seconds(30)) // 32 s capped
        #expect(policy.backoffCap(attempt: 10_000) == .seconds(30)) // no overflow
    }

    @Test func retryAfterSecondsIsAFloorOnTheWait() {
        #expect(decide(.status(429, retryAfter: .seconds(7)), random: 0) == .retry(after: .seconds(7)))
        // a jittered wait longer than Retry-After is kept
        #expect(decide(.status(429, retryAfter: .seconds(1)), attempt: 5, random: 1) == .retry(after: .seconds(8)))
    }

    @Test func retryAfterIsClampedToMaxRetryAfter() {
        #expect(decide(.status(503, retryAfter: .seconds(3600)), random: 0) == .retry(after: .seconds(60)))
    }

    @Test func retryAfterDateIsMeasuredFromNow() {
        let at = now.addingTimeInterval(20)
        #expect(decide(.status(503, retryAfter: .date(at)), random: 0) == .retry(after: .seconds(20)))
        let past = now.addingTimeInterval(-20)
        #expect(decide(.status(503, retryAfter: .date(past)), random: 0) == .retry(after: .zero))
    }

    @Test func givesUpAfterMaxAttempts() {
        #expect(decide(.status(503, retryAfter: nil), attempt: 5, random: 0) == .retry(after: .zero))
        #expect(decide(.status(503, retryAfter: nil), attempt: 6, random: 0) == .giveUp(.attemptsExhausted(6)))
    }

    @Test func givesUpWhenTheNextWaitWouldExceedTheBudget() {
        // cap at attempt 3 is 2 s; 119 s + 2 s > 120 s
        #expect(decide(.status(503, retryAfter: nil), attempt: 3, elapsed: .seconds(119), random: 1)
            == .giveUp(.budgetExhausted(.seconds(120))))
        #expect(decide(.status(503, retryAfter: nil), attempt: 3, elapsed: .seconds(118), random: 1) == .retry(after: .seconds(2)))
        // a Retry-After that does not fit the budget ends it too
        #expect(decide(.status(429, retryAfter: .seconds(30)), elapsed: .seconds(100), random: 0)
            == .giveUp(.budgetExhausted(.seconds(120))))
    }

    @Test func randomOutsideTheUnitIntervalIsClamped() {
        #expect(decide(.status(503, retryAfter: nil), random: 7) == .retry(after: .milliseconds(500)))
        #expect(decide(.status(503, retryAfter: nil), random: -1) == .retry(after: .zero))
    }
}

@Suite struct TokenLifetimeTests {
    @Test func longTokensUseTheConfiguredMargin() {
        #expect(TokenLifetime.margin(expiresIn: .seconds(3600), configuredMargin: .seconds(30)) == .seconds(30))
        #expect(TokenLifetime.usable(expiresIn: .seconds(3600), configuredMargin: .seconds(30)) == .seconds(3570))
    }

    @Test func shortTokensUseATenthOfTheirLife() {
        #expect(TokenLifetime.margin(expiresIn: .seconds(2), configuredMargin: .seconds(30)) == .milliseconds(200))
        #expect(TokenLifetime.usable(expiresIn: .seconds(2), configuredMargin: .seconds(30)) == .milliseconds(1800))
        #expect(TokenLifetime.usable(expiresIn: .seconds(100), configuredMargin: .seconds(30)) == .seconds(90))
    }

    @Test func zeroMarginUsesTheWholeLife() {
        #expect(TokenLifetime.usable(expiresIn: .seconds(60), configuredMargin: .zero) == .seconds(60))
    }
}

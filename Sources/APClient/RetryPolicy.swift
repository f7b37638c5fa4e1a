import APTransport
import Foundation

/// Decides whether a failed attempt is retried and how long to wait first. A pure value:
/// it performs no I/O and takes the time and the random source as inputs, so every
/// decision can be tested directly.
///
/// ## Formula
/// After attempt `n` (1-based) failed retryably:
///
///     cap    = min(maxDelay, baseDelay · 2^(n-1))
///     wait   = random(0...cap)                       // "full jitter"
///     wait   = max(wait, min(retryAfter, maxRetryAfter))   // when the server sent Retry-After
///
/// The policy gives up when `n >= maxAttempts`, or when `elapsed + wait > budget` (a dead API
/// then fails the run in bounded time instead of sleeping past the budget).
///
/// Retryable: HTTP 429, 500, 502, 503, 504 and transient transport failures (timeout, reset,
/// refused, truncated body) — only for idempotent requests (GETs and the token request).
/// Every other status, in particular other 4xx, is never retried.
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts including the first.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A longer Retry-After is shortened to this.
    public var maxRetryAfter: Duration
    /// Time from the first attempt after which no further wait is started.
    public var budget: Duration

    /// The defaults `--max-attempts` and `--retry-budget` name in their help.
    public static let defaultMaxAttempts = 6
    public static let defaultBudgetSeconds = 120

    public init(maxAttempts: Int = RetryPolicy.defaultMaxAttempts, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
                maxRetryAfter: Duration = .seconds(60), budget: Duration = .seconds(Int64(RetryPolicy.defaultBudgetSeconds))) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.budget = budget
    }

    /// What an attempt ended with.
    public enum Outcome: Sendable, Hashable {
        case status(Int, retryAfter: RetryAfter?)
        case transport(TransportError)
    }

    public enum GiveUpReason: Sendable, Hashable, CustomStringConvertible {
        /// The status or failure is not one a retry can fix.
        case notRetryable
        /// The request is not idempotent, so it is sent once.
        case notIdempotent
        case attemptsExhausted(Int)
        /// The next wait would end past the budget.
        case budgetExhausted(Duration)

        public var description: String {
            switch self {
            case .notRetryable: "not retryable"
            case .notIdempotent: "request is not idempotent"
            case .attemptsExhausted(let n): "gave up after \(n) attempts"
            case .budgetExhausted(let b): "retry time budget of \(RetryPolicy.seconds(b)) exhausted"
            }
        }
    }

    public enum Decision: Sendable, Hashable {
        case retry(after: Duration)
        case giveUp(GiveUpReason)
    }

    /// - Parameters:
    ///   - attempt: the attempt that just failed, 1 for the first.
    ///   - idempotent: true for GETs and the token request.
    ///   - elapsed: time since the first attempt started.
    ///   - now: wall clock, to measure an HTTP-date Retry-After.
    ///   - random: returns a uniformly distributed value in `0...1`.
    public func decide(attempt: Int, outcome: Outcome, idempotent: Bool, elapsed: Duration, now: Date,
                       random: () -> Double) -> Decision {
        guard Self.isRetryable(outcome) else { return .giveUp(.notRetryable) }
        guard idempotent else { return .giveUp(.notIdempotent) }
        guard attempt < maxAttempts else { return .giveUp(.attemptsExhausted(attempt)) }
        var wait = backoffCap(attempt: attempt) * min(1, max(0, random()))
        if case .status(_, let retryAfter?) = outcome {
            wait = max(wait, min(retryAfter.delay(now: now), maxRetryAfter))
        }
        guard elapsed + wait <= budget else { return .giveUp(.budgetExhausted(budget)) }
        return .retry(after: wait)
    }

    /// `min(maxDelay, baseDelay · 2^(attempt-1))`, without overflowing for large attempts.
    public func backoffCap(attempt: Int) -> Duration {
        var cap = baseDelay
        var n = 1
        while n < attempt, cap < maxDelay {
            cap = cap * 2
            n += 1
        }
        return min(cap, maxDelay)
    }

    public static func isRetryable(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .status(let code, _): [429, 500, 502, 503, 504].contains(code)
        case .transport(let error): error.isTransient
        }
    }

    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(Money.decimalString(ms, exponent: 3)) s"
    }
}

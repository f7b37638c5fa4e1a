import Foundation

/// A parsed `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
public enum RetryAfter: Sendable, Hashable {
    case seconds(Int64)
    case date(Date)

    /// Parses delay-seconds (ASCII digits only) or an HTTP-date (IMF-fixdate, plus the
    /// obsolete RFC 850 and asctime forms). Returns nil for anything else.
    public static func parse(_ value: String) -> RetryAfter? {
        // Implemented in RetryAfterParsing.swift.
        parseHeader(value)
    }

    /// The wait this header asks for, measured from `now`; never negative.
    public func delay(now: Date) -> Duration {
        switch self {
        case .seconds(let s):
            return .seconds(max(0, s))
        case .date(let date):
            let interval = date.timeIntervalSince(now)
            guard interval > 0, interval.isFinite else { return .zero }
            return .milliseconds(Int64(min(interval, 1e9) * 1000))
        }
    }
}

import Foundation

/// How long a freshly issued token is used before a new one is requested.
///
/// The token is renewed `margin` before it expires so that a request signed just before
/// expiry does not reach the server after it. A fixed 30 s margin would make a token with a
/// short life (a 2 s TTL in tests, a misconfigured server) unusable, so the margin is capped
/// at a tenth of the lifetime:
///
///     margin = min(configuredMargin, expiresIn / 10)
///     usable = expiresIn − margin
public enum TokenLifetime {
    public static func margin(expiresIn: Duration, configuredMargin: Duration) -> Duration {
        max(.zero, min(configuredMargin, expiresIn / 10))
    }

    public static func usable(expiresIn: Duration, configuredMargin: Duration) -> Duration {
        max(.zero, expiresIn - margin(expiresIn: expiresIn, configuredMargin: configuredMargin))
    }
}

/// A bearer token in memory. Its value is never printed.
public struct AccessToken: Sendable, CustomStringConvertible {
    let value: String
    /// When the client stops using it (already reduced by the safety margin).
    public let renewAfter: Date
    /// Distinguishes tokens so a 401 invalidates only the token that earned it.
    public let serial: Int

    public var description: String { "AccessToken(#\(serial), renew after \(Timestamp(renewAfter)))" }
}

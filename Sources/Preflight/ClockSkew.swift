import APTransport
import APModels
import Foundation

/// Whether this machine's clock is near the API's, judged from a response's `Date` header.
///
/// The job reads the clock for the default window (the previous UTC day), for token expiry and
/// for the webhook's signed timestamp (a receiver allows 300 s), so a clock minutes off breaks
/// things quietly. `skew = local − server`, in whole seconds; |skew| ≤ `tolerance` is fine.
/// The header has a resolution of one second and the request takes time, so the tolerance is
/// generous. Pure.
public enum ClockSkew {
    public static let tolerance: Int64 = 60

    public static func check(dateHeader: String?, local: Date) -> PreflightCheck {
        guard let dateHeader else {
            return .warn("clock", "the API sent no Date header, so the clock was not compared")
        }
        // The one HTTP-date parser of the job is Retry-After's (RFC 9110 HTTP-date forms).
        guard case .date(let server)? = RetryAfter.parse(dateHeader) else {
            return .warn("clock", "the API's Date header \"\(DisplayText.sanitize(dateHeader, limit: 40))\" is not an HTTP date, so the clock was not compared")
        }
        let skew = Int64((local.timeIntervalSince(server)).rounded())
        guard abs(skew) > tolerance else {
            return .ok("clock", "within \(tolerance) s of the API's Date header")
        }
        let direction = skew > 0 ? "ahead of" : "behind"
        return .warn("clock", "this machine's clock is \(abs(skew)) s \(direction) the API's (Date: \(dateHeader)): "
            + "the default window, token expiry and the webhook's signed timestamp depend on it; sync the clock (NTP)")
    }
}

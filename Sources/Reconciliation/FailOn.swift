/// `--fail-on`: the lowest severity that makes a complete run exit 1. The one place that
/// decides whether a run's diagnostics trip it: the exit code, the report's outcome sentence
/// and report.html all ask this type. Only open diagnostics count: an acknowledged one
/// (docs/acknowledgements.md) never trips a run.
public enum FailOn: String, Sendable, CaseIterable {
    case error, warning, never

    /// The lowest severity that trips a run; nil for `never`.
    public var threshold: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .never: nil
        }
    }

    /// `severity` is at or above the threshold. Rank 0 is the most serious, so "at or above"
    /// means a rank no greater than the threshold's.
    public func isTripped(by severity: Severity) -> Bool {
        guard let threshold else { return false }
        return severity.rank <= threshold.rank
    }

    /// Some severity with a non-zero count of open diagnostics is at or above the threshold.
    public func isTripped(byOpen countsBySeverity: [Severity: Int]) -> Bool {
        countsBySeverity.contains { severity, count in count > 0 && isTripped(by: severity) }
    }

    /// Some diagnostic that `review` leaves open is at or above the threshold.
    public func isTripped(by diagnostics: [Diagnostic], review: AcknowledgementReview) -> Bool {
        diagnostics.contains { isTripped(by: $0.severity) && review.disposition(of: $0) == .open }
    }

    /// Open diagnostics per severity: what `isTripped(byOpen:)` takes.
    public static func openCounts(_ diagnostics: [Diagnostic], review: AcknowledgementReview) -> [Severity: Int] {
        var counts: [Severity: Int] = [:]
        for d in diagnostics where review.disposition(of: d) == .open { counts[d.severity, default: 0] += 1 }
        return counts
    }
}

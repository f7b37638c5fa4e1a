/// `--fail-on`: the lowest severity that makes a complete run exit 1. The one place that
/// decides whether a run's diagnostics trip it: the exit code, the report's outcome sentence
/// and report.html all ask this type.
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

    /// Some severity with a non-zero count is at or above the threshold.
    public func isTripped(by countsBySeverity: [Severity: Int]) -> Bool {
        countsBySeverity.contains { severity, count in count > 0 && isTripped(by: severity) }
    }
}

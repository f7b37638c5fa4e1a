import JobSettings
import Operations
import RunPipeline

/// One line of `ap-reconcile check`: a verdict, what was checked and what was found.
/// A failed check carries the exit status it stands for, from the same table as `run`.
public struct PreflightCheck: Sendable, Equatable {
    public enum Verdict: String, Sendable {
        case ok
        case warn
        case fail = "FAIL"
    }

    public var verdict: Verdict
    /// The job file's account the check is about (nil without accounts).
    public var account: String?
    /// `token`, `GET /payouts`, `out`, `state`, `clock`, …
    public var what: String
    public var detail: String
    /// The exit status a failed check stands for; nil for `ok` and `warn`.
    public var status: ExitStatus?

    public init(_ verdict: Verdict, _ what: String, _ detail: String, status: ExitStatus? = nil, account: String? = nil) {
        self.verdict = verdict
        self.what = what
        self.detail = detail
        self.status = verdict == .fail ? (status ?? .configuration) : nil
        self.account = account
    }

    public static func ok(_ what: String, _ detail: String) -> PreflightCheck { PreflightCheck(.ok, what, detail) }
    public static func warn(_ what: String, _ detail: String) -> PreflightCheck { PreflightCheck(.warn, what, detail) }
    public static func fail(_ what: String, _ detail: String, _ status: ExitStatus) -> PreflightCheck {
        PreflightCheck(.fail, what, detail, status: status)
    }

    /// `ok   GET /payouts: readable`, `FAIL [acme] token: …`: the verdict padded to one width so
    /// the checks line up.
    public var line: String {
        let word = verdict.rawValue + String(repeating: " ", count: 5 - verdict.rawValue.count)
        return word + (account.map { "[\($0)] " } ?? "") + what + ": " + detail
    }
}

/// The checks' verdict as a run's outcome: the worst failed check's exit status (by
/// `ExitStatus.severityRank`, as with several accounts), and a headline counting them.
public enum PreflightReport {
    public static func outcome(_ checks: [PreflightCheck]) -> RunOutcome {
        let failed = checks.filter { $0.verdict == .fail }
        let warnings = checks.filter { $0.verdict == .warn }.count
        let status = ExitStatus.worst(failed.compactMap(\.status))
        var headline = "check: \(checks.count - failed.count - warnings) ok, \(warnings) warn, \(failed.count) FAIL"
        if !failed.isEmpty {
            let names = failed.map { ($0.account.map { "[\($0)] " } ?? "") + $0.what }
            headline += " (\(names.joined(separator: ", ")))"
        }
        headline += "; nothing was written"
        return RunOutcome(status: status, headline: headline)
    }
}

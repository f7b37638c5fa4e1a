import JobSettings
import RunPipeline

/// The lines that end every invocation on stderr, saying the outcome in words: the line an
/// on-call engineer reads first. Pure: the executables print them and exit with `status`.
public enum OutcomeLine {
    /// `ap-reconcile: WORD (exit N): headline` for one run.
    public static func line(_ outcome: RunOutcome, program: String = "ap-reconcile") -> String {
        "\(program): \(outcome.word) (exit \(outcome.status.rawValue)): \(outcome.headline)"
    }

    /// The lines of an invocation's runs and its exit status. A run without accounts ends with
    /// its own line; with accounts, one line per account and then the summary naming each.
    public static func lines(_ runs: [FinishedRun]) -> (lines: [String], status: ExitStatus) {
        guard runs.count > 1 || runs.first?.account != nil else {
            let outcome = runs.first?.outcome ?? RunOutcome(status: .usage, headline: "nothing to run")
            return ([line(outcome)], outcome.status)
        }
        var lines = runs.map { run in
            "ap-reconcile[\(run.account?.name ?? "default")]: \(run.outcome.word) (exit \(run.outcome.status.rawValue)): \(run.outcome.headline)"
        }
        let (status, summary) = AccountRunner.summary(runs)
        lines.append(summary)
        return (lines, status)
    }
}

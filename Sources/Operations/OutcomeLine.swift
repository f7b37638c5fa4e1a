import JobSettings
import Reports
import RunPipeline

/// The lines that end every invocation on stderr, saying the outcome in words: the line an
/// on-call engineer reads first. Pure: the executables print them and exit with `status`.
///
/// With `--log-format json` each line is one JSON object instead, so a log pipeline that parses
/// every line as JSON keeps the one that matters most:
/// `{"outcome":"OK","exit":0,"account":null,"headline":"reconciled 1 payouts, …"}`.
public enum OutcomeLine {
    /// `ap-reconcile: WORD (exit N): headline` for one run.
    public static func line(_ outcome: RunOutcome, program: String = "ap-reconcile") -> String {
        "\(program): \(outcome.word) (exit \(outcome.status.rawValue)): \(outcome.headline)"
    }

    /// The lines of an invocation's runs and its exit status. A run without accounts ends with
    /// its own line; with accounts, one line per account and then the summary naming each.
    public static func lines(_ runs: [FinishedRun]) -> (lines: [String], status: ExitStatus) {
        lines(runs, format: .text)
    }

    /// The same lines in `format`: text, or one JSON object per line (the summary of several
    /// accounts has `"account": null`).
    public static func lines(_ runs: [FinishedRun], format: LogFormat) -> (lines: [String], status: ExitStatus) {
        guard runs.count > 1 || runs.first?.account != nil else {
            let outcome = runs.first?.outcome ?? RunOutcome(status: .usage, headline: "nothing to run")
            return ([line(outcome, format: format)], outcome.status)
        }
        var lines = runs.map { run in
            switch format {
            case .text:
                "ap-reconcile[\(run.account?.name ?? "default")]: \(run.outcome.word) (exit \(run.outcome.status.rawValue)): \(run.outcome.headline)"
            case .json:
                json(word: run.outcome.word, status: run.outcome.status, account: run.account?.name ?? "default", headline: run.outcome.headline)
            }
        }
        let (status, summary) = AccountRunner.summary(runs)
        switch format {
        case .text:
            lines.append(summary)
        case .json:
            let (word, headline) = AccountRunner.summaryParts(runs)
            lines.append(json(word: word, status: status, account: nil, headline: headline))
        }
        return (lines, status)
    }

    /// One outcome's line in `format`.
    public static func line(_ outcome: RunOutcome, format: LogFormat) -> String {
        switch format {
        case .text: line(outcome)
        case .json: json(word: outcome.word, status: outcome.status, account: nil, headline: outcome.headline)
        }
    }

    /// `{"outcome":WORD,"exit":N,"account":NAME|null,"headline":TEXT}`, keys in that order, no newline.
    static func json(word: String, status: ExitStatus, account: String?, headline: String) -> String {
        var out: [UInt8] = Array("{\"outcome\":".utf8) + JSONWriter.quoted(word)
        out += Array(",\"exit\":\(status.rawValue)".utf8)
        out += Array(",\"account\":".utf8) + (account.map(JSONWriter.quoted) ?? Array("null".utf8))
        out += Array(",\"headline\":".utf8) + JSONWriter.quoted(headline) + Array("}".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}

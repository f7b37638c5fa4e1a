import APClient
import Foundation
import JobSettings
import Publishing
import Reconciliation
import RunPipeline
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One account's run as the metrics file reports it.
public struct MetricsRun: Sendable {
    /// nil without `accounts` in the job file: the series then carry no `account` label.
    public var account: String?
    public var outcome: RunOutcome
    /// Wall-clock end of the run (not --as-of: alerts compare it with the time of day).
    public var endedAt: Date
    public var durationSeconds: Double

    public init(account: String?, outcome: RunOutcome, endedAt: Date, durationSeconds: Double) {
        self.account = account
        self.outcome = outcome
        self.endedAt = endedAt
        self.durationSeconds = durationSeconds
    }
}

/// `--metrics-file`: Prometheus text exposition (format 0.0.4) for node_exporter's textfile
/// collector. Every series is a gauge about the last run; names start with `ap_reconcile_`.
/// See docs/monitoring.md for the list and alert examples.
public enum MetricsFile {
    public static let prefix = "ap_reconcile_"
    static let lastSuccess = prefix + "last_success_timestamp_seconds"

    /// The file's text. `previousSuccess` holds the last success time per account ("" for none)
    /// from the previous file, kept for an account whose run failed this time.
    public static func render(_ runs: [MetricsRun], previousSuccess: [String: Double]) -> String {
        var families: [(name: String, help: String, samples: [String])] = []
        func add(_ name: String, _ help: String, _ samples: [String]) {
            families.append((prefix + name, help, samples))
        }
        func sample(_ name: String, _ run: MetricsRun, _ value: String, labels: [(String, String)] = []) -> String {
            let all = (run.account.map { [("account", $0)] } ?? []) + labels
            let text = all.isEmpty ? "" : "{" + all.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
            return prefix + name + text + " " + value
        }

        add("last_run_timestamp_seconds", "Unix time the last run ended.",
            runs.map { sample("last_run_timestamp_seconds", $0, number($0.endedAt.timeIntervalSince1970)) })
        add("last_success_timestamp_seconds", "Unix time the last run that wrote its reports ended (exit 0, 1 or 74); kept from the previous file while runs fail.",
            runs.compactMap { run in
                let value = run.outcome.reportsWritten ? run.endedAt.timeIntervalSince1970 : previousSuccess[run.account ?? ""]
                return value.map { sample("last_success_timestamp_seconds", run, number($0)) }
            })
        add("run_duration_seconds", "Wall-clock duration of the last run.",
            runs.map { sample("run_duration_seconds", $0, number($0.durationSeconds)) })
        add("exit_code", "Exit code of the last run (0 clean, 1 diagnostics, others: see ap-reconcile --help).",
            runs.map { sample("exit_code", $0, String($0.outcome.status.rawValue)) })
        add("run_success", "1 when the last run wrote its reports (exit 0 or 1), else 0.",
            runs.map { sample("run_success", $0, $0.outcome.status.severityRank <= ExitStatus.diagnosticsFound.severityRank ? "1" : "0") })
        add("outcome", "The last run's outcome: 1 for the one that happened, 0 for the others.",
            runs.flatMap { run in
                ["OK", "COMPLETE", "DIAGNOSTICS", "NOTIFY_FAILED", "FAILED", "STOPPED"].map {
                    sample("outcome", run, run.outcome.word == $0 ? "1" : "0", labels: [("outcome", $0.lowercased())])
                }
            })
        let complete = runs.filter { $0.outcome.result != nil }
        add("payouts_reconciled", "Payouts reconciled by the last complete run.",
            complete.compactMap { run in run.outcome.result.map { sample("payouts_reconciled", run, String($0.summary.payoutCount)) } })
        add("lines_reconciled", "Payout lines reconciled by the last complete run.",
            complete.compactMap { run in run.outcome.result.map { sample("lines_reconciled", run, String($0.summary.lineCount)) } })
        add("diagnostics", "Diagnostics of the last complete run, by severity.",
            complete.flatMap { run in
                Severity.allCases.map { sample("diagnostics", run, String(run.outcome.result?.summary.diagnosticsBySeverity[$0] ?? 0), labels: [("severity", $0.rawValue)]) }
            })
        add("open_items", "Diagnostics of the last run against the previous one: new, open (seen before) and resolved.",
            runs.flatMap { run -> [String] in
                guard let items = run.outcome.openItems else { return [] }
                return [("new", items.newCount), ("open", items.openCount), ("resolved", items.resolvedCount)].map {
                    sample("open_items", run, String($0.1), labels: [("state", $0.0)])
                }
            })
        add("diagnostics_open", "Diagnostics of the last complete run nobody has acknowledged, by severity: what --fail-on counts.",
            complete.flatMap { run in
                let open = FailOn.openCounts(run.outcome.result?.diagnostics ?? [], review: run.outcome.acknowledgements)
                return Severity.allCases.map { sample("diagnostics_open", run, String(open[$0] ?? 0), labels: [("severity", $0.rawValue)]) }
            })
        add("diagnostics_acknowledged", "Diagnostics of the last complete run covered by an acknowledgement in force, by severity.",
            complete.flatMap { run in
                let diagnostics = run.outcome.result?.diagnostics ?? []
                let open = FailOn.openCounts(diagnostics, review: run.outcome.acknowledgements)
                var all: [Severity: Int] = [:]
                for d in diagnostics { all[d.severity, default: 0] += 1 }
                return Severity.allCases.map {
                    sample("diagnostics_acknowledged", run, String((all[$0] ?? 0) - (open[$0] ?? 0)), labels: [("severity", $0.rawValue)])
                }
            })
        add("acknowledgements_stale", "Entries of the acknowledgements file that acknowledged nothing in the last complete run.",
            complete.map { sample("acknowledgements_stale", $0, String($0.outcome.acknowledgements.stale.count)) })
        add("at_stake_minor_units", "Money at stake in the last complete run, in minor units of its currency, by severity and disposition (open or acknowledged).",
            complete.flatMap { run in AtStakeSeries.atStake(run.outcome).map { sample("at_stake_minor_units", run, $0.value, labels: $0.labels) } })
        add("new_at_stake_minor_units", "Money at stake in open diagnostics first found by the last complete run (needs --state), in minor units, by currency and severity.",
            complete.flatMap { run in AtStakeSeries.newAtStake(run.outcome).map { sample("new_at_stake_minor_units", run, $0.value, labels: $0.labels) } })
        add("ageing_open_items", "Open (not acknowledged) diagnostics of the last complete run by currency and age bucket.",
            complete.flatMap { run in AtStakeSeries.ageing(run.outcome).map { sample("ageing_open_items", run, $0.count, labels: $0.labels) } })
        add("ageing_at_stake_minor_units", "Money at stake in open diagnostics of the last complete run by currency and age bucket, in minor units.",
            complete.flatMap { run in AtStakeSeries.ageing(run.outcome).map { sample("ageing_at_stake_minor_units", run, $0.atStake, labels: $0.labels) } })
        add("requests", "HTTP requests the last run sent, by endpoint (each attempt counts; token requests as POST /oauth/token).",
            runs.flatMap { run -> [String] in
                guard let statistics = run.outcome.statistics else { return [] }
                var byEndpoint = statistics.requestsByEndpoint
                byEndpoint["POST /oauth/token", default: 0] += statistics.tokenRequests
                return byEndpoint.sorted { $0.key < $1.key }.map { sample("requests", run, String($0.value), labels: [("endpoint", $0.key)]) }
            })
        add("retries", "Retries the last run made, by endpoint.",
            runs.flatMap { run -> [String] in
                guard let statistics = run.outcome.statistics else { return [] }
                return statistics.retriesByEndpoint.sorted { $0.key < $1.key }.map { sample("retries", run, String($0.value), labels: [("endpoint", $0.key)]) }
            })

        var lines: [String] = []
        for family in families where !family.samples.isEmpty {
            lines.append("# HELP \(family.name) \(family.help)")
            lines.append("# TYPE \(family.name) gauge")
            lines += family.samples
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The last success time per account ("" without accounts) found in a previous file's text.
    public static func previousSuccess(in text: String) -> [String: Double] {
        var found: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix(lastSuccess) {
            let rest = line.dropFirst(lastSuccess.count)
            guard let space = rest.lastIndex(of: " "), let value = Double(rest[rest.index(after: space)...]) else { continue }
            let labels = rest[..<space]
            var account = ""
            if let range = labels.range(of: "account=\"") {
                // Labels are written by `render`, which escapes quotes: read up to the first unescaped one.
                account = unescape(readQuoted(labels[range.upperBound...]))
            }
            found[account] = value
        }
        return found
    }

    /// Writes `text` to `path` atomically (`AtomicFile`): a collector reading the file sees the
    /// old or the new content, never half of one. Readable by all (0644, less the umask): a
    /// collector such as node_exporter runs as another user.
    public static func write(_ text: String, to path: String) throws(PublishError) {
        try AtomicFile.replace(path, with: Array(text.utf8), mode: 0o644)
    }

    /// Renders the runs, keeping previous success times from the file already at `path`, and writes it.
    public static func update(path: String, runs: [MetricsRun]) throws(PublishError) {
        let previous = (try? String(contentsOfFile: path, encoding: .utf8)).map(previousSuccess(in:)) ?? [:]
        try write(render(runs, previousSuccess: previous), to: path)
    }

    /// Label value escaping of the exposition format: backslash, double quote, line feed.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func readQuoted(_ text: Substring) -> Substring {
        var escaped = false
        var end = text.endIndex
        for index in text.indices {
            let c = text[index]
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true; continue }
            if c == "\"" { end = index; break }
        }
        return text[..<end]
    }

    static func unescape(_ text: Substring) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped {
                out.append(c == "n" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Integers without a fraction, other values with up to 3 decimals (milliseconds).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "NaN" }
        let millis = (value * 1000).rounded()
        if millis.truncatingRemainder(dividingBy: 1000) == 0 { return String(Int64(millis / 1000)) }
        let whole = Int64(millis) / 1000
        let fraction = abs(Int64(millis) % 1000)
        var digits = String(fraction)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return (millis < 0 && whole == 0 ? "-" : "") + "\(whole).\(digits)"
    }
}

import APModels
import Foundation
import JobSettings
import Reconciliation
import Reports
import RunPipeline

/// The `reconciliation.completed` event `--notify` POSTs after a run: what a receiver needs to
/// act without opening the reports (outcome, counts) and to trust the files it later fetches
/// (names and SHA-256). Pure: bytes from values. Sent for failed runs too (outcome `failed`,
/// no files), so silence from the job means the job did not run.
public struct NotificationEvent: Sendable {
    public static let type = "reconciliation.completed"
    /// What `ap-reconcile check --notify-test` sends: the same signed body with no run behind it,
    /// so a receiver can be tested before the first night (and can tell it apart).
    public static let testType = "reconciliation.test"

    /// Unique per run; the same across retries of one delivery, so a receiver can drop duplicates.
    public var id: String
    /// When the event was made (wall clock, not --as-of).
    public var createdAt: Timestamp
    public var account: String?
    public var outcome: RunOutcome
    /// `reconciliation.completed`, or `reconciliation.test` from `check --notify-test`.
    public var eventType: String

    public init(id: String = NotificationEvent.newID(), createdAt: Timestamp, account: String?, outcome: RunOutcome,
                eventType: String = NotificationEvent.type) {
        self.id = id
        self.createdAt = createdAt
        self.account = account
        self.outcome = outcome
        self.eventType = eventType
    }

    /// The `reconciliation.test` event: outcome `ok`, no window, no counts, no files.
    public static func test(createdAt: Timestamp, account: String?) -> NotificationEvent {
        NotificationEvent(createdAt: createdAt, account: account,
                          outcome: RunOutcome(status: .clean, headline: "a test event from ap-reconcile check; no run took place"),
                          eventType: testType)
    }

    public static func newID() -> String { "evt_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }

    /// The JSON body, members in a fixed order (docs/notifications.md lists them).
    public var body: [UInt8] {
        let result = outcome.result
        let severity = result?.summary.diagnosticsBySeverity ?? [:]
        let window: ReportJSON = (outcome.window ?? result?.window).map { w in
            .object([("since", .string(w.since.rfc3339)), ("until", .string(w.until.rfc3339))])
        } ?? .null
        let openItems: ReportJSON = outcome.openItems.map { items in
            .object([("new", .int(items.newCount)), ("open", .int(items.openCount)), ("resolved", .int(items.resolvedCount))])
        } ?? .null
        let files: [ReportJSON] = outcome.files.sorted().map { name in
            .object([("name", .string(name)), ("sha256", .string(outcome.fileDigests[name]))])
        }
        let diagnostics: ReportJSON = result == nil ? .null : .object(Severity.allCases.map { ($0.rawValue, ReportJSON.int(severity[$0] ?? 0)) })
        let reports: ReportJSON = .object([("directory", .string(outcome.outputDirectory)), ("files", .array(files))])
        var members: [(String, ReportJSON)] = []
        members.append(("id", .string(id)))
        members.append(("type", .string(eventType)))
        members.append(("created_at", .string(createdAt.rfc3339)))
        members.append(("tool_version", .string(ToolVersion.current)))
        members.append(("account", .string(account)))
        members.append(("window", window))
        members.append(("outcome", .string(outcome.word.lowercased())))
        members.append(("exit_code", .int(Int(outcome.status.rawValue))))
        members.append(("headline", .string(outcome.headline)))
        members.append(("payouts", .int(result.map { Int64($0.summary.payoutCount) })))
        members.append(("lines", .int(result.map { Int64($0.summary.lineCount) })))
        members.append(("diagnostics", diagnostics))
        members.append(("open_items", openItems))
        members.append(contentsOf: atStakeMembers)
        members.append(("reports", reports))
        let json: ReportJSON = .object(members)
        return JSONWriter.render(json)
    }

    /// `open_diagnostics` and `acknowledged` (by severity: the first is what --fail-on counts) and
    /// `at_stake` per currency in minor units: open, of which first found this run (`new`, null
    /// without state), and acknowledged. All null for a run that did not complete.
    var atStakeMembers: [(String, ReportJSON)] {
        guard let diagnostics = outcome.result?.diagnostics else {
            return [("open_diagnostics", .null), ("acknowledged", .null), ("at_stake", .null)]
        }
        let review = outcome.acknowledgements
        let openCounts = FailOn.openCounts(diagnostics, review: review)
        var all: [Severity: Int] = [:]
        for d in diagnostics { all[d.severity, default: 0] += 1 }
        let open = review.open(diagnostics)
        let openTotals = AtStakeTotals(open)
        let newTotals = outcome.openItems.map { items in AtStakeTotals(open.filter { items.statusByFingerprint[$0.fingerprint] == .new }) }
        let acknowledgedTotals = AtStakeTotals(diagnostics.filter { review.disposition(of: $0) == .acknowledged })
        let currencies = Set(openTotals.byCurrency.keys).union(acknowledgedTotals.byCurrency.keys).sorted()
        func amount(_ totals: AtStakeTotals, _ currency: Currency) -> ReportJSON {
            switch totals.byCurrency[currency] {
            case .none: .int(0)
            case .some(let sum): .int(sum)
            }
        }
        return [
            ("open_diagnostics", .object(Severity.allCases.map { ($0.rawValue, ReportJSON.int(openCounts[$0] ?? 0)) })),
            ("acknowledged", .object(Severity.allCases.map { ($0.rawValue, ReportJSON.int((all[$0] ?? 0) - (openCounts[$0] ?? 0))) })),
            ("at_stake", .array(currencies.map { currency in
                .object([
                    ("currency", .string(currency.code)),
                    ("open", amount(openTotals, currency)),
                    ("new", newTotals.map { amount($0, currency) } ?? .null),
                    ("acknowledged", amount(acknowledgedTotals, currency)),
                ])
            })),
        ]
    }
}

import APModels
import Mustache
import Reconciliation

// What report.html shows, as plain values the Mustache template reads by name. Built by a
// pure function of (result, run); the template only lays the values out and escapes them.
//
// Every value a template variable reads is non-optional: Mustache looks a missing (nil) name up
// in the enclosing objects, so a nil `status` on a line could print the payout's status. Optionals
// appear only as section names that no enclosing object also has (`minLabel`, `openItems`, …).

struct HTMLPage: Sendable {
    let title: String
    let run: HTMLRunFacts
    let outcome: HTMLOutcome
    let payoutCount: String
    let lineCount: String
    let currencies: [HTMLCurrencyCard]
    let hasCurrencies: Bool
    /// Money at stake per currency, open split by age; empty when no diagnostic has an amount at stake.
    let atStake: [HTMLAtStakeRow]
    let hasAtStake: Bool
    let rules: [HTMLRuleShare]
    let severities: [HTMLSeverityCount]
    let diagnosticTotal: String
    let openItems: HTMLOpenItemsCard?
    let codeChart: CodeChart?
    let amountCharts: [AmountChart]
    let payouts: [HTMLPayoutRow]
    let hasPayouts: Bool
    let diagnostics: [HTMLDiagnosticRow]
    let hasDiagnostics: Bool
    /// Codes that occurred, in catalogue-string order, for the filter.
    let codes: [HTMLCodeOption]
    /// Set when the page lists fewer diagnostics than the run found.
    let listingNote: String?
    /// The run has state: the diagnostics table has a new/open column.
    let showStatus: Bool
    let resolved: [HTMLResolvedRow]
    let hasResolved: Bool
    let resolvedNote: String?
    let files: [String]
    /// Expected against credited per currency, the unmatched credits and the payouts not in
    /// the bank; nil (no section) for a run without bank statements.
    var cash: HTMLCash? = nil
}

struct HTMLCash: Sendable {
    struct CurrencyRow: Sendable {
        let code: String
        let expected: String
        let credited: String
        let matched: String
        let unmatched: String
    }
    struct Credit: Sendable {
        let id: String
        let date: String
        let amount: String
        let text: String
    }
    struct Missing: Sendable {
        let id: String
        let amount: String
        let window: String
    }
    let currencies: [CurrencyRow]
    let credits: [Credit]
    let hasCredits: Bool
    let missing: [Missing]
    let hasMissing: Bool
    let notYetDue: String

    /// The cash section of `result`; nil without statements. Texts are escaped by the template.
    static func make(_ result: ReconciliationResult) -> HTMLCash? {
        guard let bank = result.bank else { return nil }
        let amounts = Dictionary(result.payouts.map { ($0.payout.id, $0.payout.amount) }, uniquingKeysWith: { a, _ in a })
        let credits = bank.entries.filter { $0.kind == .unmatched }.map { m in
            Credit(id: m.entry.id, date: m.entry.bookingDate.description,
                   amount: HTMLFormat.money(m.entry.amount.minorUnits, m.entry.currency),
                   text: m.entry.descriptiveTexts.joined(separator: " · "))
        }
        let missing = bank.payouts.filter { $0.state == .notInBank }.map { p in
            Missing(id: p.payoutID, amount: amounts[p.payoutID].map { HTMLFormat.money($0.minorUnits, $0.currency) } ?? "—",
                    window: "\(p.windowFrom) to \(p.windowTo)")
        }
        return HTMLCash(
            currencies: bank.totals.map { t in
                CurrencyRow(code: t.currency.code, expected: HTMLFormat.money(t.expected, t.currency),
                         credited: HTMLFormat.money(t.credited, t.currency), matched: HTMLFormat.money(t.matched, t.currency),
                         unmatched: HTMLFormat.money(t.unmatched, t.currency))
            },
            credits: credits, hasCredits: !credits.isEmpty, missing: missing, hasMissing: !missing.isEmpty,
            notYetDue: HTMLFormat.count(bank.notYetDue.count))
    }
}

struct HTMLRunFacts: Sendable {
    let baseURL: String
    let since: String
    let until: String
    let asOf: String
    let toolVersion: String
    let failOn: String
}

struct HTMLOutcome: Sendable {
    /// CSS class: "clean", "findings" or "attention".
    let tone: String
    let headline: String
    let detail: String
}

struct HTMLCurrencyCard: Sendable {
    let code: String
    let payouts: String
    let total: String
    let inbound: String
    let outbound: String
}

struct HTMLAtStakeRow: Sendable {
    let code: String
    let open: String
    let acknowledged: String
    /// Open money at stake per ageing bucket, youngest first.
    let buckets: [String]
}

struct HTMLRuleShare: Sendable {
    let rule: String
    let count: String
    let share: String
    /// Width in px of the share bar (0…100).
    let barWidth: Int
}

struct HTMLSeverityCount: Sendable {
    let severity: String
    let count: String
}

struct HTMLOpenItemsCard: Sendable {
    let new: String
    let open: String
    let resolved: String
    let carried: String
}

struct HTMLPayoutRow: Sendable {
    let id: String
    let status: String
    let createdAt: String
    let currency: String
    let amount: String
    let amountMinor: String
    let computed: String
    let computedMinor: String
    let difference: String
    let differenceMinor: String
    /// Difference nonzero or unknown, or diagnostics name the payout: highlighted, kept by the filter.
    let flagged: Bool
    let lineCount: String
    let diagnosticCount: String
    let lines: [HTMLLineRow]
    let hasLines: Bool
    /// The payout has lines, but the page's line budget (`HTMLReport.linesListed`) was spent.
    let linesOmitted: Bool
    /// The page's line budget, as shown in the note of an omitted payout.
    let linesListed: String
}

struct HTMLLineRow: Sendable {
    let position: String
    let transaction: String
    let type: String
    let direction: String
    let lineStatus: String
    let lineAmount: String
    let customer: String
    let match: String
    let invoice: String
    let paymentRequest: String
    let candidates: String
    let counted: String
    let firstSeen: String
}

struct HTMLIDPart: Sendable {
    let kind: String
    let value: String
}

struct HTMLDiagnosticRow: Sendable {
    let severity: String
    let code: String
    /// "new" or "open" when the run has state, else "".
    let itemStatus: String
    let ids: [HTMLIDPart]
    /// The ids joined, what the ids column sorts by.
    let idKey: String
    let expected: String
    let expectedMinor: String
    let actual: String
    let actualMinor: String
    let delta: String
    let deltaMinor: String
    let atStake: String
    let atStakeMinor: String
    /// "open" or "acknowledged".
    let disposition: String
    let message: String
    /// "reason (by …, until …)" for an acknowledged diagnostic.
    let acknowledgedNote: String?
    let candidateList: String?
    let unreadableReason: String?
    let unreadableEndpoint: String?
}

struct HTMLCodeOption: Sendable {
    let code: String
    let severity: String
    let count: String
}

struct HTMLResolvedRow: Sendable {
    let severity: String
    let code: String
    let ids: [HTMLIDPart]
    let firstSeen: String
    let lastSeen: String
    let message: String
}

extension HTMLPage {
    static func make(_ result: ReconciliationResult, run: RunInfo, listedPerCode: Int, linesListed: Int = HTMLReport.linesListed) -> HTMLPage {
        let summary = result.summary
        let since = run.window.since.rfc3339
        let until = run.window.until.rfc3339

        // No request or retry counts here (report.json has them): the page a person reads is the
        // same bytes whether or not the API needed retries that night (docs/fault-matrix.md).
        let facts = HTMLRunFacts(baseURL: run.baseURL, since: since, until: until, asOf: run.asOf.rfc3339,
                                 toolVersion: run.toolVersion, failOn: run.failOn.rawValue)

        let currencies = summary.currencies.map { c in
            HTMLCurrencyCard(code: c.currency.code, payouts: HTMLFormat.count(c.payoutCount),
                             total: HTMLFormat.money(c.payoutAmountTotal, c.currency),
                             inbound: HTMLFormat.money(c.inboundTotal, c.currency),
                             outbound: HTMLFormat.money(c.outboundTotal, c.currency))
        }

        let rules = MatchRuleKind.allCases.map { kind in
            let n = summary.linesByRule[kind] ?? 0
            let width = summary.lineCount > 0 ? n * 100 / summary.lineCount : 0
            return HTMLRuleShare(rule: kind.rawValue, count: HTMLFormat.count(n),
                                 share: HTMLFormat.share(n, of: summary.lineCount), barWidth: width)
        }

        let severities = Severity.allCases.map { s in
            HTMLSeverityCount(severity: s.rawValue, count: HTMLFormat.count(summary.diagnosticsBySeverity[s] ?? 0))
        }

        let openItems = run.openItems.map { o in
            HTMLOpenItemsCard(new: HTMLFormat.count(o.newCount), open: HTMLFormat.count(o.openCount),
                              resolved: HTMLFormat.count(o.resolvedCount), carried: HTMLFormat.count(o.carriedCount))
        }

        let charts = summary.currencies.map { c in
            AmountChart.make(currency: c.currency, payouts: result.payouts, window: run.window)
        }

        var listedByCode: [DiagnosticCode: Int] = [:]
        var rows: [HTMLDiagnosticRow] = []
        for d in result.diagnostics {
            let listed = listedByCode[d.code, default: 0]
            guard listed < listedPerCode else { continue }
            listedByCode[d.code] = listed + 1
            rows.append(diagnosticRow(d, status: run.openItems?.statusByFingerprint[d.fingerprint],
                                      acknowledgement: run.acknowledgements.acknowledgement(for: d)))
        }
        let listingNote: String? = rows.count == result.diagnostics.count ? nil :
            "This page lists the first \(HTMLFormat.count(listedPerCode)) diagnostics of each code "
            + "(\(HTMLFormat.count(rows.count)) of \(HTMLFormat.count(result.diagnostics.count)), in the order of diagnostics.csv). "
            + "diagnostics.csv and report.json have every one."

        let codes = DiagnosticCode.allCases.sorted().compactMap { code -> HTMLCodeOption? in
            let n = summary.diagnosticsByCode[code] ?? 0
            return n > 0 ? HTMLCodeOption(code: code.rawValue, severity: code.severity.rawValue, count: HTMLFormat.count(n)) : nil
        }

        let allResolved = run.openItems?.resolved ?? []
        let resolved = allResolved.prefix(listedPerCode).map { item in
            HTMLResolvedRow(severity: item.severity.rawValue, code: item.code,
                            ids: idParts(item.payoutID, item.transactionID, item.invoiceID, item.paymentRequestID),
                            firstSeen: item.firstSeen.rfc3339, lastSeen: item.lastSeen.rfc3339, message: item.message)
        }
        let resolvedNote: String? = resolved.count == allResolved.count ? nil :
            "Listing \(HTMLFormat.count(resolved.count)) of \(HTMLFormat.count(allResolved.count)) resolved items."

        let atStake = atStakeRows(result.diagnostics, run: run)

        var budget = linesListed
        let payouts = result.payouts.map { p -> HTMLPayoutRow in
            let listLines = p.lines.count <= budget
            if listLines { budget -= p.lines.count }
            return payoutRow(p, listLines: listLines, linesListed: linesListed)
        }
        var page = HTMLPage(
            title: "Reconciliation \(run.window.since.utcDate) to \(run.window.until.utcDate) · ap-reconcile",
            run: facts,
            outcome: outcome(summary.diagnosticsBySeverity, open: FailOn.openCounts(result.diagnostics, review: run.acknowledgements),
                             failOn: run.failOn),
            payoutCount: HTMLFormat.count(summary.payoutCount),
            lineCount: HTMLFormat.count(summary.lineCount),
            currencies: currencies, hasCurrencies: !currencies.isEmpty,
            atStake: atStake, hasAtStake: !atStake.isEmpty,
            rules: rules, severities: severities,
            diagnosticTotal: HTMLFormat.count(result.diagnostics.count),
            openItems: openItems,
            codeChart: CodeChart.make(summary.diagnosticsByCode),
            amountCharts: charts,
            payouts: payouts, hasPayouts: !payouts.isEmpty,
            diagnostics: rows, hasDiagnostics: !rows.isEmpty,
            codes: codes, listingNote: listingNote,
            showStatus: run.openItems != nil,
            resolved: Array(resolved), hasResolved: !resolved.isEmpty, resolvedNote: resolvedNote,
            files: ReportRenderer.fileNames.filter { $0 != HTMLReport.fileName })
        page.cash = HTMLCash.make(result)
        return page
    }

    /// The run's outcome in words. Reports exist only for a complete run, which exits 0 or 1:
    /// 1 exactly when an open (not acknowledged) diagnostic is at or above `--fail-on`; `open`
    /// counts those per severity (`FailOn.openCounts`).
    static func outcome(_ bySeverity: [Severity: Int], open: [Severity: Int], failOn: FailOn) -> HTMLOutcome {
        let errors = bySeverity[.error] ?? 0
        let warnings = bySeverity[.warning] ?? 0
        let infos = bySeverity[.info] ?? 0
        let total = errors + warnings + infos
        if total == 0 {
            return HTMLOutcome(tone: "clean", headline: "Reconciled",
                               detail: "Every payout adds up to its transactions and nothing needs review: no diagnostics. The run exited with status 0.")
        }
        let acknowledged = total - open.values.reduce(0, +)
        let counts = "\(plural(errors, "error", "errors")), \(plural(warnings, "warning", "warnings")) and \(plural(infos, "info", "info")) diagnostics"
            + (acknowledged > 0 ? " (\(HTMLFormat.count(acknowledged)) acknowledged)" : "")
        if failOn.isTripped(byOpen: open) {
            return HTMLOutcome(tone: "attention", headline: "Needs attention",
                               detail: "\(counts); at or above --fail-on \(failOn.rawValue), so the run exited with status 1.")
        }
        let why = failOn == .never ? "--fail-on never"
            : "none \(acknowledged > 0 ? "open " : "")at or above --fail-on \(failOn.rawValue)"
        return HTMLOutcome(tone: "findings", headline: "Reconciled with findings",
                           detail: "\(counts); \(why), so the run exited with status 0.")
    }

    static func plural(_ n: Int, _ one: String, _ many: String) -> String {
        "\(HTMLFormat.count(n)) \(n == 1 ? one : many)"
    }

    static func payoutRow(_ p: PayoutResult, listLines: Bool = true, linesListed: Int = HTMLReport.linesListed) -> HTMLPayoutRow {
        let currency = p.payout.amount.currency
        let lines = (listLines ? Array(p.lines) : []).map { line -> HTMLLineRow in
            let fields = LineFields(line)
            let record = fields.record
            let candidates = line.match.candidateInvoiceIDs
            return HTMLLineRow(
                position: String(line.position),
                transaction: fields.id ?? "—",
                type: record?.type.name ?? "—",
                direction: record?.effectiveDirection?.rawValue ?? "—",
                lineStatus: record?.status.name ?? "—",
                lineAmount: HTMLFormat.money(record?.amount.minorUnits, record?.amount.currency),
                customer: record?.customerID ?? "—",
                match: line.match.name,
                invoice: line.invoiceID ?? "—",
                paymentRequest: line.paymentRequestID ?? "—",
                candidates: candidates.isEmpty ? "—" : candidates.joined(separator: ", "),
                counted: line.countedInAmount ? "yes" : "no",
                firstSeen: line.firstSeenInPayoutID ?? "—")
        }
        return HTMLPayoutRow(
            id: p.payout.id, status: p.payout.status.name, createdAt: p.payout.createdAt.rfc3339,
            currency: currency.code,
            amount: HTMLFormat.money(p.payout.amount.minorUnits, currency),
            amountMinor: String(p.payout.amount.minorUnits),
            computed: HTMLFormat.money(p.computedAmount, currency),
            computedMinor: p.computedAmount.map { String($0) } ?? "",
            difference: HTMLFormat.money(p.difference, currency),
            differenceMinor: p.difference.map { String($0) } ?? "",
            flagged: p.difference != 0 || p.diagnosticCount > 0,
            lineCount: HTMLFormat.count(p.lines.count),
            diagnosticCount: HTMLFormat.count(p.diagnosticCount),
            lines: lines, hasLines: !lines.isEmpty, linesOmitted: !listLines && !p.lines.isEmpty,
            linesListed: HTMLFormat.count(linesListed))
    }

    /// One row per currency with money at stake: open and acknowledged totals, and the open
    /// money per ageing bucket (age from the open items with state, else the first night).
    static func atStakeRows(_ diagnostics: [Diagnostic], run: RunInfo) -> [HTMLAtStakeRow] {
        let review = run.acknowledgements
        let open = AtStakeTotals(review.open(diagnostics))
        let acknowledged = AtStakeTotals(diagnostics.filter { review.disposition(of: $0) == .acknowledged })
        let ageing = Ageing(diagnostics, review: review) { AtStakeJSON.ageDays($0, run: run) }
        let currencies = Set(open.byCurrency.keys).union(acknowledged.byCurrency.keys).sorted()
        return currencies.map { c in
            HTMLAtStakeRow(code: c.code,
                           open: HTMLFormat.money(open.byCurrency[c] ?? 0, c),
                           acknowledged: HTMLFormat.money(acknowledged.byCurrency[c] ?? 0, c),
                           buckets: ageing.buckets(c.code).map { HTMLFormat.money($0.cell.atStake, c) })
        }
    }

    static func diagnosticRow(_ d: Diagnostic, status: ItemStatus?, acknowledgement: Acknowledgement? = nil) -> HTMLDiagnosticRow {
        let ids = idParts(d.payoutID, d.transactionID, d.invoiceID, d.paymentRequestID)
        let stake = d.amountAtStake
        return HTMLDiagnosticRow(
            severity: d.severity.rawValue, code: d.code.rawValue,
            itemStatus: status?.rawValue ?? "",
            ids: ids, idKey: ids.map(\.value).joined(separator: " "),
            expected: HTMLFormat.money(d.expected, d.currency), expectedMinor: d.expected.map { String($0) } ?? "",
            actual: HTMLFormat.money(d.actual, d.currency), actualMinor: d.actual.map { String($0) } ?? "",
            delta: HTMLFormat.money(d.delta, d.currency), deltaMinor: d.delta.map { String($0) } ?? "",
            atStake: HTMLFormat.money(stake?.minorUnits, stake?.currency), atStakeMinor: stake.map { String($0.minorUnits) } ?? "",
            disposition: acknowledgement == nil ? Disposition.open.rawValue : Disposition.acknowledged.rawValue,
            message: d.message,
            acknowledgedNote: acknowledgement.map { a in
                "\(a.reason) (by \(a.by)" + (a.until.map { ", until \($0.rfc3339)" } ?? "") + ")"
            },
            candidateList: d.candidateInvoiceIDs.isEmpty ? nil : d.candidateInvoiceIDs.joined(separator: ", "),
            unreadableReason: d.reason, unreadableEndpoint: d.endpoint)
    }

    static func idParts(_ payout: String?, _ transaction: String?, _ invoice: String?, _ request: String?) -> [HTMLIDPart] {
        [("payout", payout), ("transaction", transaction), ("invoice", invoice), ("payment request", request)]
            .compactMap { kind, value in value.map { HTMLIDPart(kind: kind, value: $0) } }
    }
}

// The rows the page repeats most answer the template by name directly: Mustache otherwise finds
// each value through Mirror, which made a page of thousands of payouts slow to render.
// A name not listed returns nil, and Mustache then looks it up in the enclosing objects.

extension HTMLPayoutRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "status": status
        case "createdAt": createdAt
        case "currency": currency
        case "amount": amount
        case "amountMinor": amountMinor
        case "computed": computed
        case "computedMinor": computedMinor
        case "difference": difference
        case "differenceMinor": differenceMinor
        case "flagged": flagged
        case "lineCount": lineCount
        case "diagnosticCount": diagnosticCount
        case "lines": lines
        case "hasLines": hasLines
        case "linesOmitted": linesOmitted
        case "linesListed": linesListed
        default: nil
        }
    }
}

extension HTMLLineRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "position": position
        case "transaction": transaction
        case "type": type
        case "direction": direction
        case "lineStatus": lineStatus
        case "lineAmount": lineAmount
        case "customer": customer
        case "match": match
        case "invoice": invoice
        case "paymentRequest": paymentRequest
        case "candidates": candidates
        case "counted": counted
        case "firstSeen": firstSeen
        default: nil
        }
    }
}

extension HTMLDiagnosticRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "severity": severity
        case "code": code
        case "itemStatus": itemStatus
        case "ids": ids
        case "idKey": idKey
        case "expected": expected
        case "expectedMinor": expectedMinor
        case "actual": actual
        case "actualMinor": actualMinor
        case "delta": delta
        case "deltaMinor": deltaMinor
        case "atStake": atStake
        case "atStakeMinor": atStakeMinor
        case "disposition": disposition
        case "acknowledgedNote": acknowledgedNote
        case "message": message
        case "candidateList": candidateList
        case "unreadableReason": unreadableReason
        case "unreadableEndpoint": unreadableEndpoint
        default: nil
        }
    }
}

extension HTMLIDPart: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "kind": kind
        case "value": value
        default: nil
        }
    }
}

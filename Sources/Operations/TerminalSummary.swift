import APClient
import APModels
import Reconciliation

/// The human-readable summary the demo and `run --dry-run` print: a payouts table, the
/// diagnostics found, request counts and where the files are. Pure: a string from values.
public enum TerminalSummary {
    /// `directory` nil: nothing was published (a dry run), and the summary says so.
    public static func render(_ result: ReconciliationResult, statistics: RequestStatistics?, directory: String?, files: [String]) -> String {
        var out: [String] = []
        out.append("Window \(result.window.since.rfc3339) .. \(result.window.until.rfc3339) (payout created_at, half-open)")
        out.append("")
        out.append("Payouts (\(result.payouts.count))")
        var rows = [["ID", "STATUS", "CREATED", "AMOUNT", "COMPUTED", "DIFFERENCE", "LINES", "DIAGNOSTICS"]]
        for p in result.payouts {
            let currency = p.payout.amount.currency
            rows.append([
                p.payout.id, p.payout.status.name, p.payout.createdAt.rfc3339,
                p.payout.amount.description,
                p.computedAmount.map { Money(minorUnits: $0, currency: currency).description } ?? "—",
                p.difference.map { Money(minorUnits: $0, currency: currency).decimalString } ?? "—",
                String(p.lines.count), String(p.diagnosticCount),
            ])
        }
        out += table(rows, rightAligned: [3, 4, 5, 6, 7])
        out.append("")

        let bySeverity = result.summary.diagnosticsBySeverity
        out.append("Diagnostics (\(result.diagnostics.count)): \(bySeverity[.error] ?? 0) errors, \(bySeverity[.warning] ?? 0) warnings, \(bySeverity[.info] ?? 0) info")
        let totals = AtStakeTotals(result.diagnostics)
        for (currency, total) in totals.currencies {
            let bySeverity = Severity.allCases.map { severity in
                let parts = totals.rows.filter { $0.key.currency == currency && $0.key.severity == severity }
                let sum = parts.reduce(Int64?.some(0)) { acc, row in
                    guard let acc, let amount = row.minorUnits else { return nil }
                    let (next, overflow) = acc.addingReportingOverflow(amount)
                    return overflow ? nil : next
                }
                return "\(severity.rawValue) \(sum.map { Money.decimalString($0, exponent: currency.exponent) } ?? "overflow")"
            }
            out.append("At stake \(currency.code): \(total.map { Money.decimalString($0, exponent: currency.exponent) } ?? "overflow") (\(bySeverity.joined(separator: ", ")))")
        }
        if !result.diagnostics.isEmpty {
            var diag = [["SEVERITY", "CODE", "IDS", "AT STAKE", "MESSAGE"]]
            for d in result.diagnostics {
                let ids = [d.payoutID, d.transactionID, d.invoiceID, d.paymentRequestID].compactMap { $0 }.joined(separator: " ")
                diag.append([d.severity.rawValue, d.code.rawValue, ids, d.amountAtStake?.description ?? "—", d.message])
            }
            out += table(diag, rightAligned: [3])
        }
        out.append("")
        if let statistics {
            let endpoints = statistics.requestsByEndpoint.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            let retries = statistics.retriesByEndpoint.values.reduce(0, +)
            out.append("Requests: \(statistics.totalRequests) (\(endpoints); token ×\(statistics.tokenRequests)), retries: \(retries)")
        }
        if let directory {
            out.append("Reports in \(directory):")
            for file in files { out.append("  \(directory)/\(file)") }
        } else {
            out.append("Dry run: no report written, no state changed.")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Columns padded to their widest cell (by character count), two spaces apart.
    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if i == row.count - 1 && !rightAligned.contains(i) { return cell }
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }.map { "  " + $0 }
    }
}

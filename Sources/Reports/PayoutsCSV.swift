import Reconciliation

/// payouts.csv: one row per payout in the window, in the engine's order (created_at, then id).
public enum PayoutsCSV {
    public static let header = [
        "payout_id", "status", "created_at", "currency",
        "amount_minor", "amount", "computed_amount_minor", "computed_amount",
        "difference_minor", "difference", "line_count", "diagnostic_count",
    ]

    public static func render(_ result: ReconciliationResult) -> ReportFile {
        var rows = CSVBuffer(header: header)
        for p in result.payouts {
            let currency = p.payout.amount.currency
            rows.append([
                .text(p.payout.id),
                .text(p.payout.status.name),
                .text(p.payout.createdAt.rfc3339),
                .text(currency.code),
                .integer(p.payout.amount.minorUnits),
                .decimal(p.payout.amount.minorUnits, currency),
                .integer(p.computedAmount),
                .decimal(p.computedAmount, currency),
                .integer(p.difference),
                .decimal(p.difference, currency),
                .integer(p.lines.count),
                .integer(p.diagnosticCount),
            ])
        }
        return ReportFile(name: "payouts.csv", bytes: rows.bytes, rowCount: rows.rowCount)
    }
}

import Reconciliation

/// payouts.csv: one row per payout in the window, in the engine's order (created_at, then id).
public enum PayoutsCSV {
    public static let header = [
        "payout_id", "status", "created_at", "currency",
        "amount_minor", "amount", "computed_amount_minor", "computed_amount",
        "difference_minor", "difference", "line_count", "diagnostic_count",
    ]

    public static func render(_ result: ReconciliationResult) -> ReportFile {
        stream(result).file()
    }

    public static func stream(_ result: ReconciliationResult) -> ReportStream {
        ReportStream(name: "payouts.csv") { out in
            out.csvHeader(header)
            for p in result.payouts {
                try out.csvRow { row, out in
                    let currency = p.payout.amount.currency
                    row.text(p.payout.id, into: &out)
                    row.text(p.payout.status.name, into: &out)
                    row.text(p.payout.createdAt.rfc3339, into: &out)
                    row.text(currency.code, into: &out)
                    row.integer(p.payout.amount.minorUnits, into: &out)
                    row.decimal(p.payout.amount.minorUnits, currency, into: &out)
                    row.integer(p.computedAmount, into: &out)
                    row.decimal(p.computedAmount, currency, into: &out)
                    row.integer(p.difference, into: &out)
                    row.decimal(p.difference, currency, into: &out)
                    row.integer(p.lines.count, into: &out)
                    row.integer(p.diagnosticCount, into: &out)
                }
            }
            return result.payouts.count
        }
    }
}

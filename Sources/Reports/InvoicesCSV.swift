import Reconciliation

/// invoices.csv: one row per touched invoice that could be read, by id.
public enum InvoicesCSV {
    public static let header = [
        "invoice_id", "customer_id", "status", "currency", "amount_minor", "amount",
        "net_settled_minor", "net_settled", "settled_payment_count", "settled_payment_ids",
        "state", "diagnostic_count",
    ]

    public static func render(_ result: ReconciliationResult) -> ReportFile {
        var rows = CSVBuffer(header: header)
        for r in result.invoices {
            let currency = r.invoice.amount.currency
            rows.append([
                .text(r.invoice.id),
                .text(r.invoice.customerID),
                .text(r.invoice.status.name),
                .text(currency.code),
                .integer(r.invoice.amount.minorUnits),
                .decimal(r.invoice.amount.minorUnits, currency),
                .integer(r.netSettled),
                .decimal(r.netSettled, currency),
                .integer(r.settledPaymentCount),
                .list(r.settledPaymentIDs),
                .text(r.state.rawValue),
                .integer(r.diagnosticCount),
            ])
        }
        return ReportFile(name: "invoices.csv", bytes: rows.bytes, rowCount: rows.rowCount)
    }
}

import Reconciliation

/// invoices.csv: one row per touched invoice that could be read, by id.
public enum InvoicesCSV {
    public static let header = [
        "invoice_id", "customer_id", "status", "currency", "amount_minor", "amount",
        "net_settled_minor", "net_settled", "settled_payment_count", "settled_payment_ids",
        "state", "diagnostic_count",
    ]

    public static func render(_ result: ReconciliationResult) -> ReportFile {
        let rows = result.invoices.map { r -> [CSVField] in
            let currency = r.invoice.amount.currency
            return [
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
            ]
        }
        return ReportFile(name: "invoices.csv", bytes: CSVWriter.render(header: header, rows: rows), rowCount: rows.count)
    }
}

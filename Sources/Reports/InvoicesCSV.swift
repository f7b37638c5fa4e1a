import Reconciliation

/// invoices.csv: one row per touched invoice that could be read, by id.
public enum InvoicesCSV {
    public static let header = [
        "invoice_id", "customer_id", "status", "currency", "amount_minor", "amount",
        "net_settled_minor", "net_settled", "settled_payment_count", "settled_payment_ids",
        "state", "diagnostic_count",
    ]

    public static func render(_ result: ReconciliationResult) -> ReportFile {
        stream(result).file()
    }

    public static func stream(_ result: ReconciliationResult) -> ReportStream {
        ReportStream(name: "invoices.csv") { out in
            out.csvHeader(header)
            for r in result.invoices {
                try out.csvRow { row, out in
                    let currency = r.invoice.amount.currency
                    row.text(r.invoice.id, into: &out)
                    row.text(r.invoice.customerID, into: &out)
                    row.text(r.invoice.status.name, into: &out)
                    row.text(currency.code, into: &out)
                    row.integer(r.invoice.amount.minorUnits, into: &out)
                    row.decimal(r.invoice.amount.minorUnits, currency, into: &out)
                    row.integer(r.netSettled, into: &out)
                    row.decimal(r.netSettled, currency, into: &out)
                    row.integer(r.settledPaymentCount, into: &out)
                    row.list(r.settledPaymentIDs, into: &out)
                    row.text(r.state.rawValue, into: &out)
                    row.integer(r.diagnosticCount, into: &out)
                }
            }
            return result.invoices.count
        }
    }
}

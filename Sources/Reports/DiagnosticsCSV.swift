import Reconciliation

/// diagnostics.csv: one row per diagnostic, in the engine's order (severity, code, ids).
public enum DiagnosticsCSV {
    public static let header = [
        "severity", "code", "payout_id", "transaction_id", "invoice_id", "payment_request_id",
        "currency", "expected_minor", "expected", "actual_minor", "actual", "delta_minor", "delta",
        "candidate_invoice_ids", "message", "endpoint", "reason", "raw_json", "fingerprint",
    ]

    public static func render(_ result: ReconciliationResult) -> ReportFile {
        var rows = CSVBuffer(header: header)
        for d in result.diagnostics {
            rows.append([
                .text(d.severity.rawValue),
                .text(d.code.rawValue),
                .text(d.payoutID),
                .text(d.transactionID),
                .text(d.invoiceID),
                .text(d.paymentRequestID),
                .text(d.currency?.code),
                .integer(d.expected),
                .decimal(d.expected, d.currency),
                .integer(d.actual),
                .decimal(d.actual, d.currency),
                .integer(d.delta),
                .decimal(d.delta, d.currency),
                .list(d.candidateInvoiceIDs),
                .text(d.message),
                .text(d.endpoint),
                .text(d.reason),
                .text(d.rawJSON),
                .text(d.fingerprint),
            ])
        }
        return ReportFile(name: "diagnostics.csv", bytes: rows.bytes, rowCount: rows.rowCount)
    }
}

import Reconciliation

/// transactions.csv: one row per (payout, line), payouts in the engine's order and lines in
/// API order. A transaction listed in two payouts has a row in each.
public enum TransactionsCSV {
    public static let header = [
        "payout_id", "position", "transaction_id", "type", "direction", "status", "currency",
        "amount_minor", "amount", "customer_id", "match", "invoice_id", "payment_request_id",
        "candidate_invoice_ids", "counted_in_amount", "first_seen_in_payout_id",
    ]

    public static func render(_ result: ReconciliationResult) -> ReportFile {
        // About 150 bytes a row: see CSVBuffer.init(header:reserve:).
        var rows = CSVBuffer(header: header, reserve: 4_096 + result.summary.lineCount * 160)
        for payout in result.payouts {
            for line in payout.lines {
                let fields = LineFields(line)
                let record = fields.record
                rows.append([
                    .text(payout.payout.id),
                    .integer(line.position),
                    .text(fields.id),
                    .text(record?.type.name),
                    .text(record?.effectiveDirection?.rawValue),
                    .text(record?.status.name),
                    .text(record?.amount.currency.code),
                    .integer(record?.amount.minorUnits),
                    .decimal(record?.amount.minorUnits, record?.amount.currency),
                    .text(record?.customerID),
                    .text(line.match.name),
                    .text(line.invoiceID),
                    .text(line.paymentRequestID),
                    .list(line.match.candidateInvoiceIDs),
                    .bool(line.countedInAmount),
                    .text(line.firstSeenInPayoutID),
                ])
            }
        }
        return ReportFile(name: "transactions.csv", bytes: rows.bytes, rowCount: rows.rowCount)
    }
}

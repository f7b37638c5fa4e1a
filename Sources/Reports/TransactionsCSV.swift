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
        stream(result).file()
    }

    public static func stream(_ result: ReconciliationResult) -> ReportStream {
        ReportStream(name: "transactions.csv") { out in
            out.csvHeader(header)
            var rows = 0
            for payout in result.payouts {
                for line in payout.lines {
                    try out.csvRow { row, out in
                        let fields = LineFields(line)
                        let record = fields.record
                        row.text(payout.payout.id, into: &out)
                        row.integer(line.position, into: &out)
                        row.text(fields.id, into: &out)
                        row.text(record?.type.name, into: &out)
                        row.text(record?.effectiveDirection?.rawValue, into: &out)
                        row.text(record?.status.name, into: &out)
                        row.text(record?.amount.currency.code, into: &out)
                        row.integer(record?.amount.minorUnits, into: &out)
                        row.decimal(record?.amount.minorUnits, record?.amount.currency, into: &out)
                        row.text(record?.customerID, into: &out)
                        row.text(line.match.name, into: &out)
                        row.text(line.invoiceID, into: &out)
                        row.text(line.paymentRequestID, into: &out)
                        row.list(line.match.candidateInvoiceIDs, into: &out)
                        row.bool(line.countedInAmount, into: &out)
                        row.text(line.firstSeenInPayoutID, into: &out)
                    }
                    rows += 1
                }
            }
            return rows
        }
    }
}

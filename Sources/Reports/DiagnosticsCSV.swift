import APModels
import Reconciliation

/// diagnostics.csv: one row per diagnostic, in the engine's order (severity, code, ids).
public enum DiagnosticsCSV {
    public static let header = [
        "severity", "code", "payout_id", "transaction_id", "invoice_id", "payment_request_id",
        "currency", "expected_minor", "expected", "actual_minor", "actual", "delta_minor", "delta",
        "candidate_invoice_ids", "message", "endpoint", "reason", "raw_json", "fingerprint",
        "status", "first_seen", "age_days",
        "amount_at_stake_minor", "amount_at_stake", "ageing_bucket",
        "disposition", "acknowledged_by", "acknowledged_reason", "acknowledged_until",
        "bank_entry_id", "candidate_bank_entry_ids",
    ]

    /// `openItems` (a run with `--state`) fills the last three columns; without it they are empty,
    /// so the columns never move between runs with and without state.
    /// `review` fills the acknowledgement columns; `disposition` is `open` for every row without one.
    public static func render(_ result: ReconciliationResult, openItems: OpenItems? = nil, asOf: Timestamp? = nil,
                              review: AcknowledgementReview = .none) -> ReportFile {
        stream(result, openItems: openItems, asOf: asOf, review: review).file()
    }

    public static func stream(_ result: ReconciliationResult, openItems: OpenItems? = nil, asOf: Timestamp? = nil,
                              review: AcknowledgementReview = .none) -> ReportStream {
        ReportStream(name: "diagnostics.csv") { out in
            out.csvHeader(header)
            for d in result.diagnostics {
                try out.csvRow { row, out in
                    for field in fields(d, openItems: openItems, asOf: asOf, review: review) { row.field(field, into: &out) }
                }
            }
            return result.diagnostics.count
        }
    }

    static func fields(_ d: Diagnostic, openItems: OpenItems?, asOf: Timestamp?, review: AcknowledgementReview) -> [CSVField] {
        let tracked = asOf.flatMap { OpenItemFields.of(d, in: openItems, asOf: $0) }
        let stake = d.amountAtStake
        let acknowledgement = review.acknowledgement(for: d)
        return [
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
            .text(tracked?.status.rawValue),
            .text(tracked?.firstSeen.rfc3339),
            tracked.map { CSVField.integer($0.ageDays) } ?? .empty,
            .integer(stake?.minorUnits),
            .decimal(stake?.minorUnits, stake?.currency),
            .text(AgeingBucket(days: tracked?.ageDays ?? 0).rawValue),
            .text(review.disposition(of: d).rawValue),
            .text(acknowledgement?.by),
            .text(acknowledgement?.reason),
            .text(acknowledgement?.until?.rfc3339),
            .text(d.bankEntryID),
            .list(d.candidateBankEntryIDs),
        ]
    }
}

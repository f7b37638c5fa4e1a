import APModels
import Reconciliation

/// report.json's `open_items`: null for a run without state; otherwise the counts against the
/// previous run, the items this run resolved and the items it carried without looking again.
enum OpenItemsJSON {
    static func json(_ items: OpenItems?, asOf: Timestamp) -> ReportJSON {
        guard let items else { return .null }
        let carried = ExceptionsCSV.rowOrder(items.openAfterRun.filter { items.statusByFingerprint[$0.fingerprint] == nil })
        return .object([
            ("counts", .object([
                ("new", .int(items.newCount)),
                ("open", .int(items.openCount)),
                ("carried", .int(items.carriedCount)),
                ("resolved", .int(items.resolvedCount)),
                ("open_after_run", .int(items.openAfterRun.count)),
            ])),
            ("resolved", .array(ExceptionsCSV.rowOrder(items.resolved).map { itemJSON($0, asOf: asOf) })),
            ("carried", .array(carried.map { itemJSON($0, asOf: asOf) })),
        ])
    }

    /// `age_days` of a resolved item counts to this run (when it was found gone).
    static func itemJSON(_ item: OpenItem, asOf: Timestamp) -> ReportJSON {
        .object([
            ("fingerprint", .string(item.fingerprint)),
            ("code", .string(item.code)),
            ("severity", .string(item.severity.rawValue)),
            ("first_seen", .string(item.firstSeen.rfc3339)),
            ("last_seen", .string(item.lastSeen.rfc3339)),
            ("age_days", .int(item.ageDays(asOf: asOf))),
            ("payout_id", .string(item.payoutID)),
            ("transaction_id", .string(item.transactionID)),
            ("invoice_id", .string(item.invoiceID)),
            ("payment_request_id", .string(item.paymentRequestID)),
            ("message", .string(item.message)),
        ])
    }
}

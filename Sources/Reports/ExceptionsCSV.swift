import APModels
import Reconciliation

/// exceptions.csv: the open-items list a finance team works from. Written only by a run with
/// state (`--state`): every item open after the run, the ones this run found (`new`, `open`) and
/// the ones it did not look at again (`carried`), most serious first, then oldest first.
public enum ExceptionsCSV {
    public static let fileName = "exceptions.csv"
    public static let header = [
        "status", "severity", "code", "first_seen", "last_seen", "age_days",
        "payout_id", "transaction_id", "invoice_id", "payment_request_id", "message", "fingerprint",
        "ageing_bucket", "currency", "amount_at_stake_minor", "amount_at_stake", "disposition", "acknowledged_by", "acknowledged_reason",
        "bank_entry_id", "candidate_bank_entry_ids",
    ]

    /// A few thousand rows at most (the open items of one account): rendered whole, then streamed.
    /// `diagnostics` (this run's) give the money at stake of the items this run found; a carried
    /// item's amounts are not known this run, so its at-stake columns are empty.
    public static func stream(_ items: OpenItems, asOf: Timestamp, diagnostics: [Diagnostic] = [],
                              review: AcknowledgementReview = .none) -> ReportStream {
        ReportStream(name: fileName) { out in
            let file = render(items, asOf: asOf, diagnostics: diagnostics, review: review)
            out.bytes.append(contentsOf: file.bytes)
            return file.rowCount
        }
    }

    public static func render(_ items: OpenItems, asOf: Timestamp, diagnostics: [Diagnostic] = [],
                              review: AcknowledgementReview = .none) -> ReportFile {
        var stakes: [String: Money] = [:]
        var found: [String: Diagnostic] = [:]
        for d in diagnostics where found[d.fingerprint] == nil {
            stakes[d.fingerprint] = d.amountAtStake
            found[d.fingerprint] = d
        }
        let rows = rowOrder(items.openAfterRun).map { item -> [CSVField] in
            let stake = stakes[item.fingerprint]
            let acknowledgement = review.acknowledged[item.fingerprint]
            return [
                .text(OpenItemFields.status(of: item, in: items).rawValue),
                .text(item.severity.rawValue),
                .text(item.code),
                .text(item.firstSeen.rfc3339),
                .text(item.lastSeen.rfc3339),
                .integer(item.ageDays(asOf: asOf)),
                .text(item.payoutID),
                .text(item.transactionID),
                .text(item.invoiceID),
                .text(item.paymentRequestID),
                .text(item.message),
                .text(item.fingerprint),
                .text(AgeingBucket(days: item.ageDays(asOf: asOf)).rawValue),
                .text(stake?.currency.code),
                .integer(stake?.minorUnits),
                .decimal(stake?.minorUnits, stake?.currency),
                .text(acknowledgement == nil ? Disposition.open.rawValue : Disposition.acknowledged.rawValue),
                .text(acknowledgement?.by),
                .text(acknowledgement?.reason),
                // Like the amounts, known for the items this run found; empty for a carried one.
                .text(found[item.fingerprint]?.bankEntryID),
                .list(found[item.fingerprint]?.candidateBankEntryIDs ?? []),
            ]
        }
        return ReportFile(name: fileName, bytes: CSVWriter.render(header: header, rows: rows), rowCount: rows.count)
    }

    /// Severity (error first), then first seen (oldest first), then fingerprint: one order, every run.
    static func rowOrder(_ items: [OpenItem]) -> [OpenItem] {
        items.sorted { a, b in
            if a.severity != b.severity { return a.severity < b.severity }
            if a.firstSeen != b.firstSeen { return a.firstSeen < b.firstSeen }
            return a.fingerprint.utf8.lexicographicallyPrecedes(b.fingerprint.utf8)
        }
    }
}

/// The open-item fields a diagnostic gets in report.json and diagnostics.csv.
enum OpenItemFields {
    /// `new` / `open` for what this run found, `carried` for an item it did not look at again.
    static func status(of item: OpenItem, in items: OpenItems) -> ItemStatus {
        items.statusByFingerprint[item.fingerprint] ?? .carried
    }

    /// (status, first_seen, age_days) of a diagnostic, or nil without state.
    static func of(_ d: Diagnostic, in items: OpenItems?, asOf: Timestamp) -> (status: ItemStatus, firstSeen: Timestamp, ageDays: Int)? {
        guard let items, let status = items.statusByFingerprint[d.fingerprint] else { return nil }
        let first = items.item(fingerprint: d.fingerprint)?.firstSeen ?? asOf
        let age = items.item(fingerprint: d.fingerprint)?.ageDays(asOf: asOf) ?? 0
        return (status, first, age)
    }
}

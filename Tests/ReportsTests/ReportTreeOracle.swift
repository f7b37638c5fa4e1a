import APModels
import Reconciliation
@testable import Reports

/// report.json as one `ReportJSON` tree: an independent second rendering the streamed encoder
/// (`ReportDocument.stream`, the only one the job ships) must equal byte for byte. Written
/// member by member from the schema's key order, not from the encoder's code.
extension ReportDocument {
    static func json(_ result: ReconciliationResult, run: RunInfo) -> ReportJSON {
        .object([
            ("schema_version", .int(schemaVersion)),
            ("run", runJSON(run)),
            ("summary", summaryJSON(result.summary)),
            ("payouts", .array(result.payouts.map { p in
                payoutJSON(p, bankEntryIDs: result.bank?.payouts.first { $0.payoutID == p.payout.id }?.entryIDs ?? [])
            })),
            ("invoices", .array(result.invoices.map(invoiceJSON))),
            ("payment_requests", .array(result.paymentRequests.map(paymentRequestJSON))),
            ("diagnostics", .array(result.diagnostics.map { diagnosticJSON($0, run: run) })),
            ("open_items", OpenItemsJSON.json(run.openItems, asOf: run.asOf)),
            ("at_stake", AtStakeJSON.json(result.diagnostics, run: run)),
            ("ageing", AtStakeJSON.ageingJSON(result.diagnostics, run: run)),
            ("acknowledgements", AtStakeJSON.acknowledgementsJSON(result.diagnostics, run: run)),
            ("bank", BankJSON.json(result.bank)),
        ])
    }

    static func payoutJSON(_ p: PayoutResult, bankEntryIDs: [String]) -> ReportJSON {
        let currency = p.payout.amount.currency
        return .object([
            ("id", .string(p.payout.id)),
            ("status", .string(p.payout.status.name)),
            ("created_at", .string(p.payout.createdAt.rfc3339)),
            ("currency", .string(currency.code)),
            ("amount", MoneyJSON.value(p.payout.amount)),
            ("computed_amount", MoneyJSON.value(p.computedAmount, currency)),
            ("difference", MoneyJSON.value(p.difference, currency)),
            ("diagnostics", .int(p.diagnosticCount)),
            ("bank_entry_ids", .array(bankEntryIDs.map { .string($0) })),
            ("lines", .array(p.lines.map(lineJSON))),
        ])
    }

    static func lineJSON(_ l: PayoutLineResult) -> ReportJSON {
        let fields = LineFields(l)
        return .object([
            ("position", .int(l.position)),
            ("id", .string(fields.id)),
            ("type", .string(fields.record?.type.name)),
            ("direction", .string(fields.record?.effectiveDirection?.rawValue)),
            ("status", .string(fields.record?.status.name)),
            ("currency", .string(fields.record?.amount.currency.code)),
            ("amount", fields.record.map { MoneyJSON.value($0.amount) } ?? .null),
            ("customer_id", .string(fields.record?.customerID)),
            ("match", .string(l.match.name)),
            ("invoice_id", .string(l.invoiceID)),
            ("payment_request_id", .string(l.paymentRequestID)),
            ("candidate_invoice_ids", .array(l.match.candidateInvoiceIDs.map { .string($0) })),
            ("counted_in_amount", .bool(l.countedInAmount)),
            ("first_seen_in_payout_id", .string(l.firstSeenInPayoutID)),
        ])
    }

    static func invoiceJSON(_ r: InvoiceResult) -> ReportJSON {
        let currency = r.invoice.amount.currency
        return .object([
            ("id", .string(r.invoice.id)),
            ("customer_id", .string(r.invoice.customerID)),
            ("status", .string(r.invoice.status.name)),
            ("currency", .string(currency.code)),
            ("amount", MoneyJSON.value(r.invoice.amount)),
            ("net_settled", MoneyJSON.value(r.netSettled, currency)),
            ("settled_payment_ids", .array(r.settledPaymentIDs.map { .string($0) })),
            ("state", .string(r.state.rawValue)),
            ("diagnostics", .int(r.diagnosticCount)),
        ])
    }

    static func paymentRequestJSON(_ r: PaymentRequestResult) -> ReportJSON {
        let currency = r.paymentRequest.amount.currency
        return .object([
            ("id", .string(r.paymentRequest.id)),
            ("reference_id", .string(r.paymentRequest.referenceID)),
            ("status", .string(r.paymentRequest.status.name)),
            ("currency", .string(currency.code)),
            ("amount", MoneyJSON.value(r.paymentRequest.amount)),
            ("net_settled", MoneyJSON.value(r.netSettled, currency)),
            ("settled_payment_ids", .array(r.settledPaymentIDs.map { .string($0) })),
            ("state", .string(r.state.rawValue)),
            ("expected", .bool(r.expected)),
            ("diagnostics", .int(r.diagnosticCount)),
        ])
    }

}

import APModels
import Reconciliation

/// Builds report.json. Key order is fixed here and mirrored in schemas/report.schema.json
/// and docs/reports.md: change all three together, and bump `schemaVersion` when a change
/// would break a reader.
public enum ReportDocument {
    public static let schemaVersion: Int64 = 1

    public static func json(_ result: ReconciliationResult, run: RunInfo) -> ReportJSON {
        .object([
            ("schema_version", .int(schemaVersion)),
            ("run", runJSON(run)),
            ("summary", summaryJSON(result.summary)),
            ("payouts", .array(result.payouts.map(payoutJSON))),
            ("invoices", .array(result.invoices.map(invoiceJSON))),
            ("payment_requests", .array(result.paymentRequests.map(paymentRequestJSON))),
            ("diagnostics", .array(result.diagnostics.map { diagnosticJSON($0, openItems: run.openItems, asOf: run.asOf) })),
            ("open_items", OpenItemsJSON.json(run.openItems, asOf: run.asOf)),
        ])
    }

    /// The bytes of `JSONWriter.render(json(result, run:))`, written one payout, line and
    /// diagnostic at a time instead of from the whole tree (see `StreamedJSON`).
    public static func render(_ result: ReconciliationResult, run: RunInfo) -> ReportFile {
        let document = StreamedJSON.object([
            ("schema_version", .value(.int(schemaVersion))),
            ("run", .value(runJSON(run))),
            ("summary", .value(summaryJSON(result.summary))),
            ("payouts", .array(count: result.payouts.count) { payoutStreamed(result.payouts[$0]) }),
            ("invoices", .array(count: result.invoices.count) { .value(invoiceJSON(result.invoices[$0])) }),
            ("payment_requests", .array(count: result.paymentRequests.count) { .value(paymentRequestJSON(result.paymentRequests[$0])) }),
            ("diagnostics", .array(count: result.diagnostics.count) {
                .value(diagnosticJSON(result.diagnostics[$0], openItems: run.openItems, asOf: run.asOf))
            }),
            ("open_items", .value(OpenItemsJSON.json(run.openItems, asOf: run.asOf))),
        ])
        // About 600 bytes per line, 400 per invoice or request, 1,000 per diagnostic; see JSONWriter.render(_:reserve:).
        let estimate = 16_384 + result.summary.lineCount * 600 + (result.invoices.count + result.paymentRequests.count) * 400
            + result.diagnostics.count * 1_000
        return ReportFile(name: "report.json", bytes: JSONWriter.render(document, reserve: estimate),
                          rowCount: result.diagnostics.count)
    }

    /// `payoutJSON` with its lines written one at a time.
    static func payoutStreamed(_ p: PayoutResult) -> StreamedJSON {
        guard case .object(var members) = payoutJSON(p, withLines: false) else { return .value(payoutJSON(p)) }
        members.removeLast()
        return .object(members.map { ($0.0, StreamedJSON.value($0.1)) }
            + [("lines", .array(count: p.lines.count) { .value(lineJSON(p.lines[$0])) })])
    }

    static func runJSON(_ run: RunInfo) -> ReportJSON {
        .object([
            ("window", .object([
                ("since", .string(run.window.since.rfc3339)),
                ("until", .string(run.window.until.rfc3339)),
            ])),
            ("as_of", .string(run.asOf.rfc3339)),
            ("tool_version", .string(run.toolVersion)),
            ("api_base_url", .string(run.baseURL)),
            ("fail_on", .string(run.failOn)),
            ("requests_by_endpoint", .counts(run.requestsByEndpoint)),
            ("retries_by_endpoint", .counts(run.retriesByEndpoint)),
            ("requests_total", .int(saturatingSum(run.requestsByEndpoint.values))),
            ("retries_total", .int(saturatingSum(run.retriesByEndpoint.values))),
        ])
    }

    static func summaryJSON(_ s: Summary) -> ReportJSON {
        .object([
            ("payouts", .int(s.payoutCount)),
            ("lines", .int(s.lineCount)),
            ("lines_by_rule", .counts(Dictionary(uniqueKeysWithValues: s.linesByRule.map { ($0.key.rawValue, $0.value) }))),
            ("diagnostics_by_code", .counts(Dictionary(uniqueKeysWithValues: s.diagnosticsByCode.map { ($0.key.rawValue, $0.value) }))),
            ("diagnostics_by_severity", .counts(Dictionary(uniqueKeysWithValues: s.diagnosticsBySeverity.map { ($0.key.rawValue, $0.value) }))),
            ("currencies", .array(s.currencies.map { totals in
                .object([
                    ("currency", .string(totals.currency.code)),
                    ("payouts", .int(totals.payoutCount)),
                    ("payout_amount", MoneyJSON.value(totals.payoutAmountTotal, totals.currency)),
                    ("inbound", MoneyJSON.value(totals.inboundTotal, totals.currency)),
                    ("outbound", MoneyJSON.value(totals.outboundTotal, totals.currency)),
                    ("outbound_by_type", .array(totals.outboundByType.map { t in
                        .object([
                            ("type", .string(t.type)),
                            ("amount", MoneyJSON.value(t.total, totals.currency)),
                        ])
                    })),
                ])
            })),
        ])
    }

    static func payoutJSON(_ p: PayoutResult) -> ReportJSON { payoutJSON(p, withLines: true) }

    /// Without lines, "lines" is an empty array placeholder (its last member), replaced by the streamed lines.
    static func payoutJSON(_ p: PayoutResult, withLines: Bool) -> ReportJSON {
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
            ("lines", .array(withLines ? p.lines.map(lineJSON) : [])),
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

    static func diagnosticJSON(_ d: Diagnostic, openItems: OpenItems?, asOf: Timestamp) -> ReportJSON {
        let tracked = OpenItemFields.of(d, in: openItems, asOf: asOf)
        return .object([
            ("code", .string(d.code.rawValue)),
            ("severity", .string(d.severity.rawValue)),
            ("message", .string(d.message)),
            ("payout_id", .string(d.payoutID)),
            ("transaction_id", .string(d.transactionID)),
            ("invoice_id", .string(d.invoiceID)),
            ("payment_request_id", .string(d.paymentRequestID)),
            ("expected", .int(d.expected)),
            ("actual", .int(d.actual)),
            ("delta", .int(d.delta)),
            ("currency", .string(d.currency?.code)),
            ("expected_decimal", MoneyJSON.decimal(d.expected, d.currency)),
            ("actual_decimal", MoneyJSON.decimal(d.actual, d.currency)),
            ("delta_decimal", MoneyJSON.decimal(d.delta, d.currency)),
            ("candidate_invoice_ids", .array(d.candidateInvoiceIDs.map { .string($0) })),
            ("endpoint", .string(d.endpoint)),
            ("reason", .string(d.reason)),
            ("raw_json", .string(d.rawJSON)),
            ("fingerprint", .string(d.fingerprint)),
            ("status", .string(tracked?.status.rawValue)),
            ("first_seen", .string(tracked?.firstSeen.rfc3339)),
            ("age_days", tracked.map { ReportJSON.int($0.ageDays) } ?? .null),
        ])
    }

    /// Request counts come from the client; a sum past Int64 is impossible in practice, but
    /// a report must never trap, so it stops at the maximum.
    static func saturatingSum(_ values: some Sequence<Int>) -> Int64 {
        var total: Int64 = 0
        for v in values {
            let (next, overflow) = total.addingReportingOverflow(Int64(v))
            total = overflow ? (v < 0 ? .min : .max) : next
        }
        return total
    }
}

/// What a payout line says about itself, readable or not: the readable record, or the id
/// the unreadable record carried (nil when it had none).
struct LineFields {
    let id: String?
    let record: PayoutTransaction?

    init(_ line: PayoutLineResult) {
        switch line.line {
        case .record(let r):
            id = r.id
            record = r
        case .unreadable(let u):
            id = u.id
            record = nil
        }
    }
}

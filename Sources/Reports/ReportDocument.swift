import APModels
import Reconciliation

/// Builds report.json. Key order is fixed here and mirrored in schemas/report.schema.json
/// and docs/reports.md: change all three together, and bump `schemaVersion` when a change
/// would break a reader.
public enum ReportDocument {
    public static let schemaVersion: Int64 = 1

    /// report.json in memory.
    public static func render(_ result: ReconciliationResult, run: RunInfo) -> ReportFile {
        stream(result, run: run).file()
    }

    /// report.json rendered into a sink, the one encoder of report.json: written one payout
    /// line, invoice, request and diagnostic at a time, the large parts straight into bytes
    /// (`JSONObjectWriter`), the small ones (run, summary, each diagnostic) as `ReportJSON`
    /// values through `JSONWriter`. The tests keep an independent whole-tree rendering
    /// (ReportsTests/ReportTreeOracle.swift) that these bytes must equal.
    public static func stream(_ result: ReconciliationResult, run: RunInfo) -> ReportStream {
        ReportStream(name: "report.json") { out in
            try write(result, run: run, into: &out)
            return result.diagnostics.count
        }
    }

    static func write(_ result: ReconciliationResult, run: RunInfo, into out: inout ReportOutput) throws {
        var document = JSONObjectWriter(indent: 0, into: &out.bytes)
        document.int("schema_version", schemaVersion, into: &out.bytes)
        document.value("run", runJSON(run), into: &out.bytes)
        document.value("summary", summaryJSON(result.summary), into: &out.bytes)
        document.key("payouts", into: &out.bytes)
        let bankEntryIDs = Dictionary((result.bank?.payouts ?? []).map { ($0.payoutID, $0.entryIDs) }, uniquingKeysWith: { first, _ in first })
        try out.jsonArray(count: result.payouts.count, indent: 1) { i, out in
            let payout = result.payouts[i]
            try writePayout(payout, bankEntryIDs: bankEntryIDs[payout.payout.id] ?? [], indent: 2, into: &out)
        }
        document.key("invoices", into: &out.bytes)
        try out.jsonArray(count: result.invoices.count, indent: 1) { i, out in
            writeInvoice(result.invoices[i], indent: 2, into: &out.bytes)
        }
        document.key("payment_requests", into: &out.bytes)
        try out.jsonArray(count: result.paymentRequests.count, indent: 1) { i, out in
            writePaymentRequest(result.paymentRequests[i], indent: 2, into: &out.bytes)
        }
        document.key("diagnostics", into: &out.bytes)
        try out.jsonArray(count: result.diagnostics.count, indent: 1) { i, out in
            JSONWriter.write(diagnosticJSON(result.diagnostics[i], run: run), indent: 2, into: &out.bytes)
        }
        document.value("open_items", OpenItemsJSON.json(run.openItems, asOf: run.asOf), into: &out.bytes)
        document.value("at_stake", AtStakeJSON.json(result.diagnostics, run: run), into: &out.bytes)
        document.value("ageing", AtStakeJSON.ageingJSON(result.diagnostics, run: run), into: &out.bytes)
        document.value("acknowledgements", AtStakeJSON.acknowledgementsJSON(result.diagnostics, run: run), into: &out.bytes)
        document.value("bank", BankJSON.json(result.bank), into: &out.bytes)
        document.close(into: &out.bytes)
        out.bytes.append(JSONWriter.newline)
    }

    /// The objects written a million times, at the levels report.json has them (payouts,
    /// invoices and requests in top-level arrays, lines in a payout's array), keys in
    /// report.json's order (schemas/report.schema.json).
    enum Shapes {
        static let payout = JSONShape(indent: 2, keys: [
            "id", "status", "created_at", "currency", "amount", "computed_amount", "difference", "diagnostics", "bank_entry_ids", "lines",
        ])
        static let line = JSONShape(indent: 4, keys: [
            "position", "id", "type", "direction", "status", "currency", "amount", "customer_id", "match", "invoice_id",
            "payment_request_id", "candidate_invoice_ids", "counted_in_amount", "first_seen_in_payout_id",
        ])
        static let invoice = JSONShape(indent: 2, keys: [
            "id", "customer_id", "status", "currency", "amount", "net_settled", "settled_payment_ids", "state", "diagnostics",
        ])
        static let paymentRequest = JSONShape(indent: 2, keys: [
            "id", "reference_id", "status", "currency", "amount", "net_settled", "settled_payment_ids", "state", "expected", "diagnostics",
        ])
    }

    /// An object writer with `shape`'s precomputed bytes when the object is at the shape's level.
    static func object(_ shape: JSONShape, indent: Int, into out: inout [UInt8]) -> JSONObjectWriter {
        indent == shape.indent ? JSONObjectWriter(shape: shape) : JSONObjectWriter(indent: indent, into: &out)
    }

    /// One payout, its lines handed to the sink as they fill a chunk. `bankEntryIDs`: the
    /// statement entries matched to it, always written (empty without statements) so the
    /// shape never changes.
    static func writePayout(_ p: PayoutResult, bankEntryIDs: [String], indent: Int, into out: inout ReportOutput) throws {
        let currency = p.payout.amount.currency
        var payout = object(Shapes.payout, indent: indent, into: &out.bytes)
        payout.string("id", p.payout.id, into: &out.bytes)
        payout.string("status", p.payout.status.name, into: &out.bytes)
        payout.string("created_at", p.payout.createdAt.rfc3339, into: &out.bytes)
        payout.string("currency", currency.code, into: &out.bytes)
        payout.money("amount", p.payout.amount.minorUnits, currency, into: &out.bytes)
        payout.money("computed_amount", p.computedAmount, currency, into: &out.bytes)
        payout.money("difference", p.difference, currency, into: &out.bytes)
        payout.int("diagnostics", p.diagnosticCount, into: &out.bytes)
        payout.strings("bank_entry_ids", bankEntryIDs, into: &out.bytes)
        payout.key("lines", into: &out.bytes)
        let lines = p.lines
        try out.jsonArray(count: lines.count, indent: indent + 1) { i, out in
            writeLine(lines[lines.startIndex + i], indent: indent + 2, into: &out.bytes)
        }
        payout.close(into: &out.bytes)
    }

    /// One payout line.
    static func writeLine(_ l: PayoutLineResult, indent: Int, into out: inout [UInt8]) {
        let fields = LineFields(l)
        let record = fields.record
        var line = object(Shapes.line, indent: indent, into: &out)
        line.int("position", l.position, into: &out)
        line.string("id", fields.id, into: &out)
        line.string("type", record?.type.name, into: &out)
        line.string("direction", record?.effectiveDirection?.rawValue, into: &out)
        line.string("status", record?.status.name, into: &out)
        line.string("currency", record?.amount.currency.code, into: &out)
        if let record {
            line.money("amount", record.amount.minorUnits, record.amount.currency, into: &out)
        } else {
            line.string("amount", nil, into: &out)
        }
        line.string("customer_id", record?.customerID, into: &out)
        line.string("match", l.match.name, into: &out)
        line.string("invoice_id", l.invoiceID, into: &out)
        line.string("payment_request_id", l.paymentRequestID, into: &out)
        line.strings("candidate_invoice_ids", l.match.candidateInvoiceIDs, into: &out)
        line.bool("counted_in_amount", l.countedInAmount, into: &out)
        line.string("first_seen_in_payout_id", l.firstSeenInPayoutID, into: &out)
        line.close(into: &out)
    }

    /// One invoice.
    static func writeInvoice(_ r: InvoiceResult, indent: Int, into out: inout [UInt8]) {
        let currency = r.invoice.amount.currency
        var invoice = object(Shapes.invoice, indent: indent, into: &out)
        invoice.string("id", r.invoice.id, into: &out)
        invoice.string("customer_id", r.invoice.customerID, into: &out)
        invoice.string("status", r.invoice.status.name, into: &out)
        invoice.string("currency", currency.code, into: &out)
        invoice.money("amount", r.invoice.amount.minorUnits, currency, into: &out)
        invoice.money("net_settled", r.netSettled, currency, into: &out)
        invoice.strings("settled_payment_ids", r.settledPaymentIDs, into: &out)
        invoice.string("state", r.state.rawValue, into: &out)
        invoice.int("diagnostics", r.diagnosticCount, into: &out)
        invoice.close(into: &out)
    }

    /// One payment request.
    static func writePaymentRequest(_ r: PaymentRequestResult, indent: Int, into out: inout [UInt8]) {
        let currency = r.paymentRequest.amount.currency
        var request = object(Shapes.paymentRequest, indent: indent, into: &out)
        request.string("id", r.paymentRequest.id, into: &out)
        request.string("reference_id", r.paymentRequest.referenceID, into: &out)
        request.string("status", r.paymentRequest.status.name, into: &out)
        request.string("currency", currency.code, into: &out)
        request.money("amount", r.paymentRequest.amount.minorUnits, currency, into: &out)
        request.money("net_settled", r.netSettled, currency, into: &out)
        request.strings("settled_payment_ids", r.settledPaymentIDs, into: &out)
        request.string("state", r.state.rawValue, into: &out)
        request.bool("expected", r.expected, into: &out)
        request.int("diagnostics", r.diagnosticCount, into: &out)
        request.close(into: &out)
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
            ("fail_on", .string(run.failOn.rawValue)),
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

    static func diagnosticJSON(_ d: Diagnostic, run: RunInfo) -> ReportJSON {
        let tracked = OpenItemFields.of(d, in: run.openItems, asOf: run.asOf)
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
            ("bank_entry_id", .string(d.bankEntryID)),
            ("candidate_bank_entry_ids", .array(d.candidateBankEntryIDs.map { .string($0) })),
            ("endpoint", .string(d.endpoint)),
            ("reason", .string(d.reason)),
            ("raw_json", .string(d.rawJSON)),
            ("fingerprint", .string(d.fingerprint)),
            ("status", .string(tracked?.status.rawValue)),
            ("first_seen", .string(tracked?.firstSeen.rfc3339)),
            ("age_days", tracked.map { ReportJSON.int($0.ageDays) } ?? .null),
        ] + AtStakeJSON.diagnosticFields(d, run: run))
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

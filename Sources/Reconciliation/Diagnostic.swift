import APModels

/// One finding of a reconciliation run, with every field report.json carries.
public struct Diagnostic: Sendable, Hashable {
    public let code: DiagnosticCode
    public var severity: Severity { code.severity }
    /// One sentence a finance user can act on. Deterministic: the same input gives the same text.
    public let message: String
    public let payoutID: String?
    public let transactionID: String?
    public let invoiceID: String?
    public let paymentRequestID: String?
    /// Minor units of `currency`; nil where the code compares no amounts.
    public let expected: Int64?
    public let actual: Int64?
    /// `actual − expected`; nil when either is nil or the difference does not fit in Int64.
    public let delta: Int64?
    public let currency: Currency?
    /// Sorted; empty unless the code is TXN_SUGGESTED_MATCH or TXN_AMBIGUOUS_MATCH.
    public let candidateInvoiceIDs: [String]
    /// RECORD_UNREADABLE: where the record came from, as the API sent it, and why it is unusable.
    /// BANK_ENTRY_UNREADABLE carries `reason` alone.
    public let endpoint: String?
    public let rawJSON: String?
    public let reason: String?
    /// Bank codes: the statement entry (`bank_entry_id`: the bank's reference, or `FILE#N`).
    public let bankEntryID: String?
    /// Sorted; empty unless the code is BANK_MATCH_AMBIGUOUS.
    public let candidateBankEntryIDs: [String]
    /// Identifies the problem, not this run's numbers: the code and the ids (see docs/diagnostics.md).
    /// Stays the same night after night while the problem is open, whatever the amounts or dates.
    public let fingerprint: String

    public init(code: DiagnosticCode, message: String,
                payoutID: String? = nil, transactionID: String? = nil,
                invoiceID: String? = nil, paymentRequestID: String? = nil,
                expected: Int64? = nil, actual: Int64? = nil, currency: Currency? = nil,
                candidateInvoiceIDs: [String] = [],
                endpoint: String? = nil, rawJSON: String? = nil, reason: String? = nil,
                bankEntryID: String? = nil, candidateBankEntryIDs: [String] = [],
                fingerprintDetail: [String] = []) {
        self.code = code
        self.message = message
        self.payoutID = payoutID
        self.transactionID = transactionID
        self.invoiceID = invoiceID
        self.paymentRequestID = paymentRequestID
        self.expected = expected
        self.actual = actual
        if let expected, let actual {
            let (d, overflow) = actual.subtractingReportingOverflow(expected)
            self.delta = overflow ? nil : d
        } else {
            self.delta = nil
        }
        self.currency = currency
        self.candidateInvoiceIDs = candidateInvoiceIDs.sorted()
        self.endpoint = endpoint
        self.rawJSON = rawJSON
        self.reason = reason
        self.bankEntryID = bankEntryID
        self.candidateBankEntryIDs = candidateBankEntryIDs.sorted()
        // The bank entry is an identity like the ids: it joins the fingerprint's detail.
        self.fingerprint = Fingerprint.make(code: code, ids: [payoutID, transactionID, invoiceID, paymentRequestID],
                                            detail: (bankEntryID.map { [$0] } ?? []) + fingerprintDetail)
    }
}

extension Diagnostic {
    /// The documented order of diagnostics: severity (error first), code, payout_id,
    /// transaction_id, invoice_id, payment_request_id, bank_entry_id (absent ids first), then
    /// endpoint, raw JSON, fingerprint and message so that no two distinct diagnostics tie.
    public static func precedes(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if a.code != b.code { return a.code < b.code }
        if let o = order(a.payoutID, b.payoutID) { return o }
        if let o = order(a.transactionID, b.transactionID) { return o }
        if let o = order(a.invoiceID, b.invoiceID) { return o }
        if let o = order(a.paymentRequestID, b.paymentRequestID) { return o }
        if let o = order(a.bankEntryID, b.bankEntryID) { return o }
        if let o = order(a.endpoint, b.endpoint) { return o }
        if let o = order(a.rawJSON, b.rawJSON) { return o }
        if a.fingerprint != b.fingerprint { return a.fingerprint < b.fingerprint }
        return a.message < b.message
    }

    /// nil when equal; absent sorts before present.
    private static func order(_ a: String?, _ b: String?) -> Bool? {
        switch (a, b) {
        case (nil, nil): return nil
        case (nil, _): return true
        case (_, nil): return false
        case let (x?, y?): return x == y ? nil : x < y
        }
    }
}

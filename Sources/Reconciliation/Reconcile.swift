import APModels

/// Reconciles everything a run fetched. Pure and total: no I/O, never throws, never traps on
/// data; every problem becomes a diagnostic. Same input, same result, byte for byte.
///
/// `consuming`: a caller that passes its last use of the input (`reconcile(consume input)`) lets
/// the engine drop each part of it once used, which lowers the peak memory of a large run; a
/// caller that keeps its copy gets the same result.
public func reconcile(_ input: consuming ReconciliationInput) -> ReconciliationResult {
    var reconciler = Reconciler(input: input)
    return reconciler.run()
}

/// A payout line that links to an invoice or payment request: where a NOT_FOUND is reported.
struct LinkingLine: Sendable {
    var targetID: String
    var payoutID: String
    var transactionID: String
}

/// A by-id record as the inputs resolve it.
enum Resolved<T: Sendable>: Sendable {
    case record(T)
    case unreadable
    case notFound
}

/// The state of one `reconcile` call. Steps live in extensions, one file per concern:
/// payouts and matching, settlement of invoices and payment requests, summary.
struct Reconciler {
    /// Parts are emptied once used (see `reconcile`): read each before that point only.
    var input: ReconciliationInput
    var unreadable = UnreadableCollector()
    var diagnostics: [Diagnostic] = []
    /// First readable GET /payments record per id.
    var payments: [String: Transaction] = [:]
    /// Every transaction the run knows, from payouts first, then GET /payments; one entry per id.
    var known: [KnownTransaction] = []
    /// Position in `known` by transaction id.
    var knownIndex: [String: Int] = [:]
    /// Payout lines (first occurrence of each transaction) that link to an invoice / a request,
    /// kept flat: grouping is only needed for the rare NOT_FOUND.
    var invoiceLinks: [LinkingLine] = []
    var requestLinks: [LinkingLine] = []
    var candidates = CandidateIndex([])
    var totals = TotalsBuilder()
    /// Lines by `MatchRuleKind.ordinal`, counted as the payouts are read.
    var ruleCounts = [Int](repeating: 0, count: MatchRuleKind.allCases.count)

    init(input: ReconciliationInput) {
        self.input = input
    }

    mutating func run() -> ReconciliationResult {
        collectUnreadableOutsidePayouts()
        var lineTotal = 0
        for (_, lines) in input.payoutLines { lineTotal += lines.count }
        known.reserveCapacity(lineTotal + input.payments.count)
        knownIndex.reserveCapacity(lineTotal + input.payments.count)
        payments.reserveCapacity(input.payments.count)
        for fetched in input.payments {
            if let p = fetched.record, payments[p.id] == nil { payments[p.id] = p }
        }
        candidates = CandidateIndex(input.candidateInvoices.compactMap(\.record))

        let payouts = payoutsInWindow()
        // The bank sees the same payouts as the rest of the run: readable, in the window, each once.
        let bank = input.bank.map { bank in
            BankMatching.reconcile(BankMatchingInput(payouts: payouts, statements: bank.statements,
                                                     settlementDays: bank.settlementDays, providerNames: bank.providerNames))
        }
        input.bank = nil
        if let bank { diagnostics.append(contentsOf: bank.diagnostics) }
        var payoutResults: [PayoutResult] = []
        payoutResults.reserveCapacity(payouts.count)
        for payout in payouts {
            payoutResults.append(reconcilePayout(payout))
        }
        let inWindow = Set(payouts.map(\.id))
        // Lines of payouts outside the window are out of scope, but an unreadable record is
        // never dropped silently: it is still reported.
        for key in input.payoutLines.keys where !inWindow.contains(key) {
            for line in input.payoutLines[key] ?? [] {
                unreadable.report(line, source: .transaction, payoutID: key)
            }
        }
        addPaymentsOutsidePayouts()
        // What is read for the last time is dropped at once, so that it is not held beside what
        // replaces it (the peak memory of a large run is in the settlement steps below). The
        // lines live on in the results (shared arrays). Nothing below reads these again.
        input.payoutLines = [:]
        input.payouts = []
        input.payments = []
        payments = [:]
        knownIndex = [:]
        candidates = CandidateIndex([])

        var invoiceResults = reconcileInvoices()
        input.invoices = [:]
        input.paidInvoicesInWindow = []
        input.candidateInvoices = []
        invoiceLinks = []
        var requestResults = reconcilePaymentRequests()
        input.paymentRequests = [:]
        known = []
        requestLinks = []
        let currencies = totals.build(into: &diagnostics)

        diagnostics.append(contentsOf: unreadable.diagnostics)
        // Sorting positions rather than the (large) diagnostics themselves saves moving them around.
        var order = Array(diagnostics.indices)
        diagnostics.withUnsafeBufferPointer { all in
            order.sort { Diagnostic.precedes(all[$0], all[$1]) }
        }
        // Identical findings (a line listed twice in one payout) are reported once.
        var unique: [Diagnostic] = []
        unique.reserveCapacity(order.count)
        for i in order where unique.last != diagnostics[i] { unique.append(diagnostics[i]) }

        var byPayout: [String: Int] = [:]
        var byInvoice: [String: Int] = [:]
        var byRequest: [String: Int] = [:]
        var byCode: [DiagnosticCode: Int] = [:]
        var bySeverity: [Severity: Int] = [:]
        for code in DiagnosticCode.allCases { byCode[code] = 0 }
        for severity in Severity.allCases { bySeverity[severity] = 0 }
        for d in unique {
            if let id = d.payoutID { byPayout[id, default: 0] += 1 }
            if let id = d.invoiceID { byInvoice[id, default: 0] += 1 }
            if let id = d.paymentRequestID { byRequest[id, default: 0] += 1 }
            byCode[d.code, default: 0] += 1
            bySeverity[d.severity, default: 0] += 1
        }
        var byRule: [MatchRuleKind: Int] = [:]
        for kind in MatchRuleKind.allCases { byRule[kind] = ruleCounts[kind.ordinal] }
        var lineCount = 0
        for i in payoutResults.indices {
            payoutResults[i].diagnosticCount = byPayout[payoutResults[i].payout.id] ?? 0
            lineCount += payoutResults[i].lines.count
        }
        for i in invoiceResults.indices {
            invoiceResults[i].diagnosticCount = byInvoice[invoiceResults[i].invoice.id] ?? 0
        }
        for i in requestResults.indices {
            requestResults[i].diagnosticCount = byRequest[requestResults[i].paymentRequest.id] ?? 0
        }

        let summary = Summary(payoutCount: payoutResults.count, lineCount: lineCount, linesByRule: byRule,
                              diagnosticsByCode: byCode, diagnosticsBySeverity: bySeverity, currencies: currencies)
        var result = ReconciliationResult(window: input.window, payouts: payoutResults, invoices: invoiceResults,
                                          paymentRequests: requestResults, diagnostics: unique, summary: summary)
        result.bank = bank
        return result
    }

    /// Every `.unreadable` outside payout lines; lines are reported as their payouts are read.
    mutating func collectUnreadableOutsidePayouts() {
        for p in input.payouts { unreadable.report(p, source: .payout) }
        for t in input.payments { unreadable.report(t, source: .transaction) }
        for i in input.paidInvoicesInWindow { unreadable.report(i, source: .invoice) }
        for i in input.candidateInvoices { unreadable.report(i, source: .invoice) }
        for (_, lookup) in input.invoices {
            if case .found(let f) = lookup { unreadable.report(f, source: .invoice) }
        }
        for (_, lookup) in input.paymentRequests {
            if case .found(let f) = lookup { unreadable.report(f, source: .paymentRequest) }
        }
    }

    /// Readable payouts created in [since, until), each id once, by created_at then id.
    func payoutsInWindow() -> [Payout] {
        var seen = Set<String>()
        var out: [Payout] = []
        for fetched in input.payouts {
            guard let p = fetched.record, input.window.contains(p.createdAt), seen.insert(p.id).inserted else { continue }
            out.append(p)
        }
        out.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return out
    }

    /// GET /payments records of transactions no payout in the window lists: they still settle.
    mutating func addPaymentsOutsidePayouts() {
        for fetched in input.payments {
            guard let t = fetched.record, knownIndex[t.id] == nil else { continue }
            let type = t.effectiveType
            knownIndex[t.id] = known.count
            known.append(KnownTransaction(id: t.id, type: type, status: t.status, amount: t.amount,
                                           invoiceID: type.canLink ? t.invoiceID : nil,
                                           paymentRequestID: type.canLink ? t.paymentRequestID : nil,
                                           homePayoutID: nil))
        }
    }
}

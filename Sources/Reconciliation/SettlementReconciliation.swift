import APModels

extension Reconciler {
    // MARK: invoices

    /// Invoices in scope: linked from a payout line (directly or via GET /payments), and PAID
    /// invoices created in the window. Sorted by id.
    mutating func reconcileInvoices() -> [InvoiceResult] {
        // Positions in input.paidInvoicesInWindow, not copies: half a million invoices are ~100 MB a copy.
        var paidInWindow: [String: Int] = [:]
        for (position, fetched) in input.paidInvoicesInWindow.enumerated() {
            // The API was asked for PAID invoices created in the window; re-checked so a
            // lenient filter cannot widen the scope. No created_at: trust the filter.
            guard let invoice = fetched.record, invoice.status == .paid,
                  invoice.createdAt.map(input.window.contains) ?? true,
                  paidInWindow[invoice.id] == nil else { continue }
            paidInWindow[invoice.id] = position
        }
        var candidateByID: [String: Invoice] = [:]
        for fetched in input.candidateInvoices {
            if let invoice = fetched.record, candidateByID[invoice.id] == nil { candidateByID[invoice.id] = invoice }
        }

        var scope = Set<String>(minimumCapacity: invoiceLinks.count + paidInWindow.count)
        for link in invoiceLinks { scope.insert(link.targetID) }
        for id in paidInWindow.keys { scope.insert(id) }
        let chains = LinkChains(known, scope: scope, target: { $0.invoiceID })
        let ordered = scope.sorted()
        // Reserved for every link (~1M at a million lines): tens of MB not to hold beside the results.
        scope = []
        var notFound = Set<String>()
        var results: [InvoiceResult] = []
        results.reserveCapacity(ordered.count)
        for id in ordered {
            let resolved: Resolved<Invoice>
            switch input.invoices[id] {
            case .found(.record(let invoice))?: resolved = .record(invoice)
            case .found(.unreadable)?: resolved = .unreadable
            case .notFound?: resolved = .notFound
            // Not looked up by id: use a listing's copy; absent everywhere is reported as not found.
            case nil: resolved = (paidInWindow[id].flatMap { input.paidInvoicesInWindow[$0].record } ?? candidateByID[id])
                .map { .record($0) } ?? .notFound
            }
            switch resolved {
            case .record(let invoice):
                results.append(reconcileInvoice(invoice, chains: chains))
            case .notFound:
                notFound.insert(id)
            case .unreadable:
                break // already RECORD_UNREADABLE
            }
        }
        for link in invoiceLinks where notFound.contains(link.targetID) {
            diagnostics.append(Diagnose.txnInvoiceNotFound(payoutID: link.payoutID, transactionID: link.transactionID,
                                                           invoiceID: link.targetID))
        }
        return results
    }

    mutating func reconcileInvoice(_ invoice: Invoice, chains: LinkChains) -> InvoiceResult {
        let currency = invoice.amount.currency
        let amount = invoice.amount.minorUnits
        var tally = SettlementTally()
        var next = chains.first(invoice.id)
        while next >= 0 {
            let tx = known[next]
            next = chains.next[next]
            if tx.amount.currency != currency {
                diagnostics.append(Diagnose.txnCurrencyMismatch(transaction: tx, invoice: invoice))
            }
            tally.add(tx, currency: currency, fullAmount: amount)
        }
        let net = tally.net.value
        if net == nil {
            diagnostics.append(Diagnose.amountOverflow(subject: "settled payments of invoice \(invoice.id)",
                                                       detail: "net_settled", currency: currency, invoiceID: invoice.id))
        }
        if tally.fullPayments.count >= 2 {
            diagnostics.append(Diagnose.invoiceDuplicatePayment(invoice: invoice, net: net,
                                                                fullPayments: tally.fullPayments.sorted()))
        } else if let net, net > amount {
            diagnostics.append(Diagnose.invoiceOverpaid(invoice: invoice, net: net))
        }
        switch invoice.status {
        case .paid:
            if !tally.anySucceededPayment {
                diagnostics.append(Diagnose.invoicePaidWithoutPayment(invoice: invoice, net: net))
            }
            if let net, net > 0, net < amount {
                diagnostics.append(Diagnose.invoiceUnderpaid(invoice: invoice, net: net))
            }
            if !tally.notPaidOut.isEmpty {
                diagnostics.append(Diagnose.invoicePaymentNotPaidOut(invoice: invoice, paymentIDs: tally.notPaidOut.sorted()))
            }
        case .open, .overdue:
            if let net, net > 0, net < amount {
                diagnostics.append(Diagnose.invoicePartiallyPaid(invoice: invoice, net: net))
            } else if let net, net == amount {
                diagnostics.append(Diagnose.invoiceStatusStale(invoice: invoice, net: net))
            }
        case .other:
            break
        }
        if tally.settled.isEmpty {
            for refund in tally.refunds {
                diagnostics.append(Diagnose.refundWithoutPayment(transaction: refund, invoiceID: invoice.id))
            }
        }
        checkLineItems(invoice)
        return InvoiceResult(invoice: invoice, netSettled: net, settledPaymentIDs: tally.settled.sorted(),
                             state: SettlementState.of(net: net, amount: amount), diagnosticCount: 0)
    }

    mutating func checkLineItems(_ invoice: Invoice) {
        guard let items = invoice.lineItems, !items.isEmpty else { return }
        var total = WideSum()
        for item in items {
            let (product, overflow) = item.amount.multipliedReportingOverflow(by: item.quantity)
            if overflow {
                diagnostics.append(Diagnose.amountOverflow(subject: "line items of invoice \(invoice.id)",
                                                           detail: "line_items", currency: invoice.amount.currency,
                                                           invoiceID: invoice.id))
                return
            }
            total.add(product)
        }
        guard let sum = total.value else {
            diagnostics.append(Diagnose.amountOverflow(subject: "line items of invoice \(invoice.id)",
                                                       detail: "line_items", currency: invoice.amount.currency,
                                                       invoiceID: invoice.id))
            return
        }
        if sum != invoice.amount.minorUnits {
            diagnostics.append(Diagnose.invoiceLineItemsMismatch(invoice: invoice, lineItemsTotal: sum))
        }
    }

    // MARK: payment requests

    /// Payment requests in scope: linked from a payout line, or listed in the expected-requests file.
    mutating func reconcilePaymentRequests() -> [PaymentRequestResult] {
        let expected = Set(input.expectedPaymentRequestIDs)
        var scope = expected
        for link in requestLinks { scope.insert(link.targetID) }
        let chains = LinkChains(known, scope: scope, target: { $0.paymentRequestID })
        var notFound = Set<String>()
        var results: [PaymentRequestResult] = []
        for id in scope.sorted() {
            switch input.paymentRequests[id] {
            case .found(.record(let request))?:
                results.append(reconcilePaymentRequest(request, chains: chains, expected: expected.contains(id)))
            case .found(.unreadable)?:
                break // already RECORD_UNREADABLE
            case .notFound?, nil:
                // There is no list endpoint to fall back on. Only a linking payout line has a
                // catalogue code; an expected id that is missing has no line to report on.
                notFound.insert(id)
            }
        }
        for link in requestLinks where notFound.contains(link.targetID) {
            diagnostics.append(Diagnose.txnPaymentRequestNotFound(payoutID: link.payoutID,
                                                                  transactionID: link.transactionID,
                                                                  paymentRequestID: link.targetID))
        }
        return results
    }

    mutating func reconcilePaymentRequest(_ request: PaymentRequest, chains: LinkChains,
                                          expected: Bool) -> PaymentRequestResult {
        let currency = request.amount.currency
        let amount = request.amount.minorUnits
        var tally = SettlementTally()
        var next = chains.first(request.id)
        while next >= 0 {
            let tx = known[next]
            next = chains.next[next]
            if tx.amount.currency != currency {
                diagnostics.append(Diagnose.txnCurrencyMismatch(transaction: tx, request: request))
            } else if tx.isPayment, tx.amount.minorUnits != amount {
                diagnostics.append(Diagnose.txnAmountMismatch(transaction: tx, request: request))
            }
            tally.add(tx, currency: currency, fullAmount: amount)
        }
        let net = tally.net.value
        if net == nil {
            diagnostics.append(Diagnose.amountOverflow(subject: "settled payments of payment request \(request.id)",
                                                       detail: "net_settled", currency: currency,
                                                       paymentRequestID: request.id))
        }
        if !tally.settled.isEmpty, request.status != .paid {
            diagnostics.append(Diagnose.paymentRequestStatusStale(request: request, net: net))
        }
        if tally.settled.isEmpty {
            if request.status == .paid {
                diagnostics.append(Diagnose.paymentRequestPaidWithoutPayment(request: request, net: net))
            }
            for refund in tally.refunds {
                diagnostics.append(Diagnose.refundWithoutPayment(transaction: refund, paymentRequestID: request.id))
            }
        }
        return PaymentRequestResult(paymentRequest: request, netSettled: net, settledPaymentIDs: tally.settled.sorted(),
                                    state: SettlementState.of(net: net, amount: amount), expected: expected,
                                    diagnosticCount: 0)
    }
}

/// The known transactions linked to each in-scope target, as chains through one array:
/// `first(id)` is a position in `known`, `next[position]` the following one, -1 ends a chain.
/// One dictionary entry per target and no array per target, which matters at 10^6 transactions.
struct LinkChains {
    private var head: [String: Int]
    private(set) var next: [Int]

    init(_ known: [KnownTransaction], scope: Set<String>, target: (KnownTransaction) -> String?) {
        head = Dictionary(minimumCapacity: scope.count)
        for id in scope { head[id] = -1 }
        next = [Int](repeating: -1, count: known.count)
        guard !scope.isEmpty else { return }
        for position in known.indices {
            guard let id = target(known[position]), let slot = head.index(forKey: id) else { continue }
            next[position] = head.values[slot]
            head.values[slot] = position
        }
    }

    func first(_ id: String) -> Int { head[id] ?? -1 }
}

/// Sums what the transactions linked to one invoice or payment request settle.
struct SettlementTally {
    /// Σ settled payments − Σ succeeded refunds and chargebacks, in the record's currency.
    var net = WideSum()
    /// Succeeded payments in the record's currency.
    var settled: [String] = []
    /// Settled payments each equal to the full amount (INVOICE_DUPLICATE_PAYMENT).
    var fullPayments: [String] = []
    /// Any succeeded payment, whatever its currency (INVOICE_PAID_WITHOUT_PAYMENT).
    var anySucceededPayment = false
    /// Succeeded payments known only from GET /payments (INVOICE_PAYMENT_NOT_PAID_OUT).
    var notPaidOut: [String] = []
    /// Refunds of any status (REFUND_WITHOUT_PAYMENT).
    var refunds: [KnownTransaction] = []

    mutating func add(_ tx: KnownTransaction, currency: Currency, fullAmount: Int64) {
        let sameCurrency = tx.amount.currency == currency
        if tx.isPayment && tx.isSucceeded {
            anySucceededPayment = true
            if tx.homePayoutID == nil { notPaidOut.append(tx.id) }
            if sameCurrency {
                settled.append(tx.id)
                net.add(tx.amount.minorUnits)
                if tx.amount.minorUnits == fullAmount { fullPayments.append(tx.id) }
            }
        } else if tx.isReversal && tx.isSucceeded && sameCurrency {
            net.subtract(tx.amount.minorUnits)
        }
        if tx.type == .refund { refunds.append(tx) }
    }
}

import APModels

extension Reconciler {
    // MARK: invoices

    /// Invoices in scope: linked from a payout line (directly or via GET /payments), and PAID
    /// invoices created in the window. Sorted by id.
    mutating func reconcileInvoices() -> [InvoiceResult] {
        var paidInWindow: [String: Invoice] = [:]
        for fetched in input.paidInvoicesInWindow {
            // The API was asked for PAID invoices created in the window; re-checked so a
            // lenient filter cannot widen the scope. No created_at: trust the filter.
            guard let invoice = fetched.record, invoice.status == .paid,
                  invoice.createdAt.map(input.window.contains) ?? true,
                  paidInWindow[invoice.id] == nil else { continue }
            paidInWindow[invoice.id] = invoice
        }
        var candidateByID: [String: Invoice] = [:]
        for fetched in input.candidateInvoices {
            if let invoice = fetched.record, candidateByID[invoice.id] == nil { candidateByID[invoice.id] = invoice }
        }

        let scope = Set(invoiceLinkers.keys).union(paidInWindow.keys)
        let links = settlementLinks(scope: scope, key: \.invoiceID)
        var results: [InvoiceResult] = []
        for id in scope.sorted() {
            let resolved: Resolved<Invoice>
            switch input.invoices[id] {
            case .found(.record(let invoice))?: resolved = .record(invoice)
            case .found(.unreadable)?: resolved = .unreadable
            case .notFound?: resolved = .notFound
            // Not looked up by id: use a listing's copy; absent everywhere is reported as not found.
            case nil: resolved = (paidInWindow[id] ?? candidateByID[id]).map { .record($0) } ?? .notFound
            }
            switch resolved {
            case .record(let invoice):
                results.append(reconcileInvoice(invoice, links: links[id] ?? []))
            case .notFound:
                for linker in invoiceLinkers[id] ?? [] {
                    diagnostics.append(Diagnose.txnInvoiceNotFound(payoutID: linker.payoutID,
                                                                   transactionID: linker.transactionID, invoiceID: id))
                }
            case .unreadable:
                break // already RECORD_UNREADABLE
            }
        }
        return results
    }

    mutating func reconcileInvoice(_ invoice: Invoice, links: [KnownTransaction]) -> InvoiceResult {
        let currency = invoice.amount.currency
        let amount = invoice.amount.minorUnits
        var tally = SettlementTally()
        for tx in links {
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
        let scope = Set(requestLinkers.keys).union(expected)
        let links = settlementLinks(scope: scope, key: \.paymentRequestID)
        var results: [PaymentRequestResult] = []
        for id in scope.sorted() {
            switch input.paymentRequests[id] {
            case .found(.record(let request))?:
                results.append(reconcilePaymentRequest(request, links: links[id] ?? [], expected: expected.contains(id)))
            case .found(.unreadable)?:
                break // already RECORD_UNREADABLE
            case .notFound?, nil:
                // There is no list endpoint to fall back on. Only a linking payout line has a
                // catalogue code; an expected id that is missing has no line to report on.
                for linker in requestLinkers[id] ?? [] {
                    diagnostics.append(Diagnose.txnPaymentRequestNotFound(payoutID: linker.payoutID,
                                                                          transactionID: linker.transactionID,
                                                                          paymentRequestID: id))
                }
            }
        }
        return results
    }

    mutating func reconcilePaymentRequest(_ request: PaymentRequest, links: [KnownTransaction],
                                          expected: Bool) -> PaymentRequestResult {
        let currency = request.amount.currency
        let amount = request.amount.minorUnits
        var tally = SettlementTally()
        for tx in links {
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

    // MARK: shared

    /// Known transactions by the in-scope target they link to, one pass over all of them.
    func settlementLinks(scope: Set<String>, key: KeyPath<KnownTransaction, String?>) -> [String: [KnownTransaction]] {
        var out: [String: [KnownTransaction]] = [:]
        guard !scope.isEmpty else { return out }
        for tx in known.values {
            if let target = tx[keyPath: key], scope.contains(target) { out[target, default: []].append(tx) }
        }
        return out
    }
}

/// Sums what the transactions linked to one invoice or payment request settle (issue 3 §3).
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

import APModels

/// One constructor per catalogue code: the ids, amounts and message each code carries,
/// in one place so the wording stays consistent and deterministic.
enum Diagnose {
    static func money(_ minor: Int64, _ currency: Currency) -> String {
        Money(minorUnits: minor, currency: currency).description
    }

    /// "the difference is 50.00 USD" (actual − expected), or a plain statement when it does not fit in Int64.
    static func difference(expected: Int64, actual: Int64, _ currency: Currency) -> String {
        let (delta, overflow) = actual.subtractingReportingOverflow(expected)
        return overflow ? "the difference is too large to compute" : "the difference is \(money(delta, currency))"
    }

    static func noun(_ type: TransactionType) -> String {
        switch type {
        case .payment: "Payment"
        case .refund: "Refund"
        case .chargeback: "Chargeback"
        case .fee: "Fee"
        case .adjustment: "Adjustment"
        case .other(let s): "Transaction (type \(s))"
        }
    }

    static func payoutAmountMismatch(payout: Payout, computed: Int64) -> Diagnostic {
        let c = payout.amount.currency
        let message = "Payout \(payout.id) is \(money(payout.amount.minorUnits, c)) but its transactions add up to "
            + "\(money(computed, c)); \(difference(expected: computed, actual: payout.amount.minorUnits, c)). Ask the provider for the missing or extra lines."
        return Diagnostic(code: .payoutAmountMismatch, message: message, payoutID: payout.id,
                          expected: computed, actual: payout.amount.minorUnits, currency: c)
    }

    static func payoutCurrencyMismatch(payout: Payout, line: PayoutTransaction) -> Diagnostic {
        Diagnostic(code: .payoutCurrencyMismatch,
                   message: "Transaction \(line.id) in payout \(payout.id) is in \(line.amount.currency.code) but the payout "
                       + "is in \(payout.amount.currency.code), so it was left out of the payout's total; "
                       + "ask the provider how it was converted.",
                   payoutID: payout.id, transactionID: line.id, currency: line.amount.currency)
    }

    static func payoutEmpty(payout: Payout) -> Diagnostic {
        Diagnostic(code: .payoutEmpty,
                   message: "Payout \(payout.id) is \(payout.amount) but the provider listed no transactions for it; "
                       + "ask the provider for its transaction list.",
                   payoutID: payout.id, expected: 0, actual: payout.amount.minorUnits, currency: payout.amount.currency)
    }

    static func payoutFailed(payout: Payout) -> Diagnostic {
        Diagnostic(code: .payoutFailed,
                   message: "Payout \(payout.id) of \(payout.amount) has status \(payout.status.name), so the money did not "
                       + "reach the bank account; check with the provider whether it will be paid again.",
                   payoutID: payout.id)
    }

    static func txnNotSucceeded(payoutID: String, line: PayoutTransaction) -> Diagnostic {
        Diagnostic(code: .txnNotSucceeded,
                   message: "Transaction \(line.id) in payout \(payoutID) has status \(line.status.name), not succeeded; "
                       + "ask the provider why it was included in a payout.",
                   payoutID: payoutID, transactionID: line.id)
    }

    static func txnInMultiplePayouts(payoutID: String, transactionID: String, firstPayoutID: String) -> Diagnostic {
        Diagnostic(code: .txnInMultiplePayouts,
                   message: "Transaction \(transactionID) is in payout \(payoutID) and already in payout \(firstPayoutID); "
                       + "it counts once for settlement, so ask the provider which payout it belongs to.",
                   payoutID: payoutID, transactionID: transactionID)
    }

    static func txnUnlinked(payoutID: String, line: PayoutTransaction) -> Diagnostic {
        Diagnostic(code: .txnUnlinked,
                   message: "\(noun(line.type)) \(line.id) of \(line.amount) in payout \(payoutID) links to no invoice or "
                       + "payment request and no open invoice has that amount; find what it pays and record it by hand.",
                   payoutID: payoutID, transactionID: line.id, actual: line.amount.minorUnits, currency: line.amount.currency)
    }

    static func txnSuggestedMatch(payoutID: String, line: PayoutTransaction, candidate: String) -> Diagnostic {
        Diagnostic(code: .txnSuggestedMatch,
                   message: "\(noun(line.type)) \(line.id) of \(line.amount) in payout \(payoutID) has no link, but open "
                       + "invoice \(candidate) has the same amount; confirm the match and record it (it was not counted "
                       + "as settled).",
                   payoutID: payoutID, transactionID: line.id, actual: line.amount.minorUnits,
                   currency: line.amount.currency, candidateInvoiceIDs: [candidate])
    }

    static func txnAmbiguousMatch(payoutID: String, line: PayoutTransaction, candidates: [String]) -> Diagnostic {
        let shown = candidates.count > 10
            ? candidates.prefix(10).joined(separator: ", ") + " and \(candidates.count - 10) more"
            : candidates.joined(separator: ", ")
        return Diagnostic(code: .txnAmbiguousMatch,
                          message: "\(noun(line.type)) \(line.id) of \(line.amount) in payout \(payoutID) has no link and "
                              + "\(candidates.count) open invoices have the same amount (\(shown)); decide which one it "
                              + "pays and record it (none was counted as settled).",
                          payoutID: payoutID, transactionID: line.id, actual: line.amount.minorUnits,
                          currency: line.amount.currency, candidateInvoiceIDs: candidates)
    }

    static func txnInvoiceNotFound(payoutID: String, transactionID: String, invoiceID: String) -> Diagnostic {
        Diagnostic(code: .txnInvoiceNotFound,
                   message: "Transaction \(transactionID) in payout \(payoutID) links to invoice \(invoiceID), which the "
                       + "provider could not find; check the invoice id with the provider.",
                   payoutID: payoutID, transactionID: transactionID, invoiceID: invoiceID)
    }

    static func txnPaymentRequestNotFound(payoutID: String, transactionID: String, paymentRequestID: String) -> Diagnostic {
        Diagnostic(code: .txnPaymentRequestNotFound,
                   message: "Transaction \(transactionID) in payout \(payoutID) links to payment request "
                       + "\(paymentRequestID), which the provider could not find; check the request id with the provider.",
                   payoutID: payoutID, transactionID: transactionID, paymentRequestID: paymentRequestID)
    }

    static func txnCurrencyMismatch(transaction: KnownTransaction, invoice: Invoice) -> Diagnostic {
        Diagnostic(code: .txnCurrencyMismatch,
                   message: "Transaction \(transaction.id) is in \(transaction.amount.currency.code) but invoice "
                       + "\(invoice.id) is in \(invoice.amount.currency.code), so it does not count toward the invoice; "
                       + "check how it was converted.",
                   transactionID: transaction.id, invoiceID: invoice.id, currency: transaction.amount.currency)
    }

    static func txnCurrencyMismatch(transaction: KnownTransaction, request: PaymentRequest) -> Diagnostic {
        Diagnostic(code: .txnCurrencyMismatch,
                   message: "Transaction \(transaction.id) is in \(transaction.amount.currency.code) but payment request "
                       + "\(request.id) is in \(request.amount.currency.code), so it does not count toward the request; "
                       + "check how it was converted.",
                   transactionID: transaction.id, paymentRequestID: request.id, currency: transaction.amount.currency)
    }

    static func txnAmountMismatch(transaction: KnownTransaction, request: PaymentRequest) -> Diagnostic {
        let c = request.amount.currency
        return Diagnostic(code: .txnAmountMismatch,
                          message: "Payment \(transaction.id) is \(transaction.amount) but payment request \(request.id) "
                              + "asks for \(request.amount); \(difference(expected: request.amount.minorUnits, actual: transaction.amount.minorUnits, c)). Check whether the customer paid "
                              + "the right amount.",
                          transactionID: transaction.id, paymentRequestID: request.id,
                          expected: request.amount.minorUnits, actual: transaction.amount.minorUnits, currency: c)
    }

    static func refundWithoutPayment(transaction: KnownTransaction, invoiceID: String) -> Diagnostic {
        Diagnostic(code: .refundWithoutPayment,
                   message: "Refund \(transaction.id) of \(transaction.amount) links to invoice \(invoiceID), which has no "
                       + "settled payment; check what was refunded.",
                   transactionID: transaction.id, invoiceID: invoiceID,
                   actual: transaction.amount.minorUnits, currency: transaction.amount.currency)
    }

    static func refundWithoutPayment(transaction: KnownTransaction, paymentRequestID: String) -> Diagnostic {
        Diagnostic(code: .refundWithoutPayment,
                   message: "Refund \(transaction.id) of \(transaction.amount) links to payment request "
                       + "\(paymentRequestID), which has no settled payment; check what was refunded.",
                   transactionID: transaction.id, paymentRequestID: paymentRequestID,
                   actual: transaction.amount.minorUnits, currency: transaction.amount.currency)
    }

    static func recordUnreadable(_ record: UnreadableRecord, source: RecordSource, payoutID: String?) -> Diagnostic {
        let id = record.id
        let named = id.map { " (id \($0))" } ?? ""
        return Diagnostic(code: .recordUnreadable,
                          message: "A record from \(record.endpoint)\(named) could not be used: \(record.reason). "
                              + "It was left out of the reconciliation; ask the provider to correct it.",
                          payoutID: source == .payout ? id : payoutID,
                          transactionID: source == .transaction ? id : nil,
                          invoiceID: source == .invoice ? id : nil,
                          paymentRequestID: source == .paymentRequest ? id : nil,
                          endpoint: record.endpoint, rawJSON: record.rawJSON, reason: record.reason,
                          fingerprintDetail: [record.endpoint] + (id == nil ? [Fingerprint.fnv1a(record.rawJSON)] : []))
    }

    static func invoiceDuplicatePayment(invoice: Invoice, net: Int64?, fullPayments: [String]) -> Diagnostic {
        Diagnostic(code: .invoiceDuplicatePayment,
                   message: "Invoice \(invoice.id) of \(invoice.amount) was paid in full \(fullPayments.count) times "
                       + "(\(fullPayments.joined(separator: ", "))); refund the extra payments or apply them elsewhere.",
                   invoiceID: invoice.id, expected: invoice.amount.minorUnits, actual: net, currency: invoice.amount.currency)
    }

    static func invoiceOverpaid(invoice: Invoice, net: Int64) -> Diagnostic {
        let c = invoice.amount.currency
        let (excessAmount, overflow) = net.subtractingReportingOverflow(invoice.amount.minorUnits)
        let excess = overflow ? "far too much" : "\(money(excessAmount, c)) too much"
        return Diagnostic(code: .invoiceOverpaid,
                          message: "Invoice \(invoice.id) is \(invoice.amount) but \(money(net, c)) was settled for it, "
                              + "\(excess); refund or credit the customer.",
                          invoiceID: invoice.id, expected: invoice.amount.minorUnits, actual: net, currency: c)
    }

    static func invoiceUnderpaid(invoice: Invoice, net: Int64) -> Diagnostic {
        let c = invoice.amount.currency
        // 0 < net < amount, so amount − net cannot overflow.
        let missing = invoice.amount.minorUnits - net
        return Diagnostic(code: .invoiceUnderpaid,
                          message: "Invoice \(invoice.id) is marked PAID but only \(money(net, c)) of \(invoice.amount) "
                              + "was settled; \(money(missing, c)) is missing, so collect the rest or correct the status.",
                          invoiceID: invoice.id, expected: invoice.amount.minorUnits, actual: net, currency: c)
    }

    static func invoicePaidWithoutPayment(invoice: Invoice, net: Int64?) -> Diagnostic {
        Diagnostic(code: .invoicePaidWithoutPayment,
                   message: "Invoice \(invoice.id) of \(invoice.amount) is marked PAID but no succeeded payment for it was "
                       + "found in the payouts or the payments list; find how it was paid before closing it.",
                   invoiceID: invoice.id, expected: invoice.amount.minorUnits, actual: net, currency: invoice.amount.currency)
    }

    static func invoicePaymentNotPaidOut(invoice: Invoice, paymentIDs: [String]) -> Diagnostic {
        let which = paymentIDs.count == 1 ? "payment \(paymentIDs[0])" : "payments \(paymentIDs.joined(separator: ", "))"
        return Diagnostic(code: .invoicePaymentNotPaidOut,
                          message: "Invoice \(invoice.id) is PAID and its \(which) succeeded, but no payout of this window "
                              + "contains it; expect it in a later payout.",
                          invoiceID: invoice.id)
    }

    static func invoicePartiallyPaid(invoice: Invoice, net: Int64) -> Diagnostic {
        let c = invoice.amount.currency
        let due = invoice.amount.minorUnits - net // 0 < net < amount: no overflow
        return Diagnostic(code: .invoicePartiallyPaid,
                          message: "Invoice \(invoice.id) is \(invoice.status.name) and \(money(net, c)) of "
                              + "\(invoice.amount) has been settled; \(money(due, c)) is still due.",
                          invoiceID: invoice.id, expected: invoice.amount.minorUnits, actual: net, currency: c)
    }

    static func invoiceStatusStale(invoice: Invoice, net: Int64) -> Diagnostic {
        Diagnostic(code: .invoiceStatusStale,
                   message: "Invoice \(invoice.id) is still \(invoice.status.name) although its \(invoice.amount) has been "
                       + "settled in full; mark it PAID.",
                   invoiceID: invoice.id, expected: invoice.amount.minorUnits, actual: net, currency: invoice.amount.currency)
    }

    static func invoiceLineItemsMismatch(invoice: Invoice, lineItemsTotal: Int64) -> Diagnostic {
        let c = invoice.amount.currency
        return Diagnostic(code: .invoiceLineItemsMismatch,
                          message: "Invoice \(invoice.id) is \(invoice.amount) but its line items add up to "
                              + "\(money(lineItemsTotal, c)); correct the invoice or its line items.",
                          invoiceID: invoice.id, expected: lineItemsTotal, actual: invoice.amount.minorUnits, currency: c)
    }

    static func paymentRequestStatusStale(request: PaymentRequest, net: Int64?) -> Diagnostic {
        Diagnostic(code: .paymentRequestStatusStale,
                   message: "Payment request \(request.id) has status \(request.status.name) although a succeeded payment "
                       + "settled it; check it and have it marked PAID.",
                   paymentRequestID: request.id, expected: request.amount.minorUnits, actual: net,
                   currency: request.amount.currency)
    }

    static func paymentRequestPaidWithoutPayment(request: PaymentRequest, net: Int64?) -> Diagnostic {
        Diagnostic(code: .paymentRequestPaidWithoutPayment,
                   message: "Payment request \(request.id) of \(request.amount) is marked PAID but no settled payment for "
                       + "it was found; find how it was paid before closing it.",
                   paymentRequestID: request.id, expected: request.amount.minorUnits, actual: net,
                   currency: request.amount.currency)
    }

    /// `subject` names the sum ("transactions of payout po_1"); `detail` keeps two overflows
    /// of the same record apart in the fingerprint.
    static func amountOverflow(subject: String, detail: String, currency: Currency?,
                               payoutID: String? = nil, invoiceID: String? = nil,
                               paymentRequestID: String? = nil) -> Diagnostic {
        Diagnostic(code: .amountOverflow,
                   message: "The sum of the \(subject) does not fit in 64-bit minor units, so it could not be checked; "
                       + "the records carry impossible amounts, ask the provider to correct them.",
                   payoutID: payoutID, invoiceID: invoiceID, paymentRequestID: paymentRequestID, currency: currency,
                   fingerprintDetail: [detail])
    }
}

/// Which kind of record an unreadable one was meant to be: decides which id field carries its id.
enum RecordSource: Sendable, Hashable {
    case payout, transaction, invoice, paymentRequest
}

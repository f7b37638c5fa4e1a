import APModels
import Reconciliation

/// An in-memory input shaped like a year of a large merchant, built without JSON so the
/// benchmark measures the engine and the renderers only.
///
/// Per payout of 100 lines: 50 payments each paying one invoice in full, 40 paying a payment
/// request, 9 whose link is learned from GET /payments, and one fee. Every 100th invoice is
/// billed 1.00 more than paid, so diagnostics are rendered too. Ids look like the provider's documents
/// (`txn_0000001`): up to 15 bytes, so Swift keeps them inline without a heap allocation.
enum OfflineInput {
    static let linesPerPayout = 100

    static func make(lines lineCount: Int, invoices invoiceTarget: Int) -> ReconciliationInput {
        let usd = Currency(code: "USD")!
        let payoutCount = max(1, lineCount / linesPerPayout)
        let start: Int64 = 1_704_067_200 // 2024-01-01T00:00:00Z
        let window = ReportWindow(since: Timestamp(epochSeconds: start),
                                  until: Timestamp(epochSeconds: start + Int64(payoutCount + 2) * 86_400))
        // Spread the invoice-paying lines so that `invoiceTarget` invoices are paid in all.
        let invoiceLinesPerPayout = min(linesPerPayout - 1, max(0, (invoiceTarget + payoutCount - 1) / payoutCount))
        let learnedPerPayout = min(9, linesPerPayout - 1 - invoiceLinesPerPayout)

        func id(_ prefix: String, _ n: Int) -> String {
            let digits = String(n)
            return prefix + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
        }

        var payouts: [Fetched<Payout>] = []
        var payoutLines: [String: [Fetched<PayoutTransaction>]] = [:]
        var payments: [Fetched<Transaction>] = []
        var paidInvoices: [Fetched<Invoice>] = []
        var invoices: [String: Lookup<Invoice>] = [:]
        var requests: [String: Lookup<PaymentRequest>] = [:]
        payouts.reserveCapacity(payoutCount)
        payoutLines.reserveCapacity(payoutCount)
        var txn = 0, inv = 0, preq = 0
        for p in 0..<payoutCount {
            let payoutID = id("pout", p + 1)
            let created = start + Int64(p + 1) * 86_400
            var lines: [Fetched<PayoutTransaction>] = []
            lines.reserveCapacity(linesPerPayout)
            var net: Int64 = 0
            for l in 0..<(linesPerPayout - 1) {
                txn += 1
                let amount = Int64(1_000 + (txn % 997) * 100)
                let customer = id("cust", txn % 5_000 + 1)
                let at = Timestamp(epochSeconds: created - 86_400 + Int64(l) * 60)
                var line = PayoutTransaction(id: id("txn_", txn), status: .succeeded, amount: Money(minorUnits: amount, currency: usd),
                                             type: .payment, direction: .inbound, customerID: customer, createdAt: at)
                if l < invoiceLinesPerPayout && inv < invoiceTarget {
                    inv += 1
                    let invoiceID = id("inv_", inv)
                    line.invoiceID = invoiceID
                    let billed = inv % 100 == 0 ? amount + 100 : amount
                    let invoice = Invoice(id: invoiceID, customerID: customer, status: .paid, amount: Money(minorUnits: billed, currency: usd),
                                          dueDate: "2024-12-31", createdAt: at,
                                          lineItems: [InvoiceLineItem(description: "Monthly service", amount: billed, quantity: 1)])
                    paidInvoices.append(.record(invoice))
                    invoices[invoiceID] = .found(.record(invoice))
                } else if l < invoiceLinesPerPayout + learnedPerPayout {
                    // No link on the line; GET /payments?customer_id=… tells which request it pays.
                    preq += 1
                    let requestID = id("preq", preq)
                    payments.append(.record(Transaction(id: line.id, amount: line.amount, status: .succeeded, paymentMethod: "card",
                                                        createdAt: at, type: .payment, direction: .inbound,
                                                        paymentRequestID: requestID, customerID: customer)))
                    requests[requestID] = .found(.record(PaymentRequest(id: requestID, amount: line.amount, status: .paid,
                                                                        referenceID: id("ref_", preq), url: nil)))
                } else {
                    preq += 1
                    let requestID = id("preq", preq)
                    line.paymentRequestID = requestID
                    requests[requestID] = .found(.record(PaymentRequest(id: requestID, amount: line.amount, status: .paid,
                                                                        referenceID: id("ref_", preq), url: nil)))
                }
                net += amount
                lines.append(.record(line))
            }
            txn += 1
            let fee = net * 29 / 1000
            lines.append(.record(PayoutTransaction(id: id("txn_", txn), status: .succeeded, amount: Money(minorUnits: fee, currency: usd),
                                                   type: .fee, direction: .outbound,
                                                   createdAt: Timestamp(epochSeconds: created - 60))))
            net -= fee
            payouts.append(.record(Payout(id: payoutID, status: .succeeded, amount: Money(minorUnits: net, currency: usd),
                                          createdAt: Timestamp(epochSeconds: created), arrivalDate: "2024-12-31")))
            payoutLines[payoutID] = lines
        }
        return ReconciliationInput(window: window, payouts: payouts, payoutLines: payoutLines, payments: payments,
                                   invoices: invoices, paymentRequests: requests, paidInvoicesInWindow: paidInvoices)
    }
}

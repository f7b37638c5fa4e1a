import APModels
import Reconciliation

/// A synthetic night at the scale the engine must handle: `payouts × linesPerPayout` lines
/// and `invoiceCount` invoices. Deterministic. Mixes every matching path: line links (60%),
/// GET /payments links (20%), candidate searches (10%), fees (10%). Four fifths of the
/// invoices are PAID and settled by two half payments; the rest are the open candidate pool.
/// Problems: every 100th payout is off by one cent, and the candidate searches.
func largeScenario(payouts payoutCount: Int = 10_000, linesPerPayout: Int = 100,
                   invoiceCount: Int = 500_000) -> ReconciliationInput {
    var payouts: [Fetched<Payout>] = []
    var lines: [String: [Fetched<PayoutTransaction>]] = [:]
    var payments: [Fetched<Transaction>] = []
    var invoices: [String: Lookup<Invoice>] = [:]
    var candidates: [Fetched<Invoice>] = []
    payouts.reserveCapacity(payoutCount)
    lines.reserveCapacity(payoutCount)
    invoices.reserveCapacity(invoiceCount)

    for i in 0..<invoiceCount {
        let id = "inv_\(i)"
        let amount = Int64(2_000 + 2 * (i % 5_000))
        if i % 5 != 4 {
            invoices[id] = .found(.record(invoiceRecord(id, amount, .paid, customer: "cus_\(i % 1_000)")))
        } else {
            candidates.append(.record(invoiceRecord(id, amount, .open, customer: "cus_\(i % 1_000)")))
        }
    }
    let paidCount = invoiceCount - invoiceCount / 5
    var invoiceCursor = 0
    /// The next half payment: two consecutive calls pay the two halves of one PAID invoice.
    func nextHalf() -> (id: String, amount: Int64) {
        let paid = (invoiceCursor / 2) % paidCount
        invoiceCursor += 1
        let index = paid / 4 * 5 + paid % 4 // the paid-th invoice with i % 5 != 4
        return ("inv_\(index)", Int64(1_000 + (index % 5_000)))
    }
    for p in 0..<payoutCount {
        let payoutID = "po_\(p)"
        var list: [Fetched<PayoutTransaction>] = []
        list.reserveCapacity(linesPerPayout)
        var total: Int64 = 0
        for l in 0..<linesPerPayout {
            let txID = "tx_\(p)_\(l)"
            switch l % 10 {
            case 0:
                list.append(line(txID, 30, .fee))
                total -= 30
            case 1, 2:
                // linked through GET /payments only
                let (invoiceID, amount) = nextHalf()
                list.append(line(txID, amount))
                payments.append(payment(txID, amount, invoice: invoiceID))
                total += amount
            case 3:
                // unlinked: searches the candidate index (customer named)
                let amount = Int64(2_000 + 2 * ((p * 7 + l) % 6_000))
                list.append(line(txID, amount, customer: "cus_\((p + l) % 1_000)"))
                total += amount
            default:
                let (invoiceID, amount) = nextHalf()
                list.append(line(txID, amount, invoice: invoiceID))
                total += amount
            }
        }
        // every 100th payout is off by one cent
        payouts.append(payout(payoutID, p % 100 == 0 ? total + 1 : total,
                              at: "2024-01-10T\(p % 24 < 10 ? "0" : "")\(p % 24):00:00Z"))
        lines[payoutID] = list
    }
    return ReconciliationInput(window: window, payouts: payouts, payoutLines: lines, payments: payments,
                               invoices: invoices, candidateInvoices: candidates)
}

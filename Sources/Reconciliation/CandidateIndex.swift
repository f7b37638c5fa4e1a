import APModels

/// OPEN and OVERDUE invoices keyed by (currency, amount) and by (currency, amount, customer),
/// so finding the candidates for one line is two dictionary lookups, not a scan.
struct CandidateIndex: Sendable {
    private struct AmountKey: Hashable {
        var currency: Currency
        var amount: Int64
    }

    private struct CustomerKey: Hashable {
        var currency: Currency
        var amount: Int64
        var customerID: String
    }

    private var byAmount: [AmountKey: [String]] = [:]
    private var byCustomer: [CustomerKey: [String]] = [:]

    init(_ invoices: [Invoice]) {
        var seen = Set<String>()
        for invoice in invoices where invoice.status == .open || invoice.status == .overdue {
            guard seen.insert(invoice.id).inserted else { continue }
            let key = AmountKey(currency: invoice.amount.currency, amount: invoice.amount.minorUnits)
            byAmount[key, default: []].append(invoice.id)
            if let customer = invoice.customerID {
                byCustomer[CustomerKey(currency: key.currency, amount: key.amount, customerID: customer), default: []]
                    .append(invoice.id)
            }
        }
        for key in byAmount.keys { byAmount[key]?.sort() }
        for key in byCustomer.keys { byCustomer[key]?.sort() }
    }

    /// Sorted ids of the open invoices with this amount, restricted to the customer when one is named.
    func candidates(for amount: Money, customerID: String?) -> [String] {
        if let customerID {
            return byCustomer[CustomerKey(currency: amount.currency, amount: amount.minorUnits, customerID: customerID)] ?? []
        }
        return byAmount[AmountKey(currency: amount.currency, amount: amount.minorUnits)] ?? []
    }
}

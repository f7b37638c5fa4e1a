import APModels

/// The counted lines of one payout, all in the payout's currency. Fixed slots for the known
/// types keep the per-line work free of hashing.
struct LineTotals {
    var inbound = WideSum()
    var outbound = WideSum()
    /// payment, refund, fee, chargeback, adjustment.
    var outboundKnown = [WideSum](repeating: WideSum(), count: 5)
    var used = [Bool](repeating: false, count: 5)
    var outboundOther: [String: WideSum] = [:]

    mutating func add(_ line: PayoutTransaction, direction: Direction) {
        let amount = line.amount.minorUnits
        switch direction {
        case .inbound:
            inbound.add(amount)
        case .outbound:
            outbound.add(amount)
            let slot: Int
            switch line.type {
            case .payment: slot = 0
            case .refund: slot = 1
            case .fee: slot = 2
            case .chargeback: slot = 3
            case .adjustment: slot = 4
            case .other(let name):
                outboundOther[name, default: WideSum()].add(amount)
                return
            }
            outboundKnown[slot].add(amount)
            used[slot] = true
        }
    }

    static let knownNames = ["payment", "refund", "fee", "chargeback", "adjustment"]
}

/// Accumulates the per-currency totals of the summary, exactly (see `WideSum`).
struct TotalsBuilder {
    private struct Accumulator {
        var payoutCount = 0
        var payoutAmount = WideSum()
        var inbound = WideSum()
        var outbound = WideSum()
        var outboundByType: [String: WideSum] = [:]
    }

    private var byCurrency: [Currency: Accumulator] = [:]

    mutating func addPayout(_ payout: Payout) {
        byCurrency[payout.amount.currency, default: Accumulator()].payoutCount += 1
        byCurrency[payout.amount.currency, default: Accumulator()].payoutAmount.add(payout.amount.minorUnits)
    }

    /// Only lines counted in their payout's amount, so the totals restate the payout equations.
    mutating func addLines(_ lines: LineTotals, currency: Currency) {
        var acc = byCurrency.removeValue(forKey: currency) ?? Accumulator()
        acc.inbound.add(lines.inbound)
        acc.outbound.add(lines.outbound)
        for slot in 0..<LineTotals.knownNames.count where lines.used[slot] {
            acc.outboundByType[LineTotals.knownNames[slot], default: WideSum()].add(lines.outboundKnown[slot])
        }
        for (name, sum) in lines.outboundOther {
            acc.outboundByType[name, default: WideSum()].add(sum)
        }
        byCurrency[currency] = acc
    }

    /// The totals by currency code; a total that does not fit in Int64 is nil and reported.
    func build(into diagnostics: inout [Diagnostic]) -> [CurrencyTotals] {
        var out: [CurrencyTotals] = []
        for currency in byCurrency.keys.sorted() {
            guard let acc = byCurrency[currency] else { continue }
            func total(_ sum: WideSum, _ name: String) -> Int64? {
                guard let value = sum.value else {
                    diagnostics.append(Diagnose.amountOverflow(subject: "\(name) in \(currency.code) in the summary",
                                                               detail: "summary:\(name):\(currency.code)",
                                                               currency: currency))
                    return nil
                }
                return value
            }
            let byType = acc.outboundByType.keys.sorted().map { type in
                TypeTotal(type: type, total: total(acc.outboundByType[type] ?? WideSum(), "\(type) amounts"))
            }
            out.append(CurrencyTotals(currency: currency, payoutCount: acc.payoutCount,
                                      payoutAmountTotal: total(acc.payoutAmount, "payout amounts"),
                                      inboundTotal: total(acc.inbound, "inbound amounts"),
                                      outboundTotal: total(acc.outbound, "outbound amounts"),
                                      outboundByType: byType))
        }
        return out
    }
}

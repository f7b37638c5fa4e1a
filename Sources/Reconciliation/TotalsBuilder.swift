import APModels

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
    mutating func addLine(_ line: PayoutTransaction, direction: Direction) {
        let currency = line.amount.currency
        switch direction {
        case .inbound:
            byCurrency[currency, default: Accumulator()].inbound.add(line.amount.minorUnits)
        case .outbound:
            byCurrency[currency, default: Accumulator()].outbound.add(line.amount.minorUnits)
            byCurrency[currency, default: Accumulator()].outboundByType[line.type.name, default: WideSum()]
                .add(line.amount.minorUnits)
        }
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

import APModels
import Reconciliation
import RunPipeline

/// The money-at-stake and ageing samples of the metrics file, in a fixed order (currency,
/// severity, then disposition or bucket) so the file's bytes depend only on the run.
/// Values are minor units: exact in a Prometheus float up to 2^53.
enum AtStakeSeries {
    struct Sample {
        var labels: [(String, String)]
        var value: String
    }

    static func atStake(_ outcome: RunOutcome) -> [Sample] {
        let diagnostics = outcome.result?.diagnostics ?? []
        let review = outcome.acknowledgements
        let open = AtStakeTotals(review.open(diagnostics))
        let acknowledged = AtStakeTotals(diagnostics.filter { review.disposition(of: $0) == .acknowledged })
        let currencies = Set(open.byCurrency.keys).union(acknowledged.byCurrency.keys).sorted()
        var samples: [Sample] = []
        for currency in currencies {
            for severity in Severity.allCases {
                for (disposition, totals) in [(Disposition.open, open), (.acknowledged, acknowledged)] {
                    samples.append(Sample(labels: [("currency", currency.code), ("severity", severity.rawValue), ("disposition", disposition.rawValue)],
                                          value: value(totals, currency, severity)))
                }
            }
        }
        return samples
    }

    /// Open diagnostics whose item is `new` against the previous run; none without state.
    static func newAtStake(_ outcome: RunOutcome) -> [Sample] {
        guard let items = outcome.openItems else { return [] }
        let diagnostics = outcome.acknowledgements.open(outcome.result?.diagnostics ?? [])
        let new = AtStakeTotals(diagnostics.filter { items.statusByFingerprint[$0.fingerprint] == .new })
        let currencies = Set(AtStakeTotals(diagnostics).byCurrency.keys).sorted()
        return currencies.flatMap { currency in
            Severity.allCases.map { severity in
                Sample(labels: [("currency", currency.code), ("severity", severity.rawValue)], value: value(new, currency, severity))
            }
        }
    }

    /// The sum over codes of one currency and severity; "NaN" when a total overflowed.
    static func value(_ totals: AtStakeTotals, _ currency: Currency, _ severity: Severity) -> String {
        var sum: Int64 = 0
        for (key, amount) in totals.byKey where key.currency == currency && key.severity == severity {
            guard let amount else { return "NaN" }
            let (next, overflow) = sum.addingReportingOverflow(amount)
            if overflow { return "NaN" }
            sum = next
        }
        return String(sum)
    }

    struct AgeingSample {
        var labels: [(String, String)]
        var count: String
        var atStake: String
    }

    static func ageing(_ outcome: RunOutcome) -> [AgeingSample] {
        let diagnostics = outcome.result?.diagnostics ?? []
        let ageing = Ageing(diagnostics, review: outcome.acknowledgements) { d in
            outcome.openItems?.item(fingerprint: d.fingerprint).map { item in
                item.ageDays(asOf: item.lastSeen)
            } ?? 0
        }
        return ageing.currencies.flatMap { currency in
            ageing.buckets(currency).map { b in
                AgeingSample(labels: [("currency", currency.isEmpty ? "none" : currency), ("bucket", b.bucket.rawValue)],
                             count: String(b.cell.count), atStake: b.cell.atStake.map(String.init) ?? "NaN")
            }
        }
    }
}

import APModels
import Reconciliation

/// report.json's money at stake, ageing and acknowledgements: what a finance team works the
/// exceptions queue by (docs/reports.md).
enum AtStakeJSON {
    /// A diagnostic's age in days as of the run: from the open items with state, else 0 (without
    /// state every finding is in its first night).
    static func ageDays(_ d: Diagnostic, run: RunInfo) -> Int {
        OpenItemFields.of(d, in: run.openItems, asOf: run.asOf)?.ageDays ?? 0
    }

    /// The fields each diagnostic gains, after `age_days`.
    static func diagnosticFields(_ d: Diagnostic, run: RunInfo) -> [(String, ReportJSON)] {
        let acknowledgement = run.acknowledgements.acknowledgement(for: d)
        return [
            ("amount_at_stake", d.amountAtStake.map { MoneyJSON.value($0) } ?? .null),
            ("ageing_bucket", .string(AgeingBucket(days: ageDays(d, run: run)).rawValue)),
            ("disposition", .string(run.acknowledgements.disposition(of: d).rawValue)),
            ("acknowledgement", acknowledgement.map(acknowledgementJSON) ?? .null),
        ]
    }

    static func acknowledgementJSON(_ a: Acknowledgement) -> ReportJSON {
        .object([
            ("reason", .string(a.reason)),
            ("by", .string(a.by)),
            ("at", .string(a.at.rfc3339)),
            ("until", .string(a.until?.rfc3339)),
        ])
    }

    /// `at_stake`: per currency (all, open, acknowledged), then per currency, severity and code,
    /// the largest first (ties by currency, severity, code).
    static func json(_ diagnostics: [Diagnostic], run: RunInfo) -> ReportJSON {
        let review = run.acknowledgements
        let all = AtStakeTotals(diagnostics)
        let open = AtStakeTotals(review.open(diagnostics))
        let acknowledged = AtStakeTotals(diagnostics.filter { review.disposition(of: $0) == .acknowledged })
        let currencies = all.currencies.map { c in
            ReportJSON.object([
                ("currency", .string(c.currency.code)),
                ("total", MoneyJSON.value(c.minorUnits, c.currency)),
                ("open", MoneyJSON.value(open.byCurrency[c.currency] ?? 0, c.currency)),
                ("acknowledged", MoneyJSON.value(acknowledged.byCurrency[c.currency] ?? 0, c.currency)),
            ])
        }
        let rows = largestFirst(all.rows).map { row in
            ReportJSON.object([
                ("currency", .string(row.key.currency.code)),
                ("severity", .string(row.key.severity.rawValue)),
                ("code", .string(row.key.code.rawValue)),
                ("amount", MoneyJSON.value(row.minorUnits, row.key.currency)),
                ("open", MoneyJSON.value(open.byKey[row.key] ?? 0, row.key.currency)),
            ])
        }
        return .object([("currencies", .array(currencies)), ("by_code", .array(rows))])
    }

    /// Largest amount first; an overflowed (unknown) total before any known one.
    static func largestFirst(_ rows: [(key: AtStakeTotals.Key, minorUnits: Int64?)]) -> [(key: AtStakeTotals.Key, minorUnits: Int64?)] {
        rows.sorted { a, b in
            switch (a.minorUnits, b.minorUnits) {
            case (nil, nil): return a.key < b.key
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x == y ? a.key < b.key : x > y
            }
        }
    }

    /// `ageing`: the open (not acknowledged) diagnostics per currency and bucket.
    static func ageingJSON(_ diagnostics: [Diagnostic], run: RunInfo) -> ReportJSON {
        let ageing = Ageing(diagnostics, review: run.acknowledgements) { ageDays($0, run: run) }
        return .array(ageing.currencies.map { code in
            let currency = Currency(code: code)
            return .object([
                ("currency", .string(code.isEmpty ? nil : code)),
                ("buckets", .array(ageing.buckets(code).map { b in
                    .object([
                        ("bucket", .string(b.bucket.rawValue)),
                        ("count", .int(b.cell.count)),
                        ("at_stake", currency.map { MoneyJSON.value(b.cell.atStake, $0) } ?? .null),
                    ])
                })),
            ])
        })
    }

    /// `acknowledgements`: null without a file; else the counts and the stale entries.
    static func acknowledgementsJSON(_ diagnostics: [Diagnostic], run: RunInfo) -> ReportJSON {
        guard run.acknowledgementsDigest != nil else { return .null }
        let review = run.acknowledgements
        let acknowledged = diagnostics.filter { review.disposition(of: $0) == .acknowledged }.count
        return .object([
            ("sha256", .string(run.acknowledgementsDigest)),
            ("acknowledged", .int(acknowledged)),
            ("open", .int(diagnostics.count - acknowledged)),
            ("stale", .array(review.stale.map { s in
                .object([
                    ("fingerprint", .string(s.acknowledgement.fingerprint)),
                    ("why", .string(s.reason.rawValue)),
                    ("reason", .string(s.acknowledgement.reason)),
                    ("by", .string(s.acknowledgement.by)),
                    ("until", .string(s.acknowledgement.until?.rfc3339)),
                ])
            })),
        ])
    }
}

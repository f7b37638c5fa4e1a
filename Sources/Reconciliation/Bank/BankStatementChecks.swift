import APModels
import BankStatements

/// Continuity of each account's statements: every business day covered, and each closing
/// balance equal to the next statement's opening balance.
enum BankStatementChecks {
    /// Statements grouped by account (and currency, for an account reported in several), in
    /// coverage order. Left out: statements without a coverage, and CSV exports and camt.054
    /// notifications, which are not continuous statements (a day without entries would look
    /// like a gap).
    static func gaps(_ statements: [BankStatement]) -> [Diagnostic] {
        var groups: [String: [BankStatement]] = [:]
        for s in statements where s.coverageFrom != nil && s.coverageTo != nil && s.format != .csv && s.format != .camt054 {
            groups[key(s), default: []].append(s)
        }
        var out: [Diagnostic] = []
        for k in groups.keys.sorted() {
            let list = (groups[k] ?? []).sorted(by: precedes)
            guard var latest = list.first, var coveredTo = latest.coverageTo else { continue }
            for next in list.dropFirst() {
                guard let from = next.coverageFrom, let to = next.coverageTo else { continue }
                let account = next.accountID ?? "(none)"
                var missing: [BankDate] = []
                var day = coveredTo.adding(days: 1)
                while day < from {
                    if !day.isWeekend { missing.append(day) }
                    day = day.adding(days: 1)
                }
                if !missing.isEmpty {
                    out.append(BankDiagnose.gap(later: next, account: account, coveredTo: coveredTo, missing: missing))
                } else if from > coveredTo, let closing = latest.closing?.amount, let opening = next.opening?.amount,
                          closing != opening {
                    // Only statements that follow one another without overlapping must chain.
                    out.append(BankDiagnose.brokenChain(later: next, earlier: latest, account: account,
                                                        closing: closing, opening: opening))
                }
                // The first statement to reach a day stays the one later statements chain to.
                if to > coveredTo {
                    coveredTo = to
                    latest = next
                }
            }
        }
        return out
    }

    static func coverage(_ statements: [BankStatement]) -> [BankStatementCoverage] {
        statements.sorted(by: { a, b in
            (a.file, a.accountID ?? "", a.coverageFrom?.dayNumber ?? Int64.min, a.statementID ?? "")
                < (b.file, b.accountID ?? "", b.coverageFrom?.dayNumber ?? Int64.min, b.statementID ?? "")
        }).map { s in
            BankStatementCoverage(file: s.file, format: s.format, statementID: s.statementID, accountID: s.accountID,
                                  from: s.coverageFrom, to: s.coverageTo, entryCount: s.entries.count,
                                  opening: s.opening, closing: s.closing)
        }
    }

    /// The id a statement-level diagnostic carries: its first entry's, else `FILE#0`.
    static func anchor(_ s: BankStatement) -> String {
        s.entries.min { $0.position < $1.position }?.id ?? BankEntry.positionID(file: s.file, position: 0)
    }

    private static func key(_ s: BankStatement) -> String {
        let currency = s.closing?.amount.currency.code ?? s.opening?.amount.currency.code ?? s.entries.first?.currency.code ?? ""
        return (s.accountID ?? "") + "\u{1F}" + currency
    }

    private static func precedes(_ a: BankStatement, _ b: BankStatement) -> Bool {
        let x = (a.coverageFrom?.dayNumber ?? 0, a.coverageTo?.dayNumber ?? 0, a.file, a.statementID ?? "")
        let y = (b.coverageFrom?.dayNumber ?? 0, b.coverageTo?.dayNumber ?? 0, b.file, b.statementID ?? "")
        return x < y
    }
}

import APModels
import BankStatements
import Reconciliation

/// report.json's `bank` section: null for a run without statements; else the statements read
/// and what they cover, the entries counted by how they were explained (every kind, zeros
/// included), the totals per currency, each payout's state against the bank with its entries,
/// and the payouts not judged yet. Same keys in every run with statements.
enum BankJSON {
    static func json(_ bank: BankReconciliation?) -> ReportJSON {
        guard let bank else { return .null }
        return .object([
            ("statements", .array(bank.statements.map(statementJSON))),
            ("entries_by_match", .object(BankMatchKind.allCases.map { ($0.rawValue, .int(bank.countsByMatch[$0] ?? 0)) })),
            ("currencies", .array(bank.totals.map(totalsJSON))),
            ("payouts", .array(bank.payouts.map(payoutJSON))),
            ("not_yet_due", .array(bank.notYetDue.map { .string($0) })),
            ("not_covered", .array(bank.notCovered.map { .string($0) })),
        ])
    }

    static func statementJSON(_ s: BankStatementCoverage) -> ReportJSON {
        .object([
            ("file", .string(s.file)),
            ("format", .string(s.format.rawValue)),
            ("statement_id", .string(s.statementID)),
            ("account_id", .string(s.accountID)),
            ("from", .string(s.from?.description)),
            ("to", .string(s.to?.description)),
            ("entries", .int(s.entryCount)),
            ("opening_balance", balanceJSON(s.opening)),
            ("closing_balance", balanceJSON(s.closing)),
        ])
    }

    static func balanceJSON(_ balance: BankBalance?) -> ReportJSON {
        guard let balance else { return .null }
        return .object([
            ("date", .string(balance.date?.description)),
            ("currency", .string(balance.amount.currency.code)),
            ("amount", MoneyJSON.value(balance.amount)),
        ])
    }

    static func totalsJSON(_ t: BankCurrencyTotals) -> ReportJSON {
        .object([
            ("currency", .string(t.currency.code)),
            ("expected", MoneyJSON.value(t.expected, t.currency)),
            ("credited", MoneyJSON.value(t.credited, t.currency)),
            ("matched", MoneyJSON.value(t.matched, t.currency)),
            ("unmatched", MoneyJSON.value(t.unmatched, t.currency)),
            ("debited", MoneyJSON.value(t.debited, t.currency)),
            ("credit_count", .int(t.creditCount)),
            ("debit_count", .int(t.debitCount)),
        ])
    }

    static func payoutJSON(_ p: BankPayoutMatch) -> ReportJSON {
        .object([
            ("payout_id", .string(p.payoutID)),
            ("state", .string(p.state.rawValue)),
            ("match", .string(p.kind?.rawValue)),
            ("bank_entry_ids", .array(p.entryIDs.map { .string($0) })),
            ("window_from", .string(p.windowFrom.description)),
            ("window_to", .string(p.windowTo.description)),
        ])
    }
}

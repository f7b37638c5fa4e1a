import APModels
import BankStatements

/// One constructor per bank code: the ids, amounts and message each carries.
enum BankDiagnose {
    static func notInBank(_ payout: Payout, windowTo: BankDate) -> Diagnostic {
        Diagnostic(code: .payoutNotInBank,
                   message: "Payout \(payout.id) of \(payout.amount) created \(payout.createdAt.utcDate) should have been "
                       + "credited by \(windowTo), but no credit on the statements matches it; ask the provider for the "
                       + "payout's bank trace and check the account it was sent to.",
                   payoutID: payout.id, expected: payout.amount.minorUnits, currency: payout.amount.currency)
    }

    static func amountMismatch(_ payout: Payout, _ entry: BankEntry) -> Diagnostic {
        let sameCurrency = entry.currency == payout.amount.currency
        let what = sameCurrency
            ? Diagnose.difference(expected: payout.amount.minorUnits, actual: entry.amount.minorUnits, payout.amount.currency)
            : "the currencies differ"
        return Diagnostic(code: .payoutBankAmountMismatch,
                          message: "Payout \(payout.id) of \(payout.amount) is credited by bank entry \(entry.id) "
                              + "for \(entry.amount); \(what). A fee deducted on the way is the usual cause: ask the "
                              + "bank or the provider for it and book the difference.",
                          payoutID: payout.id, expected: payout.amount.minorUnits,
                          actual: sameCurrency ? entry.amount.minorUnits : nil, currency: payout.amount.currency,
                          bankEntryID: entry.id)
    }

    static func failedButCredited(_ payout: Payout, _ entry: BankEntry) -> Diagnostic {
        Diagnostic(code: .payoutFailedButCredited,
                   message: "Payout \(payout.id) has status failed, but bank entry \(entry.id) of \(entry.bookingDate) "
                       + "credits \(entry.amount) naming it; ask the provider whether it was paid after all, and do "
                       + "not book it twice.",
                   payoutID: payout.id, bankEntryID: entry.id)
    }

    static func ambiguous(_ payout: Payout, candidates: [BankEntry]) -> Diagnostic {
        let ids = candidates.map(\.id).sorted()
        return Diagnostic(code: .bankMatchAmbiguous,
                          message: "\(ids.count) credits of \(payout.amount) fit payout \(payout.id) "
                              + "(\(ids.joined(separator: ", "))), so none was taken; decide which one is the payout "
                              + "(the bank reference or the remittance text usually tells).",
                          payoutID: payout.id, candidateBankEntryIDs: ids)
    }

    static func creditUnmatched(_ entry: BankEntry) -> Diagnostic {
        Diagnostic(code: .bankCreditUnmatched,
                   message: "Bank entry \(entry.id) of \(entry.bookingDate) credits \(entry.amount) from the provider "
                       + "but matches no payout; ask the provider which payout it is.",
                   actual: entry.amount.minorUnits, currency: entry.currency, bankEntryID: entry.id)
    }

    static func unreadable(_ item: BankUnreadable) -> Diagnostic {
        let what = item.position == 0 ? "Statement file \(item.file)" : "Entry \(item.id)"
        return Diagnostic(code: .bankEntryUnreadable,
                          message: "\(what) cannot be read: \(item.reason). Correct it or export the statement again; "
                              + "everything else was read.",
                          reason: item.reason, bankEntryID: item.id)
    }

    static func gap(later: BankStatement, account: String, coveredTo: BankDate, missing: [BankDate]) -> Diagnostic {
        let days = missing.count == 1 ? "business day \(missing[0]) is" : "business days \(missing[0]) to \(missing[missing.count - 1]) are"
        return Diagnostic(code: .bankStatementGap,
                          message: "The statements of account \(account) cover up to \(coveredTo) and resume on "
                              + "\(later.coverageFrom.map(String.init(describing:)) ?? "?") (\(later.file)): \(days) missing; "
                              + "get the missing statement from the bank.",
                          bankEntryID: BankStatementChecks.anchor(later))
    }

    static func brokenChain(later: BankStatement, earlier: BankStatement, account: String, closing: Money, opening: Money) -> Diagnostic {
        Diagnostic(code: .bankStatementGap,
                   message: "Statement \(later.file) of account \(account) opens with \(opening) but the statement before it "
                       + "(\(earlier.file)) closes with \(closing); an entry between them is missing or counted twice: "
                       + "get the statements again from the bank.",
                   expected: closing.minorUnits, actual: opening.currency == closing.currency ? opening.minorUnits : nil,
                   currency: closing.currency, bankEntryID: BankStatementChecks.anchor(later))
    }
}

import APModels
import BankStatements
import Reconciliation
import Testing

private func day(_ s: String) -> BankDate { BankDate(iso: s)! }

private func payout(_ id: String, _ minor: Int64, _ created: String, status: String = "succeeded") -> Payout {
    Payout(id: id, status: PayoutStatus(status), amount: Money(minorUnits: minor, currency: usd),
           createdAt: Timestamp.parse(created + "T09:00:00Z")!)
}

private func credit(_ ref: String?, _ date: String, _ minor: Int64, text: String? = nil, counterparty: String? = "Alternative Payments Inc.",
                    position: Int = 1, file: String = "s.xml", direction: BankDirection = .credit) -> BankEntry {
    BankEntry(statementFile: file, position: position, bankReference: ref, bookingDate: day(date), direction: direction,
              amount: Money(minorUnits: minor, currency: usd), remittanceInformation: text, counterpartyName: counterparty,
              accountID: "ACC")
}

/// One statement of account ACC covering `from`…`to` holding `entries`.
private func statement(_ entries: [BankEntry], from: String = "2026-11-02", to: String = "2026-11-13", file: String = "s.xml",
                       opening: Int64? = nil, closing: Int64? = nil) -> BankStatement {
    BankStatement(file: file, format: .camt053, accountID: "ACC",
                  opening: opening.map { BankBalance(amount: Money(minorUnits: $0, currency: usd), date: day(from)) },
                  closing: closing.map { BankBalance(amount: Money(minorUnits: $0, currency: usd), date: day(to)) },
                  coverageFrom: day(from), coverageTo: day(to), entries: entries)
}

private func run(_ payouts: [Payout], _ statements: [BankStatement], unreadable: [BankUnreadable] = [],
                 days: Int = 3) -> BankReconciliation {
    let set = BankStatementSet(statements: statements, entries: statements.flatMap(\.entries), unreadable: unreadable)
    return BankMatching.reconcile(BankMatchingInput(payouts: payouts, statements: set, settlementDays: days))
}

/// code|payout|bank entry|candidates|expected|actual|delta
private func lines(_ r: BankReconciliation) -> [String] {
    r.diagnostics.map { d in
        [d.code.rawValue, d.payoutID ?? "", d.bankEntryID ?? "", d.candidateBankEntryIDs.joined(separator: " "),
         d.expected.map(String.init) ?? "", d.actual.map(String.init) ?? "", d.delta.map(String.init) ?? ""].joined(separator: "|")
    }
}

private func kinds(_ r: BankReconciliation) -> [String] {
    r.entries.map { "\($0.entry.id):\($0.kind.rawValue):\($0.payoutIDs.joined(separator: " "))" }
}

@Suite struct BankMatchingTests {
    @Test func referenceMatchesAWholeWordInAnyCase() {
        let r = run([payout("po_1", 10000, "2026-11-03"), payout("po_10", 555, "2026-11-03")],
                    [statement([credit("B1", "2026-11-04", 10000, text: "PAYOUT PO_1, thanks", position: 1),
                                credit("B2", "2026-11-20", 555, text: "ref po_10", position: 2)])])
        #expect(kinds(r) == ["B1:reference:po_1", "B2:reference:po_10"])
        #expect(r.payouts.map { "\($0.payoutID):\($0.state.rawValue):\($0.kind?.rawValue ?? ""):\($0.entryIDs)" }
                == ["po_1:credited:reference:[\"B1\"]", "po_10:credited:reference:[\"B2\"]"])
        #expect(r.diagnostics == [])
        #expect(r.countsByMatch[.reference] == 2)
        #expect(r.countsByMatch[.amount] == 0)
    }

    @Test func aReferenceWithAnotherAmountIsAMismatch() {
        let r = run([payout("po_1", 10000, "2026-11-03")], [statement([credit("B1", "2026-11-04", 8500, text: "po_1 less fee")])])
        #expect(lines(r) == ["PAYOUT_BANK_AMOUNT_MISMATCH|po_1|B1||10000|8500|-1500"])
        #expect(r.diagnostics.first?.message == "Payout po_1 of 100.00 USD is credited by bank entry B1 for 85.00 USD; "
            + "the difference is -15.00 USD. A fee deducted on the way is the usual cause: ask the bank or the provider "
            + "for it and book the difference.")
        #expect(r.diagnostics.first?.severity == .error)
        #expect(r.diagnostics.first?.fingerprint == "PAYOUT_BANK_AMOUNT_MISMATCH|po_1||||B1")
        #expect(kinds(r) == ["B1:reference:po_1"])
        #expect(r.payouts.first?.state == .amountMismatch)
    }

    @Test func theOnlyCreditOfTheAmountInTheWindowMatches() {
        // Created Friday 6th: the window runs to Wednesday 11th (3 business days).
        let r = run([payout("po_1", 10000, "2026-11-06")],
                    [statement([credit("B0", "2026-11-05", 10000, position: 1), credit("B1", "2026-11-11", 10000, position: 2),
                                credit("B2", "2026-11-12", 10000, position: 3)])])
        #expect(kinds(r) == ["B0:unmatched:", "B1:amount:po_1", "B2:unmatched:"])
        #expect(lines(r) == ["BANK_CREDIT_UNMATCHED||B0|||10000|", "BANK_CREDIT_UNMATCHED||B2|||10000|"])
        #expect(r.payouts.first?.windowTo == day("2026-11-11"))
    }

    @Test func severalCreditsOfTheAmountAreAmbiguousAndNoneIsTaken() {
        let r = run([payout("po_1", 10000, "2026-11-03")],
                    [statement([credit("B2", "2026-11-05", 10000, position: 1), credit("B1", "2026-11-04", 10000, position: 2)])])
        #expect(lines(r) == ["BANK_MATCH_AMBIGUOUS|po_1||B1 B2|||"])
        #expect(r.diagnostics.first?.message == "2 credits of 100.00 USD fit payout po_1 (B1, B2), so none was taken; "
            + "decide which one is the payout (the bank reference or the remittance text usually tells).")
        #expect(r.diagnostics.first?.severity == .warning)
        #expect(kinds(r) == ["B2:ambiguous:po_1", "B1:ambiguous:po_1"])
        #expect(r.payouts.first?.state == .ambiguous)
        #expect(r.payouts.first?.entryIDs == [])
    }

    @Test func aMatchElsewhereCanResolveAnAmbiguity() {
        // po_2's window holds only B2, so po_2 takes it and po_1 is left with B1 alone.
        let r = run([payout("po_1", 10000, "2026-11-03"), payout("po_2", 10000, "2026-11-06")],
                    [statement([credit("B1", "2026-11-04", 10000, position: 1), credit("B2", "2026-11-06", 10000, position: 2)])])
        #expect(kinds(r) == ["B1:amount:po_1", "B2:amount:po_2"])
        #expect(r.diagnostics == [])
    }

    @Test func aCreditEqualToTwoToFivePayoutsIsABatch() {
        let r = run([payout("po_1", 6000, "2026-11-03"), payout("po_2", 4000, "2026-11-04"), payout("po_3", 2500, "2026-11-04")],
                    [statement([credit("B1", "2026-11-05", 10000, text: "SETTLEMENT")])])
        #expect(kinds(r) == ["B1:batched:po_1 po_2"])
        #expect(r.payouts.map(\.state) == [.credited, .credited, .notInBank])
        #expect(lines(r) == ["PAYOUT_NOT_IN_BANK|po_3|||2500||"])
        #expect(r.diagnostics.first?.message == "Payout po_3 of 25.00 USD created 2026-11-04 should have been credited by "
            + "2026-11-09, but no credit on the statements matches it; ask the provider for the payout's bank trace and "
            + "check the account it was sent to.")
    }

    @Test func twoWaysToMakeTheBatchMatchNothing() {
        let r = run([payout("po_1", 6000, "2026-11-03"), payout("po_2", 4000, "2026-11-03"),
                     payout("po_3", 3000, "2026-11-03"), payout("po_4", 7000, "2026-11-03")],
                    [statement([credit("B1", "2026-11-05", 10000, counterparty: "Someone")])])
        #expect(kinds(r) == ["B1:not_from_provider:"])
        #expect(lines(r) == ["PAYOUT_NOT_IN_BANK|po_1|||6000||", "PAYOUT_NOT_IN_BANK|po_2|||4000||",
                             "PAYOUT_NOT_IN_BANK|po_3|||3000||", "PAYOUT_NOT_IN_BANK|po_4|||7000||"])
    }

    @Test func payoutsPastTheCoverageAreNotYetDueOrNotCovered() {
        let r = run([payout("po_due", 1000, "2026-11-05"), payout("po_late", 2000, "2026-11-06"),
                     payout("po_early", 3000, "2026-10-29"), payout("po_pending", 4000, "2026-11-03", status: "in_transit")],
                    [statement([], from: "2026-11-02", to: "2026-11-10", opening: 0, closing: 0)])
        #expect(r.payouts.map { "\($0.payoutID):\($0.state.rawValue)" }
                == ["po_due:not_in_bank", "po_early:not_covered", "po_late:not_yet_due", "po_pending:not_expected"])
        #expect(r.notYetDue == ["po_late"])
        #expect(r.notCovered == ["po_early"])
        #expect(lines(r) == ["PAYOUT_NOT_IN_BANK|po_due|||1000||"])
    }

    @Test func aFailedPayoutOnACreditIsReported() {
        let r = run([payout("po_1", 10000, "2026-11-03", status: "failed")],
                    [statement([credit("B1", "2026-11-04", 10000, text: "po_1")])])
        #expect(lines(r) == ["PAYOUT_FAILED_BUT_CREDITED|po_1|B1||||"])
        #expect(r.diagnostics.first?.message == "Payout po_1 has status failed, but bank entry B1 of 2026-11-04 credits "
            + "100.00 USD naming it; ask the provider whether it was paid after all, and do not book it twice.")
        #expect(kinds(r) == ["B1:reference:po_1"])
        #expect(r.payouts.first?.state == .notExpected)
        #expect(r.payouts.first?.entryIDs == ["B1"])
    }

    @Test func creditsNotFromTheProviderAndDebitsAreListedOnly() {
        let r = run([], [statement([
            credit("B1", "2026-11-04", 777, text: "ACME INVOICE", counterparty: "Acme", position: 1),
            credit("B2", "2026-11-04", 888, text: "via alternative payments", counterparty: nil, position: 2),
            credit("B3", "2026-11-04", 25, text: "ALTERNATIVE PAYMENTS FEE", position: 3, direction: .debit),
        ])])
        #expect(kinds(r) == ["B1:not_from_provider:", "B2:unmatched:", "B3:debit:"])
        #expect(lines(r) == ["BANK_CREDIT_UNMATCHED||B2|||888|"])
        #expect(r.diagnostics.first?.message == "Bank entry B2 of 2026-11-04 credits 8.88 USD from the provider but "
            + "matches no payout; ask the provider which payout it is.")
        #expect(r.totals.map { "\($0.currency) \($0.expected ?? -1) \($0.credited ?? -1) \($0.matched ?? -1) \($0.unmatched ?? -1) "
            + "\($0.debited ?? -1) \($0.creditCount) \($0.debitCount)" } == ["USD 0 1665 0 888 25 2 1"])
        #expect(r.countsByMatch == [.reference: 0, .amount: 0, .batched: 0, .ambiguous: 0, .unmatched: 1,
                                    .notFromProvider: 1, .debit: 1])
    }

    @Test func unreadableEntriesAreErrorsNamingFileAndPosition() {
        let r = run([], [], unreadable: [BankUnreadable(file: "x.sta", position: 4, reason: "line 9: bad amount"),
                                         BankUnreadable(file: "y.xml", position: 0, reason: "not a statement")])
        #expect(lines(r) == ["BANK_ENTRY_UNREADABLE||x.sta#4||||", "BANK_ENTRY_UNREADABLE||y.xml#0||||"])
        #expect(r.diagnostics.map(\.message) == [
            "Entry x.sta#4 cannot be read: line 9: bad amount. Correct it or export the statement again; everything else was read.",
            "Statement file y.xml cannot be read: not a statement. Correct it or export the statement again; everything else was read.",
        ])
        #expect(r.diagnostics.map(\.reason) == ["line 9: bad amount", "not a statement"])
    }

    @Test func aMissingBusinessDayBetweenStatementsIsAGap() {
        let r = run([], [statement([], from: "2026-11-02", to: "2026-11-03", file: "a.xml", opening: 0, closing: 100),
                         statement([credit("B9", "2026-11-05", 1, counterparty: nil)], from: "2026-11-05", to: "2026-11-06",
                                   file: "b.xml", opening: 100, closing: 101)])
        #expect(lines(r) == ["BANK_STATEMENT_GAP||B9||||"])
        #expect(r.diagnostics.first?.message == "The statements of account ACC cover up to 2026-11-03 and resume on "
            + "2026-11-05 (b.xml): business day 2026-11-04 is missing; get the missing statement from the bank.")
    }

    @Test func balancesMustChainButAWeekendIsNoGap() {
        let r = run([], [statement([], from: "2026-11-05", to: "2026-11-06", file: "a.xml", opening: 0, closing: 100),
                         statement([], from: "2026-11-09", to: "2026-11-09", file: "b.xml", opening: 100, closing: 100),
                         statement([], from: "2026-11-10", to: "2026-11-10", file: "c.xml", opening: 90, closing: 90),
                         // Overlapping statements need not chain.
                         statement([], from: "2026-11-09", to: "2026-11-09", file: "o.xml", opening: 5, closing: 5)])
        #expect(lines(r) == ["BANK_STATEMENT_GAP||c.xml#0||100|90|-10"])
        #expect(r.diagnostics.first?.message == "Statement c.xml of account ACC opens with 0.90 USD but the statement "
            + "before it (b.xml) closes with 1.00 USD; an entry between them is missing or counted twice: get the "
            + "statements again from the bank.")
    }

    @Test func theResultDoesNotDependOnInputOrder() {
        let payouts = [payout("po_1", 6000, "2026-11-03"), payout("po_2", 4000, "2026-11-04"), payout("po_3", 10000, "2026-11-03"),
                       payout("po_4", 10000, "2026-11-03"), payout("po_5", 1234, "2026-11-04")]
        let entries = [credit("B1", "2026-11-05", 10000, position: 1), credit("B2", "2026-11-05", 10000, position: 2),
                       credit("B3", "2026-11-04", 1234, text: "po_5", position: 3), credit("B4", "2026-11-06", 10000, position: 4)]
        let a = run(payouts, [statement(entries)])
        let b = run(payouts.reversed(), [statement(entries.reversed())])
        #expect(a == b)
        #expect(kinds(a) == ["B1:ambiguous:po_3 po_4", "B2:ambiguous:po_3 po_4", "B3:reference:po_5", "B4:ambiguous:po_3 po_4"])
        #expect(lines(a) == ["PAYOUT_NOT_IN_BANK|po_1|||6000||", "PAYOUT_NOT_IN_BANK|po_2|||4000||",
                             "BANK_MATCH_AMBIGUOUS|po_3||B1 B2 B4|||", "BANK_MATCH_AMBIGUOUS|po_4||B1 B2 B4|||"])
    }

    @Test func theBankCodesAreInTheCatalogueWithTheirSeverities() {
        #expect(DiagnosticCode.allCases.count == 33)
        #expect(Array(DiagnosticCode.allCases.suffix(7)) == DiagnosticCode.bankCases)
        #expect(DiagnosticCode.bankCases.map(\.rawValue) == [
            "PAYOUT_NOT_IN_BANK", "PAYOUT_BANK_AMOUNT_MISMATCH", "PAYOUT_FAILED_BUT_CREDITED", "BANK_MATCH_AMBIGUOUS",
            "BANK_CREDIT_UNMATCHED", "BANK_ENTRY_UNREADABLE", "BANK_STATEMENT_GAP",
        ])
        #expect(DiagnosticCode.bankCases.map(\.severity) == [.error, .error, .error, .warning, .warning, .error, .warning])
        #expect(Set(DiagnosticCode.catalogue).count == 33)
    }
}

import APModels
import BankStatements
import Foundation

/// Matches payouts to the credits on bank statements. Pure: the same input gives the same
/// result, whatever the order of the payouts or of the files' statements.
///
/// Payouts that must arrive are those with status succeeded/paid and a positive amount. Each is
/// expected between its creation day (UTC) and `settlementDays` business days later. Debits are
/// listed, never matched. In this order:
/// 1. Reference: the payout id appears in the entry's text (remittance information, end-to-end
///    id, additional information, customer reference), as a whole word in any case. Same
///    currency and amount: matched; otherwise PAYOUT_BANK_AMOUNT_MISMATCH. A credit naming
///    several payouts whose sum it equals matches them all. A `failed` payout's id on a credit
///    is PAYOUT_FAILED_BUT_CREDITED.
/// 2. Amount: the one untaken credit of the payout's currency and amount in its window. Several:
///    BANK_MATCH_AMBIGUOUS, none taken. Repeated until no payout gains a match, so the outcome
///    does not depend on which payout is looked at first.
/// 3. Batched: a credit equal to the sum of exactly one set of 2–5 unmatched payouts of its
///    currency whose windows contain its date (searched among at most `batchPoolLimit` of them).
public enum BankMatching {
    /// The most payouts a batch is searched among for one credit: C(20, 5) + … + C(20, 2) is
    /// about 21,000 sums, and a finance team would not untangle a larger pool by hand either.
    public static let batchPoolLimit = 20

    public static func reconcile(_ input: BankMatchingInput) -> BankReconciliation {
        var state = MatchState(input)
        state.matchByReference()
        state.matchByAmount()
        state.matchBatches()
        return state.result()
    }
}

/// Lower-cased text with whole-word lookups of ids (a word is a run of letters, digits and `_`).
struct MentionIndex {
    private(set) var words: Set<Substring> = []
    private let text: String

    init(_ texts: [String]) {
        text = texts.joined(separator: " ").lowercased()
        var start: String.Index?
        for i in text.indices {
            if Self.isWordCharacter(text[i]) {
                if start == nil { start = i }
            } else if let s = start {
                words.insert(text[s..<i])
                start = nil
            }
        }
        if let s = start { words.insert(text[s...]) }
    }

    /// Whether `id` appears with no letter, digit or `_` touching it on either side.
    func mentions(_ id: String) -> Bool {
        let needle = id.lowercased()
        guard !needle.isEmpty else { return false }
        if needle.allSatisfy(Self.isWordCharacter) { return words.contains(Substring(needle)) }
        var searchFrom = text.startIndex
        while let r = text.range(of: needle, range: searchFrom..<text.endIndex) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if !(before.map(Self.isWordCharacter) ?? false) && !(after.map(Self.isWordCharacter) ?? false) { return true }
            searchFrom = text.index(after: r.lowerBound)
        }
        return false
    }

    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
}

private struct PayoutSlot {
    var payout: Payout
    var mustArrive: Bool
    var windowFrom: BankDate
    var windowTo: BankDate
    var state: BankPayoutState?
    var kind: BankMatchKind?
    var entries: [Int] = []
    var candidates: [Int] = []
}

private struct EntrySlot {
    var entry: BankEntry
    var mentions: MentionIndex
    var fromProvider: Bool
    var kind: BankMatchKind?
    var payouts: [Int] = []
    var isCredit: Bool { entry.direction == .credit }
}

private struct MatchState {
    var payouts: [PayoutSlot]
    var entries: [EntrySlot]
    /// Credit indices by date then id: the order every step visits them in.
    let creditOrder: [Int]
    var diagnostics: [Diagnostic] = []
    /// Credits by currency and amount, in `creditOrder`.
    var creditsByAmount: [Money: [Int]] = [:]
    let input: BankMatchingInput

    init(_ input: BankMatchingInput) {
        self.input = input
        let names = input.providerNames.map { $0.lowercased() }.filter { !$0.isEmpty }
        payouts = input.payouts
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            .map { p in
                let from = BankDate(utcDayOf: p.createdAt)
                return PayoutSlot(payout: p, mustArrive: p.status == .succeeded && p.amount.minorUnits > 0,
                                  windowFrom: from, windowTo: from.adding(businessDays: input.settlementDays))
            }
        let slots = input.statements.entries
            .sorted { ($0.statementFile, $0.position, $0.id) < ($1.statementFile, $1.position, $1.id) }
            .map { e in
                let described = e.descriptiveTexts.joined(separator: " ").lowercased()
                return EntrySlot(entry: e, mentions: MentionIndex(e.matchingTexts),
                                 fromProvider: names.contains { described.contains($0) })
            }
        entries = slots
        creditOrder = slots.indices.filter { slots[$0].isCredit }.sorted { a, b in
            let x = slots[a].entry, y = slots[b].entry
            return (x.bookingDate, x.id, x.statementFile, x.position) < (y.bookingDate, y.id, y.statementFile, y.position)
        }
    }

    private func open(_ e: Int) -> Bool { entries[e].kind == nil }
    private func unresolved(_ p: Int) -> Bool { payouts[p].mustArrive && payouts[p].state == nil }

    private mutating func take(_ e: Int, _ ps: [Int], _ kind: BankMatchKind, state: BankPayoutState = .credited) {
        entries[e].kind = kind
        entries[e].payouts.append(contentsOf: ps)
        for p in ps {
            payouts[p].state = state
            payouts[p].kind = kind
            payouts[p].entries.append(e)
        }
    }

    // MARK: 1. reference

    mutating func matchByReference() {
        // Ids that are one word are looked up by word; any other id is searched for in the text.
        var byWord: [String: [Int]] = [:]
        var others: [Int] = []
        for p in payouts.indices {
            let id = payouts[p].payout.id.lowercased()
            if !id.isEmpty, id.allSatisfy(MentionIndex.isWordCharacter) { byWord[id, default: []].append(p) } else { others.append(p) }
        }
        var mentioned: [Int: [Int]] = [:] // credit → payouts it names, in payout order
        var namedBy: [Int: [Int]] = [:] // payout → credits naming it, in credit order
        for e in creditOrder {
            var named = Set(entries[e].mentions.words.flatMap { byWord[String($0)] ?? [] })
            for p in others where entries[e].mentions.mentions(payouts[p].payout.id) { named.insert(p) }
            if !named.isEmpty { mentioned[e] = named.sorted() }
            for p in named { namedBy[p, default: []].append(e) }
        }
        // A failed payout named on a credit: reported whatever else the credit matches.
        for e in creditOrder {
            for p in mentioned[e] ?? [] where payouts[p].payout.status == .failed {
                diagnostics.append(BankDiagnose.failedButCredited(payouts[p].payout, entries[e].entry))
                entries[e].kind = .reference
                entries[e].payouts.append(p)
                payouts[p].kind = .reference
                payouts[p].entries.append(e)
            }
        }
        // A credit naming several payouts that it adds up to.
        for e in creditOrder {
            let group = (mentioned[e] ?? []).filter(unresolved)
            guard group.count >= 2, takeable(e),
                  group.allSatisfy({ payouts[$0].payout.amount.currency == entries[e].entry.currency }),
                  let sum = Self.sum(group.map { payouts[$0].payout.amount.minorUnits }),
                  sum == entries[e].entry.amount.minorUnits else { continue }
            take(e, group, .reference)
        }
        // One payout at a time: an equal credit naming it first, else the first credit naming it.
        for p in payouts.indices where unresolved(p) {
            let naming = (namedBy[p] ?? []).filter(takeable)
            guard let first = naming.first else { continue }
            let amount = payouts[p].payout.amount
            if let equal = naming.first(where: { entries[$0].entry.amount == amount }) {
                take(equal, [p], .reference)
            } else {
                take(first, [p], .reference, state: .amountMismatch)
                diagnostics.append(BankDiagnose.amountMismatch(payouts[p].payout, entries[first].entry))
            }
        }
    }

    /// Open, or taken so far only by failed payouts naming it.
    private func takeable(_ e: Int) -> Bool {
        open(e) || (entries[e].kind == .reference && entries[e].payouts.allSatisfy { payouts[$0].payout.status == .failed })
    }

    // MARK: 2. amount

    mutating func matchByAmount() {
        for e in creditOrder { creditsByAmount[entries[e].entry.amount, default: []].append(e) }
        var progress = true
        while progress {
            progress = false
            for p in payouts.indices where unresolved(p) {
                let candidates = amountCandidates(p)
                if candidates.count == 1 {
                    take(candidates[0], [p], .amount)
                    progress = true
                }
            }
        }
        for p in payouts.indices where unresolved(p) {
            let candidates = amountCandidates(p)
            if candidates.count >= 2 {
                payouts[p].state = .ambiguous
                payouts[p].candidates = candidates
            }
        }
        for p in payouts.indices where payouts[p].state == .ambiguous {
            for e in payouts[p].candidates {
                entries[e].kind = .ambiguous
                entries[e].payouts.append(p)
            }
        }
    }

    private func amountCandidates(_ p: Int) -> [Int] {
        let slot = payouts[p]
        return (creditsByAmount[slot.payout.amount] ?? []).filter { e in
            let date = entries[e].entry.bookingDate
            return open(e) && date >= slot.windowFrom && date <= slot.windowTo
        }
    }

    // MARK: 3. batched

    mutating func matchBatches() {
        for e in creditOrder where open(e) {
            let entry = entries[e].entry
            let pool = payouts.indices.filter { p in
                unresolved(p) && payouts[p].payout.amount.currency == entry.currency
                    && payouts[p].payout.amount.minorUnits <= entry.amount.minorUnits
                    && payouts[p].windowFrom <= entry.bookingDate && entry.bookingDate <= payouts[p].windowTo
            }
            guard pool.count >= 2, pool.count <= BankMatching.batchPoolLimit else { continue }
            let found = Self.subsets(of: pool.map { payouts[$0].payout.amount.minorUnits }, summingTo: entry.amount.minorUnits)
            guard found.count == 1 else { continue }
            take(e, found[0].map { pool[$0] }, .batched)
        }
    }

    /// Index sets of 2–5 positive values that sum to `target`; stops after finding two (a second
    /// one makes the batch ambiguous, and more do not change that).
    static func subsets(of values: [Int64], summingTo target: Int64) -> [[Int]] {
        let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
        var found: [[Int]] = []
        var chosen: [Int] = []
        func search(_ from: Int, _ remaining: Int64) {
            if found.count >= 2 { return }
            if remaining == 0 {
                if chosen.count >= 2 { found.append(chosen.map { order[$0] }.sorted()) }
                return
            }
            guard chosen.count < 5 else { return }
            var k = from
            while k < order.count {
                let v = values[order[k]]
                if v > remaining { break } // ascending: every later value is larger
                chosen.append(k)
                search(k + 1, remaining - v)
                chosen.removeLast()
                if found.count >= 2 { return }
                k += 1
            }
        }
        search(0, target)
        return found
    }

    static func sum(_ values: [Int64]) -> Int64? {
        var total = WideSum()
        for v in values { total.add(v) }
        return total.value
    }

    // MARK: result

    mutating func result() -> BankReconciliation {
        // Coverage per currency: the span the statements of that currency speak for.
        var coverage: [Currency: (from: BankDate, to: BankDate)] = [:]
        // A statement speaks for every currency it shows (a CSV export may hold several).
        for s in input.statements.statements {
            guard let from = s.coverageFrom, let to = s.coverageTo else { continue }
            let currencies = Set([s.closing?.amount.currency, s.opening?.amount.currency].compactMap { $0 } + s.entries.map(\.currency))
            for currency in currencies {
                let old = coverage[currency]
                coverage[currency] = (min(old?.from ?? from, from), max(old?.to ?? to, to))
            }
        }
        for p in payouts.indices {
            let slot = payouts[p]
            guard slot.mustArrive else {
                payouts[p].state = .notExpected
                continue
            }
            let span = coverage[slot.payout.amount.currency]
            let judged = span.map { slot.windowFrom >= $0.from && slot.windowTo <= $0.to } ?? false
            switch slot.state {
            case nil:
                if let span, slot.windowFrom < span.from { payouts[p].state = .notCovered }
                else if !judged { payouts[p].state = .notYetDue }
                else {
                    payouts[p].state = .notInBank
                    diagnostics.append(BankDiagnose.notInBank(slot.payout, windowTo: slot.windowTo))
                }
            case .ambiguous?:
                if judged {
                    diagnostics.append(BankDiagnose.ambiguous(slot.payout, candidates: slot.candidates.map { entries[$0].entry }))
                }
            default:
                break
            }
        }
        for e in entries.indices where entries[e].kind == nil {
            if !entries[e].isCredit {
                entries[e].kind = .debit
            } else if entries[e].fromProvider {
                entries[e].kind = .unmatched
                diagnostics.append(BankDiagnose.creditUnmatched(entries[e].entry))
            } else {
                entries[e].kind = .notFromProvider
            }
        }
        for u in input.statements.unreadable {
            diagnostics.append(BankDiagnose.unreadable(u))
        }
        diagnostics.append(contentsOf: BankStatementChecks.gaps(input.statements.statements))

        let entryMatches = entries.map { slot in
            BankEntryMatch(entry: slot.entry, kind: slot.kind ?? .notFromProvider,
                           payoutIDs: Array(Set(slot.payouts.map { payouts[$0].payout.id })).sorted())
        }
        let payoutMatches = payouts.map { slot in
            BankPayoutMatch(payoutID: slot.payout.id, state: slot.state ?? .notExpected, kind: slot.kind,
                            entryIDs: slot.entries.map { entries[$0].entry.id }.sorted(),
                            windowFrom: slot.windowFrom, windowTo: slot.windowTo)
        }.sorted { $0.payoutID < $1.payoutID }
        var counts: [BankMatchKind: Int] = [:]
        for kind in BankMatchKind.allCases { counts[kind] = 0 }
        for m in entryMatches { counts[m.kind, default: 0] += 1 }

        var unique: [Diagnostic] = []
        for d in diagnostics.sorted(by: Diagnostic.precedes) where unique.last != d { unique.append(d) }
        return BankReconciliation(
            entries: entryMatches,
            payouts: payoutMatches,
            notYetDue: payoutMatches.filter { $0.state == .notYetDue }.map(\.payoutID),
            notCovered: payoutMatches.filter { $0.state == .notCovered }.map(\.payoutID),
            statements: BankStatementChecks.coverage(input.statements.statements),
            countsByMatch: counts,
            totals: totals(entryMatches),
            diagnostics: unique)
    }

    private func totals(_ matches: [BankEntryMatch]) -> [BankCurrencyTotals] {
        struct Sums { var expected = WideSum(), credited = WideSum(), matched = WideSum(), unmatched = WideSum(), debited = WideSum()
                      var credits = 0, debits = 0 }
        var byCurrency: [Currency: Sums] = [:]
        for slot in payouts where slot.mustArrive && slot.state != .notYetDue && slot.state != .notCovered {
            byCurrency[slot.payout.amount.currency, default: Sums()].expected.add(slot.payout.amount.minorUnits)
        }
        for m in matches {
            let minor = m.entry.amount.minorUnits
            var s = byCurrency[m.entry.currency, default: Sums()]
            switch m.entry.direction {
            case .debit:
                s.debited.add(minor)
                s.debits += 1
            case .credit:
                s.credited.add(minor)
                s.credits += 1
                if m.kind == .reference || m.kind == .amount || m.kind == .batched { s.matched.add(minor) }
                if m.kind == .unmatched { s.unmatched.add(minor) }
            }
            byCurrency[m.entry.currency] = s
        }
        return byCurrency.keys.sorted().map { c in
            let s = byCurrency[c] ?? Sums()
            return BankCurrencyTotals(currency: c, expected: s.expected.value, credited: s.credited.value,
                                      matched: s.matched.value, unmatched: s.unmatched.value, debited: s.debited.value,
                                      creditCount: s.credits, debitCount: s.debits)
        }
    }
}

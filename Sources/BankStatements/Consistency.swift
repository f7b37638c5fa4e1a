extension BankStatementFile {
    /// What a read file must satisfy whatever the input: checked by the fuzz targets and tests.
    /// Empty when consistent.
    /// - every entry and unreadable item names this file;
    /// - entry positions are 1 or more and unique, and no unreadable entry shares one;
    /// - amounts are not negative; a coverage, when present, does not end before it starts;
    /// - reading is deterministic, and combining the file with itself adds no entry.
    public func consistencyProblems(rereading: () -> BankStatementFile) -> [String] {
        var problems: [String] = []
        var positions: Set<Int> = []
        for e in entries {
            if e.statementFile != file { problems.append("entry \(e.id) names file \(e.statementFile)") }
            if e.position < 1 { problems.append("entry \(e.id) has position \(e.position)") }
            if !positions.insert(e.position).inserted { problems.append("two entries at position \(e.position)") }
            if e.amount.minorUnits < 0 { problems.append("entry \(e.id) has a negative amount") }
            if e.bankReference == nil && e.id != BankEntry.positionID(file: file, position: e.position) {
                problems.append("entry without a bank reference has id \(e.id)")
            }
        }
        for u in unreadable {
            if u.file != file { problems.append("unreadable \(u.id) names another file") }
            if u.position < 0 { problems.append("unreadable \(u.id) has a negative position") }
            if u.position > 0 && positions.contains(u.position) { problems.append("unreadable \(u.id) shares an entry's position") }
            if u.reason.isEmpty { problems.append("unreadable \(u.id) has no reason") }
        }
        for s in statements {
            if let from = s.coverageFrom, let to = s.coverageTo, to < from { problems.append("statement \(s.statementID ?? "") ends before it starts") }
        }
        if rereading() != self { problems.append("reading the same bytes twice gave different results") }
        let once = BankStatementSet.combine([self]).entries
        let twice = BankStatementSet.combine([self, self]).entries
        if once != twice { problems.append("combining the file with itself changed its entries (\(once.count) → \(twice.count))") }
        return problems
    }
}

import JobSettings
import Testing

/// How the reports name statement files (docs/bank.md § Statement names): the base name, and
/// the shortest trailing path that tells apart files sharing one.
@Suite struct BankStatementNamesTests {
    @Test func aFileIsNamedByItsBaseName() {
        #expect(BankStatementNames.names(for: ["/srv/bank/2026-11/camt.xml", "daily.sta", "./export.csv"])
            == ["camt.xml", "daily.sta", "export.csv"])
    }

    @Test func filesSharingABaseNameAreNamedByTheShortestTrailingPathThatTellsThemApart() {
        #expect(BankStatementNames.names(for: ["/srv/2026-11/statement.xml", "/srv/2026-12/statement.xml", "/srv/other.xml"])
            == ["2026-11/statement.xml", "2026-12/statement.xml", "other.xml"])
        // Only the colliding names grow, each as far as it needs.
        #expect(BankStatementNames.names(for: ["a/x/s.xml", "b/x/s.xml", "c/y/s.xml", "t.xml"])
            == ["a/x/s.xml", "b/x/s.xml", "y/s.xml", "t.xml"])
        // A path that is all used up keeps its whole (relative) length while the other grows.
        #expect(BankStatementNames.names(for: ["x/s.xml", "/b/x/s.xml"]) == ["x/s.xml", "b/x/s.xml"])
    }

    @Test func namesDependOnThePathsNotOnTheWorkingDirectory() {
        #expect(BankStatementNames.names(for: ["s.xml"]) == BankStatementNames.names(for: ["/home/ops/run/s.xml"]))
    }

    @Test func pathsWithTheSameComponentsKeepThePathsAsGiven() {
        #expect(BankStatementNames.names(for: ["/x/a.xml", "x/a.xml"]) == ["/x/a.xml", "x/a.xml"])
    }
}

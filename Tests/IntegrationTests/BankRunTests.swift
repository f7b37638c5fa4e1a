import APSandbox
import Foundation
import JobSettings
import Reconciliation
import Testing

/// A run with bank statements, in-process against the sandbox serving the sample data, with
/// the statements the sandbox's generator writes for it: every planted fault comes out as its
/// diagnostic among the run's, counted like the others; a file that cannot be read is one
/// finding and the rest is still reconciled.
@Suite struct BankRunTests {
    /// The generator's files of `folder` written into a scratch folder; their paths, sorted.
    static func statements(_ folder: String) throws -> [String] {
        let output = BankStatementGenerator.generate(dataset: try JobHarness.sampleDataset())
        let dir = try Self.folder("bank")
        var paths: [String] = []
        for file in output.files where file.path.hasPrefix(folder + "/") && !file.path.hasSuffix(".json") {
            let url = dir.appendingPathComponent(String(file.path.dropFirst(folder.count + 1)))
            try Data(file.contents.utf8).write(to: url)
            paths.append(url.path)
        }
        return paths.sorted()
    }

    static func folder(_ label: String) throws -> URL {
        let url = JobHarness.scratch(label)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func bankLines(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.filter { DiagnosticCode.bankCases.contains($0.code) }.map {
            "\($0.code.rawValue)|\($0.payoutID ?? "")|\($0.bankEntryID ?? "")|\($0.expected.map(String.init) ?? "")|\($0.actual.map(String.init) ?? "")"
        }
    }

    @Test func theRunReportsThePlantedBankFaultsAmongItsDiagnostics() async throws {
        let files = try Self.statements("camt.053")
        #expect(files.count == 4)
        let run = try await JobHarness.pipeline(try JobHarness.sampleDataset(), bank: BankSettings(files: files))
        let result = try #require(run.outcome.result)
        let bank = try #require(result.bank)
        // Sorted like every diagnostic: errors first, then by code.
        #expect(Self.bankLines(result.diagnostics) == [
            "PAYOUT_BANK_AMOUNT_MISMATCH|po_4005|BR2611050008|100926|99426",
            "PAYOUT_NOT_IN_BANK|po_4002||246300|",
            "BANK_CREDIT_UNMATCHED||BR2611040006||123456",
            "BANK_STATEMENT_GAP||BR2611060009|100536209|100546209",
        ])
        #expect(bank.diagnostics.count == 4)
        #expect(bank.countsByMatch == [.reference: 7, .amount: 2, .batched: 1, .ambiguous: 0, .unmatched: 1, .notFromProvider: 1, .debit: 1])
        // Counted in the summary like the rest, so --fail-on sees them.
        #expect(result.summary.diagnosticsByCode[.payoutNotInBank] == 1)
        #expect(result.summary.diagnosticsByCode[.bankStatementGap] == 1)
        let baseline = try await JobHarness.baseline.value
        let before = try #require(baseline.outcome.result)
        #expect(result.summary.diagnosticsBySeverity[.error] == (before.summary.diagnosticsBySeverity[.error] ?? 0) + 2)
        #expect(result.summary.diagnosticsBySeverity[.warning] == (before.summary.diagnosticsBySeverity[.warning] ?? 0) + 2)
        // The rest of the run is what it is without statements.
        #expect(result.diagnostics.filter { !DiagnosticCode.bankCases.contains($0.code) } == before.diagnostics)
        #expect(run.outcome.status == .clean)
    }

    @Test func aFileThatCannotBeReadIsOneFindingAndTheOthersAreStillMatched() async throws {
        let files = try Self.statements("mt940")
        let junk = try Self.folder("bank-junk").appendingPathComponent("notes.txt")
        try Data("these are not statements\n".utf8).write(to: junk)
        let missing = JobHarness.scratch("bank-gone").appendingPathComponent("gone.sta").path
        let run = try await JobHarness.pipeline(try JobHarness.sampleDataset(),
                                                bank: BankSettings(files: [junk.path] + files + [missing]))
        let result = try #require(run.outcome.result)
        let unreadable = result.diagnostics.filter { $0.code == .bankEntryUnreadable }
        #expect(unreadable.map(\.bankEntryID) == ["\(junk.path)#0", "\(missing)#0"].sorted())
        #expect(Self.bankLines(result.diagnostics).filter { !$0.hasPrefix("BANK_ENTRY_UNREADABLE") } == [
            "PAYOUT_BANK_AMOUNT_MISMATCH|po_4005|BR2611050008|100926|99426",
            "PAYOUT_NOT_IN_BANK|po_4002||246300|",
            "BANK_CREDIT_UNMATCHED||BR2611040006||123456",
            "BANK_STATEMENT_GAP||BR2611060009|100536209|100546209",
        ])
    }

    @Test func aRunWithoutStatementsHasNoBankResult() async throws {
        let run = try await JobHarness.baseline.value
        let result = try #require(run.outcome.result)
        #expect(result.bank == nil)
        #expect(Self.bankLines(result.diagnostics) == [])
    }
}

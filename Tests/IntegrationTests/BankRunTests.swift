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

        // bank.csv: every entry once (the overlapping statement adds none), by file and position.
        let csv = String(decoding: try #require(run.files["bank.csv"]), as: UTF8.self)
        #expect(csv == [
            "statement_file,bank_entry_id,booking_date,value_date,direction,currency,amount_minor,amount,reference,match,payout_ids",
            "statement-1.xml,BR2611030005,2026-11-03,2026-11-03,credit,USD,77777,777.77,,not_from_provider,",
            "statement-2.xml,BR2611040006,2026-11-04,2026-11-04,credit,USD,123456,1234.56,,unmatched,",
            "statement-2.xml,BR2611040007,2026-11-04,2026-11-04,credit,USD,235550,2355.50,,reference,po_4001",
            "statement-2.xml,BR2611050008,2026-11-05,2026-11-05,credit,USD,99426,994.26,,reference,po_4005",
            "statement-3.xml,BR2611090001,2026-11-09,2026-11-09,credit,BHD,1364636,1364.636,,reference,po_4009",
            "statement-3.xml,BR2611060002,2026-11-06,2026-11-06,credit,JPY,598200,598200,,reference,po_4003",
            "statement-3.xml,BR2611090003,2026-11-09,2026-11-09,credit,JPY,191287,191287,,reference,po_4014",
            "statement-3.xml,BR2611090004,2026-11-09,2026-11-09,credit,JPY,35000,35000,,amount,po_4008",
            "statement-3.xml,BR2611060009,2026-11-06,2026-11-06,debit,USD,2500,25.00,,debit,",
            "statement-3.xml,BR2611090010,2026-11-09,2026-11-09,credit,USD,183519,1835.19,,reference,po_4011",
            "statement-3.xml,BR2611090011,2026-11-09,2026-11-09,credit,USD,52250,522.50,,reference,po_4013",
            "statement-3.xml,BR2611090012,2026-11-09,2026-11-09,credit,USD,195048,1950.48,,amount,po_4012",
            "statement-3.xml,BR2611090013,2026-11-09,2026-11-09,credit,USD,377811,3778.11,,batched,po_4006 po_4010",
        ].map { $0 + "\r\n" }.joined())
        // USD: credited = matched + the unknown provider credit + the customer's transfer;
        // expected - matched = po_4002 (never arrived) + the 15.00 wire fee taken from po_4005.
        let usd = try #require(bank.totals.first { $0.currency.code == "USD" })
        let amounts: [Int64?] = [usd.expected, usd.credited, usd.matched, usd.unmatched, usd.debited]
        #expect(amounts == [1391404, 1344837, 1143604, 123456, 2500])
        #expect(usd.creditCount == 8)
        #expect(usd.debitCount == 1)
        #expect(bank.payouts.filter { $0.payoutID == "po_4006" || $0.payoutID == "po_4010" }.map(\.entryIDs) == [["BR2611090013"], ["BR2611090013"]])
        // report.json: every payout carries its matched entries, [] when none.
        let reportBytes = try #require(run.files["report.json"])
        let report = try #require(try JSONSerialization.jsonObject(with: reportBytes) as? [String: Any])
        let payoutEntries = try #require(report["payouts"] as? [[String: Any]]).map { "\($0["id"] as? String ?? ""):\(($0["bank_entry_ids"] as? [String])?.joined(separator: " ") ?? "missing")" }
        #expect(payoutEntries.sorted() == [
            "po_4001:BR2611040007", "po_4002:", "po_4003:BR2611060002", "po_4004:", "po_4005:BR2611050008",
            "po_4006:BR2611090013", "po_4007:", "po_4008:BR2611090004", "po_4009:BR2611090001", "po_4010:BR2611090013",
            "po_4011:BR2611090010", "po_4012:BR2611090012", "po_4013:BR2611090011", "po_4014:BR2611090003",
        ])
        // report.html: the cash section, only with statements.
        let html = String(decoding: try #require(run.files["report.html"]), as: UTF8.self)
        #expect(html.contains(#"<tr><td>USD</td><td class="num">13,914.04 USD</td><td class="num">13,448.37 USD</td><td class="num">11,436.04 USD</td><td class="num">1,234.56 USD</td></tr>"#))
        #expect(html.contains(#"<tr><td>po_4002</td><td class="num">2,463.00 USD</td><td>2026-11-04 to 2026-11-09</td></tr>"#))
        #expect(html.contains(#"<tr><td>BR2611040006</td><td>2026-11-04</td><td class="num">1,234.56 USD</td>"#))
        #expect(!String(decoding: try #require(baseline.files["report.html"]), as: UTF8.self).contains("cash-section"))
        // diagnostics.csv names the entry of each bank finding.
        let diagnostics = String(decoding: try #require(run.files["diagnostics.csv"]), as: UTF8.self)
        let row = diagnostics.split(separator: "\r\n").first { $0.hasPrefix("error,PAYOUT_BANK_AMOUNT_MISMATCH,po_4005,") }
        #expect(row?.hasPrefix("error,PAYOUT_BANK_AMOUNT_MISMATCH,po_4005,,,,USD,100926,1009.26,99426,994.26,-1500,-15.00,,") == true)
        #expect(row?.hasSuffix(",1500,15.00,0-7,open,,,,BR2611050008,") == true)
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
        #expect(unreadable.map(\.bankEntryID) == ["gone.sta#0", "notes.txt#0"])
        #expect(Self.bankLines(result.diagnostics).filter { !$0.hasPrefix("BANK_ENTRY_UNREADABLE") } == [
            "PAYOUT_BANK_AMOUNT_MISMATCH|po_4005|BR2611050008|100926|99426",
            "PAYOUT_NOT_IN_BANK|po_4002||246300|",
            "BANK_CREDIT_UNMATCHED||BR2611040006||123456",
            "BANK_STATEMENT_GAP||BR2611060009|100536209|100546209",
        ])
    }

    @Test func theBinaryExits78NamingAStatementPathThatNamesNoFile() async throws {
        let dir = try Self.folder("bank-cli")
        let missing = dir.appendingPathComponent("nov-*.xml").path
        let result = try await RunEndToEndTests().run([
            "--base-url", "http://127.0.0.1:9", "--since", "2026-11-01", "--until", "2026-11-08",
            "--out", dir.appendingPathComponent("out").path, "--bank-statement", missing,
        ])
        #expect(result.status == 78)
        #expect(result.stderr.contains("--bank-statement: the glob \(missing) matches no file"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    @Test func aRunWithoutStatementsHasNoBankResult() async throws {
        let run = try await JobHarness.baseline.value
        let result = try #require(run.outcome.result)
        #expect(result.bank == nil)
        #expect(Self.bankLines(result.diagnostics) == [])
    }
}

import APModels
import APSandbox
import BankStatements
import Foundation
import Reconciliation
import Testing

/// The sandbox's statements for samples/api, read back in every format and matched: each
/// planted fault must come out as its code, and nothing else may.
@Suite struct GeneratedStatementsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sample() throws -> (SandboxDataset, [Payout]) {
        let dataset = try SandboxDataset.load(directory: root.appendingPathComponent("samples/api"))
        let payouts = try dataset.payouts.map { try JSONDecoder().decode(Payout.self, from: Data(JSON.object($0).serialized())) }
        return (dataset, payouts)
    }

    static func reconcile(_ folder: String, _ output: BankStatementGenerator.Output, payouts: [Payout]) -> (BankStatementSet, BankReconciliation) {
        let files = output.files.filter { $0.path.hasPrefix(folder + "/") && !$0.path.hasSuffix(".json") }.sorted { $0.path < $1.path }
        let read = files.map { BankStatementReader.read(Array($0.contents.utf8), file: String($0.path.dropFirst(folder.count + 1)),
                                                        csvMapping: output.csvMapping) }
        let set = BankStatementSet.combine(read)
        return (set, BankMatching.reconcile(BankMatchingInput(payouts: payouts, statements: set)))
    }

    static func lines(_ r: BankReconciliation) -> [String] {
        r.diagnostics.map { "\($0.code.rawValue)|\($0.payoutID ?? "")|\($0.bankEntryID ?? "")|\($0.expected.map(String.init) ?? "")|\($0.actual.map(String.init) ?? "")" }
    }

    @Test func theFaultsArePlantedAsDocumented() throws {
        let (dataset, _) = try Self.sample()
        let output = BankStatementGenerator.generate(dataset: dataset)
        #expect(output.faults.missingPayoutID == "po_4002")
        #expect(output.faults.feePayoutID == "po_4005")
        #expect(output.faults.fee == 1500)
        #expect(output.faults.batchedPayoutIDs == ["po_4006", "po_4010"])
        #expect(output.faults.unknownCreditReference == "BR2611040006")
        #expect(output.files.map(\.path) == ["camt.053", "camt.054", "bai2", "mt940", "csv"].flatMap { folder in
            let base = folder == "camt.054" ? "notification" : "statement"
            let ext = ["camt.053": "xml", "camt.054": "xml", "bai2": "bai", "mt940": "sta", "csv": "csv"][folder] ?? ""
            return ["1", "2", "3", "overlap"].map { "\(folder)/\(base)-\($0).\(ext)" }
        } + ["csv/mapping.json"])
        // The same dataset gives the same bytes.
        #expect(BankStatementGenerator.generate(dataset: dataset) == output)
    }

    @Test func samplesBankIsWhatTheGeneratorWritesForSamplesAPI() throws {
        let (dataset, _) = try Self.sample()
        for file in BankStatementGenerator.generate(dataset: dataset).files {
            let stored = try String(contentsOf: Self.root.appendingPathComponent("samples/bank/\(file.path)"), encoding: .utf8)
            #expect(stored == file.contents, "samples/bank/\(file.path) is stale: regenerate it (samples/README.md)")
        }
    }

    @Test(arguments: ["camt.053", "camt.054", "bai2", "mt940", "csv"])
    func everyFormatReadsBackToThePlantedFindings(folder: String) throws {
        let (dataset, payouts) = try Self.sample()
        let output = BankStatementGenerator.generate(dataset: dataset)
        let (set, result) = Self.reconcile(folder, output, payouts: payouts)
        #expect(set.unreadable == [])
        // 12 payouts must arrive: one never does and two share a credit (10 lines), plus the unknown
        // credit, the customer's transfer and the bank charge; the overlapping statement adds none.
        #expect(set.entries.count == 13)
        #expect(Set(set.entries.map(\.id)).count == 13)
        let nonref = set.entries.filter { $0.remittanceInformation == "ACME CORP INVOICE 99 REMITTANCE" }.map(\.id)
        #expect(nonref == [folder == "mt940" ? "statement-1.sta#1" : "BR2611030005"])

        var expected = [
            "PAYOUT_BANK_AMOUNT_MISMATCH|po_4005|BR2611050008|100926|99426",
            "PAYOUT_NOT_IN_BANK|po_4002||246300|",
            "BANK_CREDIT_UNMATCHED||BR2611040006||123456",
        ]
        if ["camt.053", "bai2", "mt940"].contains(folder) {
            // Statement 2 closes with 1,005,362.09 USD; statement 3 opens 100.00 above it. The anchor
            // is the first entry of the first day of statement 3: the bank charge.
            expected.append("BANK_STATEMENT_GAP||BR2611060009|100536209|100546209")
        }
        #expect(Self.lines(result) == expected)
        let byID = Dictionary(uniqueKeysWithValues: result.entries.map { ($0.entry.id, $0) })
        let batch = result.entries.filter { $0.kind == .batched }
        #expect(batch.map(\.payoutIDs) == [["po_4006", "po_4010"]])
        #expect(batch.map(\.entry.amount.minorUnits) == [280376 + 97435])
        #expect(byID["BR2611040006"]?.kind == .unmatched)
        #expect(result.entries.filter { $0.kind == .debit }.map(\.entry.amount.minorUnits) == [2500])
        #expect(result.entries.filter { $0.kind == .notFromProvider }.map(\.entry.amount.minorUnits) == [77777])
        #expect(result.payouts.filter { $0.state == .credited }.map(\.payoutID) == [
            "po_4001", "po_4003", "po_4006", "po_4008", "po_4009", "po_4010", "po_4011", "po_4012", "po_4013", "po_4014",
        ])
        #expect(result.countsByMatch == Self.counts)
    }

    // By reference: po_4001, po_4005 (less the fee), po_4011, po_4013, po_4003, po_4014, po_4009;
    // by amount: po_4012, po_4008.
    static let counts: [BankMatchKind: Int] = [.reference: 7, .amount: 2, .batched: 1, .ambiguous: 0, .unmatched: 1,
                                               .notFromProvider: 1, .debit: 1]
}

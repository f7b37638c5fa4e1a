import APModels
import CSVReading
import Reconciliation
@testable import Reports
import ReportSchemaCheck
import Testing

/// What a run with state adds: status / first_seen / age_days per diagnostic, open_items in
/// report.json, and exceptions.csv.
@Suite struct OpenItemsReportTests {
    static let asOf = ts("2024-01-11T06:00:00Z")

    /// Before this run: po_1's mismatch (first seen two days ago), an item of a payout this run
    /// did not look at (carried) and one of po_jpy that is gone now (resolved).
    static let previous: [OpenItem] = [
        OpenItem(fingerprint: "PAYOUT_AMOUNT_MISMATCH|po_1|||", code: "PAYOUT_AMOUNT_MISMATCH", severity: .error,
                 firstSeen: ts("2024-01-09T06:00:00Z"), lastSeen: ts("2024-01-10T06:00:00Z"), payoutID: "po_1", message: "old text"),
        OpenItem(fingerprint: "PAYOUT_EMPTY|po_old|||", code: "PAYOUT_EMPTY", severity: .warning,
                 firstSeen: ts("2024-01-01T06:00:00Z"), lastSeen: ts("2024-01-02T06:00:00Z"), payoutID: "po_old",
                 message: "=cmd|' /C calc'!A0"),
        OpenItem(fingerprint: "TXN_UNLINKED|po_jpy|t_9||", code: "TXN_UNLINKED", severity: .warning,
                 firstSeen: ts("2024-01-10T06:00:00Z"), lastSeen: ts("2024-01-10T06:00:00Z"), payoutID: "po_jpy",
                 transactionID: "t_9", message: "t_9 pays nothing known"),
    ]

    var stateRun: RunInfo {
        var info = run
        info.asOf = Self.asOf
        info.openItems = OpenItems.compare(previous: Self.previous, result: sampleResult, asOf: Self.asOf)
        return info
    }

    @Test func diagnosticsCSVFillsTheOpenItemColumns() {
        let f = DiagnosticsCSV.render(sampleResult, openItems: stateRun.openItems, asOf: Self.asOf)
        let rows = CSVReader.rows(text(f.bytes))
        #expect(Array(rows[0][19..<22]) == ["status", "first_seen", "age_days"])
        #expect(rows.dropFirst().map { Array($0[19..<22]) } == [
            ["open", "2024-01-09T06:00:00Z", "2"],
            ["new", "2024-01-11T06:00:00Z", "0"],
            ["new", "2024-01-11T06:00:00Z", "0"],
        ])
    }

    @Test func exceptionsCSVListsEveryItemOpenAfterTheRunMostSeriousAndOldestFirst() {
        let files = ReportRenderer.render(sampleResult, run: stateRun)
        #expect(files.map(\.name) == ["report.json", "payouts.csv", "transactions.csv", "invoices.csv", "diagnostics.csv",
                                      "report.html", "bank.csv", "exceptions.csv", "manifest.json"])
        let f = file("exceptions.csv", in: files)
        #expect(f.rowCount == 4)
        #expect(text(f.bytes) == crlf(
            "status,severity,code,first_seen,last_seen,age_days,payout_id,transaction_id,invoice_id,payment_request_id,message,fingerprint,"
                + "ageing_bucket,currency,amount_at_stake_minor,amount_at_stake,disposition,acknowledged_by,acknowledged_reason,bank_entry_id,candidate_bank_entry_ids",
            "open,error,PAYOUT_AMOUNT_MISMATCH,2024-01-09T06:00:00Z,2024-01-11T06:00:00Z,2,po_1,,,,Payout po_1 pays 1475.00 USD but its transactions add up to 1487.50 USD.,PAYOUT_AMOUNT_MISMATCH|po_1|||,0-7,USD,1250,12.50,open,,,,",
            #"new,error,RECORD_UNREADABLE,2024-01-11T06:00:00Z,2024-01-11T06:00:00Z,0,po_1,txn_bad,,,"A transaction of payout po_1 cannot be read:"#
                + "\n" + #"fix it at the source.",RECORD_UNREADABLE|po_1|txn_bad||,0-7,,,,open,,,,"#,
            // carried, with its formula-like message defused
            "carried,warning,PAYOUT_EMPTY,2024-01-01T06:00:00Z,2024-01-02T06:00:00Z,10,po_old,,,,'=cmd|' /C calc'!A0,PAYOUT_EMPTY|po_old|||,8-30,,,,open,,,,",
            "new,warning,TXN_SUGGESTED_MATCH,2024-01-11T06:00:00Z,2024-01-11T06:00:00Z,0,po_jpy,'+1,,,\"'-1 candidate, \"\"check\"\" it\",TXN_SUGGESTED_MATCH|po_jpy|+1||,0-7,JPY,1500,1500,open,,,,"))
        // the manifest describes it like the others
        let manifest = text(file("manifest.json", in: files).bytes)
        #expect(manifest.contains("\"name\": \"exceptions.csv\""))
    }

    @Test func reportJSONCarriesStatusesAndTheResolvedAndCarriedLists() throws {
        let node = try JSONNode.parse(ReportDocument.render(sampleResult, run: stateRun).bytes)
        #expect(node["diagnostics"]?[0]?["status"] == .string("open"))
        #expect(node["diagnostics"]?[0]?["first_seen"] == .string("2024-01-09T06:00:00Z"))
        #expect(node["diagnostics"]?[0]?["age_days"] == .int(2))
        #expect(node["diagnostics"]?[2]?["status"] == .string("new"))
        let counts = node["open_items"]?["counts"]
        #expect(counts?["new"] == .int(2))
        #expect(counts?["open"] == .int(1))
        #expect(counts?["carried"] == .int(1))
        #expect(counts?["resolved"] == .int(1))
        #expect(counts?["open_after_run"] == .int(4))
        #expect(node["open_items"]?["resolved"]?[0]?["fingerprint"] == .string("TXN_UNLINKED|po_jpy|t_9||"))
        #expect(node["open_items"]?["resolved"]?[0]?["age_days"] == .int(1))
        #expect(node["open_items"]?["resolved"]?[1] == nil)
        #expect(node["open_items"]?["carried"]?[0]?["fingerprint"] == .string("PAYOUT_EMPTY|po_old|||"))
        #expect(node["open_items"]?["carried"]?[1] == nil)
    }

    @Test func withoutStateTheFieldsAreNullAndThereIsNoExceptionsFile() throws {
        let files = ReportRenderer.render(sampleResult, run: run)
        #expect(!files.map(\.name).contains("exceptions.csv"))
        let node = try JSONNode.parse(file("report.json", in: files).bytes)
        #expect(node["open_items"] == .null)
        #expect(node["diagnostics"]?[0]?["status"] == .null)
        #expect(node["diagnostics"]?[0]?["first_seen"] == .null)
        #expect(node["diagnostics"]?[0]?["age_days"] == .null)
    }

    @Test func bothShapesMatchTheSchema() throws {
        let validator = try loadSchema()
        for info in [run, stateRun] {
            let report = try JSONNode.parse(ReportDocument.render(sampleResult, run: info).bytes)
            #expect(validator.validate(report) == [])
        }
    }
}

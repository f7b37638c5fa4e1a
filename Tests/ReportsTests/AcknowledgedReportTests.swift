import APModels
import CSVReading
import Reconciliation
@testable import Reports
import ReportSchemaCheck
import Testing

/// An acknowledged diagnostic in every report: disposition, owner and reason, money at stake,
/// ageing, stale entries, and report.html's outcome asking `FailOn` about open diagnostics only.
@Suite struct AcknowledgedReportTests {
    /// sampleResult's PAYOUT_AMOUNT_MISMATCH (an error) acknowledged; one stale entry.
    var acknowledgedRun: RunInfo {
        var info = run
        let entries = Acknowledgements([
            Acknowledgement(fingerprint: "PAYOUT_AMOUNT_MISMATCH|po_1|||", reason: "fee, credited later", by: "alice",
                            at: ts("2024-01-10T09:00:00Z"), until: ts("2024-02-01")),
            Acknowledgement(fingerprint: "TXN_UNLINKED|po_9|t_9||", reason: "gone", by: "bob", at: ts("2024-01-10T09:00:00Z")),
        ])
        info.acknowledgements = entries.review(sampleResult.diagnostics, asOf: info.asOf)
        info.acknowledgementsDigest = String(repeating: "ab", count: 32)
        return info
    }

    @Test func reportJSONCarriesDispositionAtStakeAgeingAndStaleEntries() throws {
        let node = try JSONNode.parse(ReportDocument.render(sampleResult, run: acknowledgedRun).bytes)
        let first = node["diagnostics"]?[0]
        #expect(first?["disposition"] == .string("acknowledged"))
        #expect(first?["acknowledgement"]?["by"] == .string("alice"))
        #expect(first?["acknowledgement"]?["until"] == .string("2024-02-01T00:00:00Z"))
        #expect(first?["amount_at_stake"]?["minor"] == .int(1250))
        #expect(first?["ageing_bucket"] == .string("0-7"))
        #expect(node["diagnostics"]?[2]?["disposition"] == .string("open"))
        #expect(node["acknowledgements"]?["acknowledged"] == .int(1))
        #expect(node["acknowledgements"]?["open"] == .int(2))
        #expect(node["acknowledgements"]?["stale"]?[0]?["fingerprint"] == .string("TXN_UNLINKED|po_9|t_9||"))
        #expect(node["acknowledgements"]?["stale"]?[0]?["why"] == .string("no_match"))
        // USD: the acknowledged mismatch; JPY: the open suggested match.
        #expect(node["at_stake"]?["currencies"]?[0]?["currency"] == .string("JPY"))
        #expect(node["at_stake"]?["currencies"]?[0]?["open"]?["minor"] == .int(1500))
        #expect(node["at_stake"]?["currencies"]?[1]?["acknowledged"]?["decimal"] == .string("12.50"))
        #expect(node["at_stake"]?["currencies"]?[1]?["open"]?["minor"] == .int(0))
        #expect(node["at_stake"]?["by_code"]?[0]?["code"] == .string("TXN_SUGGESTED_MATCH"))
        // Ageing counts open diagnostics only: the unreadable record (no currency) and the JPY match.
        #expect(node["ageing"]?[0]?["currency"] == .null)
        #expect(node["ageing"]?[0]?["buckets"]?[0]?["count"] == .int(1))
        #expect(node["ageing"]?[1]?["currency"] == .string("JPY"))
        #expect(node["ageing"]?[1]?["buckets"]?[0]?["at_stake"]?["minor"] == .int(1500))
        #expect(try loadSchema().validate(node) == [])
    }

    @Test func diagnosticsCSVNamesTheOwnerAndReason() {
        let f = DiagnosticsCSV.render(sampleResult, review: acknowledgedRun.acknowledgements)
        let rows = CSVReader.rows(text(f.bytes))
        // The two bank columns come last, empty here.
        #expect(rows[1].suffix(2) == ["", ""])
        #expect(rows[1].dropLast(2).suffix(7) == ["1250", "12.50", "0-7", "acknowledged", "alice", "fee, credited later", "2024-02-01T00:00:00Z"])
        #expect(rows[2].dropLast(2).suffix(7) == ["", "", "0-7", "open", "", "", ""])
    }

    @Test func theHTMLOutcomeCountsOpenDiagnosticsOnly() {
        // sampleResult: 2 errors (one acknowledged) and 1 warning, --fail-on warning.
        let tripped = HTMLPage.outcome([.error: 2, .warning: 1], open: [.error: 1, .warning: 1], failOn: .error)
        #expect(tripped.tone == "attention")
        #expect(tripped.detail == "2 errors, 1 warning and 0 info diagnostics (1 acknowledged); at or above --fail-on error, so the run exited with status 1.")
        let quiet = HTMLPage.outcome([.error: 1, .warning: 1], open: [.warning: 1], failOn: .error)
        #expect(quiet.tone == "findings")
        #expect(quiet.detail == "1 error, 1 warning and 0 info diagnostics (1 acknowledged); none open at or above --fail-on error, so the run exited with status 0.")
        let page = html(sampleResult, run: acknowledgedRun)
        #expect(page.contains("Acknowledged: fee, credited later (by alice, until 2024-02-01T00:00:00Z)"))
        #expect(page.contains("<h2>Money at stake</h2>"))
    }
}

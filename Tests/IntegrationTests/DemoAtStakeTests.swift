import APModels
import Foundation
import Operations
import Reconciliation
import Testing

/// The money at stake of the golden demo, exactly, and the metrics file it gives (committed as
/// samples/metrics/demo.prom, which scripts/test.sh also parses with prometheus_client).
@Suite struct DemoAtStakeTests {
    static let metricsSample = repositoryRoot.appendingPathComponent("samples/metrics/demo.prom")

    @Test func theGoldenDemoPutsExactlyThisMoneyAtStake() async throws {
        let run = try await runDemo()
        let result = try #require(run.outcome.run.result, "\(run.outcome.run.headline)")
        let totals = AtStakeTotals(result.diagnostics)
        #expect(totals.currencies.map { "\($0.currency.code) \($0.minorUnits.map(String.init) ?? "overflow")" }
            == ["BHD 150400", "JPY 112000", "USD 824101"])
        #expect(totals.rows.map { "\($0.key.currency.code) \($0.key.severity.rawValue) \($0.key.code.rawValue) \($0.minorUnits ?? -1)" } == [
            "BHD error PAYOUT_AMOUNT_MISMATCH 150400",
            "JPY error PAYOUT_EMPTY 35000",
            "JPY warning TXN_UNLINKED 77000",
            "USD error INVOICE_DUPLICATE_PAYMENT 48000",
            "USD error INVOICE_OVERPAID 9500",
            "USD error INVOICE_PAID_WITHOUT_PAYMENT 43000",
            "USD error INVOICE_UNDERPAID 750",
            "USD error PAYMENT_REQUEST_PAID_WITHOUT_PAYMENT 18000",
            "USD error PAYOUT_AMOUNT_MISMATCH 2250",
            "USD error PAYOUT_BANK_AMOUNT_MISMATCH 1500",
            "USD error PAYOUT_NOT_IN_BANK 246300",
            "USD error TXN_AMOUNT_MISMATCH 5000",
            "USD warning BANK_CREDIT_UNMATCHED 123456",
            "USD warning INVOICE_LINE_ITEMS_MISMATCH 5000",
            "USD warning REFUND_WITHOUT_PAYMENT 21000",
            "USD warning TXN_AMBIGUOUS_MATCH 32000",
            "USD warning TXN_SUGGESTED_MATCH 56000",
            "USD warning TXN_UNLINKED 12345",
            "USD info INVOICE_PARTIALLY_PAID 200000",
        ])
        // report.json carries the same figures.
        let bytes = try #require(run.files["report.json"])
        let report = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let currencies = try #require((report["at_stake"] as? [String: Any])?["currencies"] as? [[String: Any]])
        #expect(currencies.map { ($0["total"] as? [String: Any])?["decimal"] as? String } == ["150.400", "112000", "8241.01"])
    }

    @Test func theDemoMetricsFileIsTheCommittedSample() async throws {
        let run = try await runDemo()
        let text = MetricsFile.render([MetricsRun(account: nil, outcome: run.outcome.run,
                                                  endedAt: Date(timeIntervalSince1970: 1_762_581_600), durationSeconds: 1.5)],
                                      previousSuccess: [:])
        let expected = (try? String(contentsOf: Self.metricsSample, encoding: .utf8)) ?? ""
        if text != expected {
            // What the code writes now, for the reviewer to diff and copy over the sample.
            let actual = FileManager.default.temporaryDirectory.appendingPathComponent("demo.prom.actual")
            try Data(text.utf8).write(to: actual)
            Issue.record("samples/metrics/demo.prom differs from what the code writes (now in \(actual.path)); if intended, copy it over the sample and review the diff")
        }
        #expect(text.contains("ap_reconcile_at_stake_minor_units{currency=\"USD\",severity=\"error\",disposition=\"open\"} 374300\n"))
        #expect(text.contains("ap_reconcile_diagnostics_open{severity=\"error\"} 20\n"))
    }
}

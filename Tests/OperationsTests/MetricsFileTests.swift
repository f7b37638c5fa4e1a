import Foundation
import JobSettings
@testable import Operations
import Publishing
import RunPipeline
import Testing

@Suite struct MetricsFileTests {
    @Test func completeRunExactText() {
        let run = MetricsRun(account: nil, outcome: completeOutcome(), endedAt: Date(timeIntervalSince1970: 1_700_000_000.5), durationSeconds: 12.25)
        #expect(MetricsFile.render([run], previousSuccess: [:]) == """
        # HELP ap_reconcile_last_run_timestamp_seconds Unix time the last run ended.
        # TYPE ap_reconcile_last_run_timestamp_seconds gauge
        ap_reconcile_last_run_timestamp_seconds 1700000000.5
        # HELP ap_reconcile_last_success_timestamp_seconds Unix time the last run that wrote its reports ended (exit 0, 1 or 74); kept from the previous file while runs fail.
        # TYPE ap_reconcile_last_success_timestamp_seconds gauge
        ap_reconcile_last_success_timestamp_seconds 1700000000.5
        # HELP ap_reconcile_run_duration_seconds Wall-clock duration of the last run.
        # TYPE ap_reconcile_run_duration_seconds gauge
        ap_reconcile_run_duration_seconds 12.25
        # HELP ap_reconcile_exit_code Exit code of the last run (0 clean, 1 diagnostics, others: see ap-reconcile --help).
        # TYPE ap_reconcile_exit_code gauge
        ap_reconcile_exit_code 1
        # HELP ap_reconcile_run_success 1 when the last run wrote its reports (exit 0 or 1), else 0.
        # TYPE ap_reconcile_run_success gauge
        ap_reconcile_run_success 1
        # HELP ap_reconcile_outcome The last run's outcome: 1 for the one that happened, 0 for the others.
        # TYPE ap_reconcile_outcome gauge
        ap_reconcile_outcome{outcome="ok"} 0
        ap_reconcile_outcome{outcome="complete"} 0
        ap_reconcile_outcome{outcome="diagnostics"} 1
        ap_reconcile_outcome{outcome="notify_failed"} 0
        ap_reconcile_outcome{outcome="failed"} 0
        ap_reconcile_outcome{outcome="stopped"} 0
        # HELP ap_reconcile_payouts_reconciled Payouts reconciled by the last complete run.
        # TYPE ap_reconcile_payouts_reconciled gauge
        ap_reconcile_payouts_reconciled 1
        # HELP ap_reconcile_lines_reconciled Payout lines reconciled by the last complete run.
        # TYPE ap_reconcile_lines_reconciled gauge
        ap_reconcile_lines_reconciled 1
        # HELP ap_reconcile_diagnostics Diagnostics of the last complete run, by severity.
        # TYPE ap_reconcile_diagnostics gauge
        ap_reconcile_diagnostics{severity="error"} 1
        ap_reconcile_diagnostics{severity="warning"} 0
        ap_reconcile_diagnostics{severity="info"} 0
        # HELP ap_reconcile_diagnostics_open Diagnostics of the last complete run nobody has acknowledged, by severity: what --fail-on counts.
        # TYPE ap_reconcile_diagnostics_open gauge
        ap_reconcile_diagnostics_open{severity="error"} 1
        ap_reconcile_diagnostics_open{severity="warning"} 0
        ap_reconcile_diagnostics_open{severity="info"} 0
        # HELP ap_reconcile_diagnostics_acknowledged Diagnostics of the last complete run covered by an acknowledgement in force, by severity.
        # TYPE ap_reconcile_diagnostics_acknowledged gauge
        ap_reconcile_diagnostics_acknowledged{severity="error"} 0
        ap_reconcile_diagnostics_acknowledged{severity="warning"} 0
        ap_reconcile_diagnostics_acknowledged{severity="info"} 0
        # HELP ap_reconcile_acknowledgements_stale Entries of the acknowledgements file that acknowledged nothing in the last complete run.
        # TYPE ap_reconcile_acknowledgements_stale gauge
        ap_reconcile_acknowledgements_stale 0
        # HELP ap_reconcile_at_stake_minor_units Money at stake in the last complete run, in minor units of its currency, by severity and disposition (open or acknowledged).
        # TYPE ap_reconcile_at_stake_minor_units gauge
        ap_reconcile_at_stake_minor_units{currency="USD",severity="error",disposition="open"} 10
        ap_reconcile_at_stake_minor_units{currency="USD",severity="error",disposition="acknowledged"} 0
        ap_reconcile_at_stake_minor_units{currency="USD",severity="warning",disposition="open"} 0
        ap_reconcile_at_stake_minor_units{currency="USD",severity="warning",disposition="acknowledged"} 0
        ap_reconcile_at_stake_minor_units{currency="USD",severity="info",disposition="open"} 0
        ap_reconcile_at_stake_minor_units{currency="USD",severity="info",disposition="acknowledged"} 0
        # HELP ap_reconcile_ageing_open_items Open (not acknowledged) diagnostics of the last complete run by currency and age bucket.
        # TYPE ap_reconcile_ageing_open_items gauge
        ap_reconcile_ageing_open_items{currency="USD",bucket="0-7"} 1
        ap_reconcile_ageing_open_items{currency="USD",bucket="8-30"} 0
        ap_reconcile_ageing_open_items{currency="USD",bucket="31-90"} 0
        ap_reconcile_ageing_open_items{currency="USD",bucket="over_90"} 0
        # HELP ap_reconcile_ageing_at_stake_minor_units Money at stake in open diagnostics of the last complete run by currency and age bucket, in minor units.
        # TYPE ap_reconcile_ageing_at_stake_minor_units gauge
        ap_reconcile_ageing_at_stake_minor_units{currency="USD",bucket="0-7"} 10
        ap_reconcile_ageing_at_stake_minor_units{currency="USD",bucket="8-30"} 0
        ap_reconcile_ageing_at_stake_minor_units{currency="USD",bucket="31-90"} 0
        ap_reconcile_ageing_at_stake_minor_units{currency="USD",bucket="over_90"} 0
        # HELP ap_reconcile_requests HTTP requests the last run sent, by endpoint (each attempt counts; token requests as POST /oauth/token).
        # TYPE ap_reconcile_requests gauge
        ap_reconcile_requests{endpoint="GET /payouts"} 2
        ap_reconcile_requests{endpoint="GET /payouts/{id}/transactions"} 1
        ap_reconcile_requests{endpoint="POST /oauth/token"} 1
        # HELP ap_reconcile_retries Retries the last run made, by endpoint.
        # TYPE ap_reconcile_retries gauge
        ap_reconcile_retries{endpoint="GET /payouts"} 1

        """)
    }

    @Test func failedRunKeepsThePreviousSuccessPerAccount() {
        let previous = """
        # TYPE ap_reconcile_last_success_timestamp_seconds gauge
        ap_reconcile_last_success_timestamp_seconds{account="acme"} 1699990000
        ap_reconcile_last_success_timestamp_seconds{account="we\\"ird"} 1699980000.25
        ap_reconcile_exit_code{account="acme"} 0

        """
        let kept = MetricsFile.previousSuccess(in: previous)
        #expect(kept == ["acme": 1_699_990_000, "we\"ird": 1_699_980_000.25])

        let failed = MetricsRun(account: "acme", outcome: failedOutcome(), endedAt: Date(timeIntervalSince1970: 1_700_000_000), durationSeconds: 3)
        let good = MetricsRun(account: "we\"ird", outcome: completeOutcome(), endedAt: Date(timeIntervalSince1970: 1_700_000_100), durationSeconds: 4)
        let text = MetricsFile.render([failed, good], previousSuccess: kept)
        let success = text.split(separator: "\n").filter { $0.hasPrefix("ap_reconcile_last_success_timestamp_seconds") }
        #expect(success == [
            "ap_reconcile_last_success_timestamp_seconds{account=\"acme\"} 1699990000",
            "ap_reconcile_last_success_timestamp_seconds{account=\"we\\\"ird\"} 1700000100",
        ])
        let exits = text.split(separator: "\n").filter { $0.hasPrefix("ap_reconcile_exit_code") }
        #expect(exits == ["ap_reconcile_exit_code{account=\"acme\"} 69", "ap_reconcile_exit_code{account=\"we\\\"ird\"} 1"])
        // A failed run has no result: no payout, line or diagnostics series for it.
        #expect(!text.contains("ap_reconcile_payouts_reconciled{account=\"acme\"}"))
        #expect(text.contains("ap_reconcile_payouts_reconciled{account=\"we\\\"ird\"} 1\n"))
        // Read back, the new file keeps both accounts' success times.
        #expect(MetricsFile.previousSuccess(in: text) == ["acme": 1_699_990_000, "we\"ird": 1_700_000_100])
    }

    @Test func firstFailedRunHasNoSuccessSeries() {
        let failed = MetricsRun(account: nil, outcome: failedOutcome(), endedAt: Date(timeIntervalSince1970: 5), durationSeconds: 0.001)
        let text = MetricsFile.render([failed], previousSuccess: [:])
        #expect(!text.contains("last_success"))
        #expect(text.contains("ap_reconcile_run_duration_seconds 0.001\n"))
        #expect(text.contains("ap_reconcile_run_success 0\n"))
        #expect(text.contains("ap_reconcile_outcome{outcome=\"failed\"} 1\n"))
    }

    @Test func writeReplacesTheFileAtomicallyAndLeavesNoTemporary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/ap_reconcile.prom"
        try MetricsFile.write("old\n", to: path)
        let good = MetricsRun(account: nil, outcome: completeOutcome(), endedAt: Date(timeIntervalSince1970: 100), durationSeconds: 1)
        try MetricsFile.update(path: path, runs: [good])
        let failed = MetricsRun(account: nil, outcome: failedOutcome(), endedAt: Date(timeIntervalSince1970: 200), durationSeconds: 1)
        try MetricsFile.update(path: path, runs: [failed])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("ap_reconcile_last_success_timestamp_seconds 100\n"))
        #expect(text.contains("ap_reconcile_last_run_timestamp_seconds 200\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["ap_reconcile.prom"])
    }

    @Test func unwritableFolderIsAnErrorNamingThePath() {
        #expect(throws: PublishError.self) { try MetricsFile.write("x\n", to: "/nonexistent-\(UUID().uuidString)/m.prom") }
    }
}

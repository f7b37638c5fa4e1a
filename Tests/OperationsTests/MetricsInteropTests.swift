import ExternalTools
import Foundation
import JobSettings
@testable import Operations
import RunPipeline
import Testing

/// The metrics file read by the Prometheus project's own text-format parser
/// (`prometheus_client.parser`), as node_exporter's textfile collector reads it.
@Suite struct MetricsInteropTests {
    @Test func prometheusParsesEveryFamilyAndSample() throws {
        let runs = [
            MetricsRun(account: "acme", outcome: completeOutcome(), endedAt: Date(timeIntervalSince1970: 1_700_000_000.5), durationSeconds: 12.25),
            MetricsRun(account: "globex \"quoted\" \\ name", outcome: RunOutcome(status: .unavailable, headline: "API down"),
                       endedAt: Date(timeIntervalSince1970: 1_700_000_100), durationSeconds: 3),
        ]
        let text = MetricsFile.render(runs, previousSuccess: ["globex \"quoted\" \\ name": 1_699_990_000])
        let result = try Python.run([
            "import sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "for family in text_string_to_metric_families(sys.argv[1]):",
            "    for s in family.samples:",
            "        labels = ','.join(f'{k}={v}' for k, v in sorted(s.labels.items()))",
            "        print(f'{family.type} {s.name} {{{labels}}} {s.value!r}')",
        ], arguments: [text])
        #expect(result.status == 0, "prometheus_client refused the metrics file: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // Every sample line of the file is one parsed sample, every family a gauge.
        let sampleLines = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.count == sampleLines.count)
        #expect(lines.allSatisfy { $0.hasPrefix("gauge ") })
        #expect(lines.contains("gauge ap_reconcile_exit_code {account=acme} 1"))
        #expect(lines.contains("gauge ap_reconcile_exit_code {account=globex \"quoted\" \\ name} 69"))
        #expect(lines.contains("gauge ap_reconcile_last_success_timestamp_seconds {account=globex \"quoted\" \\ name} 1699990000"))
        #expect(lines.contains("gauge ap_reconcile_run_duration_seconds {account=acme} 12.25"))
    }
}

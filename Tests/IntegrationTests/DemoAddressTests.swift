import Foundation
import ReconcileDemo
import ReportSchemaCheck
import Testing

/// The sandbox of `ap-reconcile-demo` listens on a free port, a different one on every run; the
/// reports must not carry it, or no two demo runs would write the same bytes.
@Suite struct DemoAddressTests {
    @Test func reportsNameTheFixedDemoAddressNotTheSandboxPort() async throws {
        let run = try await runDemo()
        #expect(run.outcome.run.status == .clean)
        #expect(run.outcome.baseURL.hasPrefix("http://127.0.0.1:"))
        let report = try JSONNode.parse(Array(try #require(run.files["report.json"])))
        #expect(report["run"]?["api_base_url"] == .string("http://ap-sandbox.invalid"))
        #expect(Demo.reportedBaseURL == "http://ap-sandbox.invalid")
        // the requests really reached the sandbox through the rewritten address
        #expect(report["run"]?["requests_by_endpoint"]?["GET /payouts"] != nil)
        #expect(run.outcome.run.result?.summary.payoutCount == 14)
    }
}

import APClient
import APSandbox
import Foundation
import Logging
import ReconcileJob
import Reconciliation
import Testing

/// The fetch stage against the sandbox: exactly the requests docs/fetching.md promises.
@Suite struct FetchPlanTests {
    /// One payout whose only line names no invoice; GET /payments?customer_id=cus_1 says it pays
    /// inv_1. The same customer also has an old payment for inv_old, outside the window's scope.
    func dataset() throws -> SandboxDataset {
        let folder = try temporaryDataset(payouts: """
        [{"id":"po_1","status":"succeeded","amount":50000,"currency":"USD","created_at":"2026-11-03T09:00:00Z","lines":[
          {"id":"txn_1","status":"succeeded","amount":50000,"currency":"USD","type":"payment","direction":"inbound","customer_id":"cus_1"}]}]
        """)
        try Data("""
        [{"id":"txn_1","amount":50000,"currency":"USD","status":"succeeded","payment_method":"card","created_at":"2026-11-02T10:00:00Z","type":"payment","invoice_id":"inv_1","customer_id":"cus_1"},
         {"id":"txn_old","amount":9900,"currency":"USD","status":"succeeded","payment_method":"card","created_at":"2025-01-02T10:00:00Z","type":"payment","invoice_id":"inv_old","customer_id":"cus_1"}]
        """.utf8).write(to: folder.appendingPathComponent("transactions.json"))
        try Data("""
        [{"id":"inv_1","customer_id":"cus_1","status":"PAID","amount":50000,"currency":"USD","due_date":"2026-11-01","created_at":"2026-10-01T00:00:00Z"},
         {"id":"inv_old","customer_id":"cus_1","status":"PAID","amount":9900,"currency":"USD","due_date":"2025-01-01","created_at":"2024-12-01T00:00:00Z"}]
        """.utf8).write(to: folder.appendingPathComponent("invoices.json"))
        return try SandboxDataset.load(directory: folder)
    }

    @Test func learnsTheLinkAndFetchesOnlyWhatTheWindowLinksTo() async throws {
        let window = ReportWindow(since: Timestamp.parse("2026-11-01", allowDateOnly: true)!, until: Timestamp.parse("2026-11-08", allowDateOnly: true)!)
        let (input, routes) = try await withSandbox(dataset: try dataset()) { sandbox, client, _ in
            let fetcher = Fetcher(client: client, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), concurrency: 4)
            return (try await fetcher.fetch(window: window), sandbox.stats().requestsByRoute)
        }
        #expect(routes == [
            "POST /oauth/token": 1,
            "GET /payouts": 1,
            "GET /payouts/{id}/transactions": 1,
            "GET /payments": 1,          // ?customer_id=cus_1, to learn txn_1's link
            "GET /invoices": 1,          // PAID in the window (no candidates needed: the link was learned)
            "GET /invoices/{id}": 1,     // inv_1 only, never inv_old
        ])
        #expect(Array(input.invoices.keys) == ["inv_1"])
        let result = reconcile(input)
        #expect(result.diagnostics.isEmpty)
        #expect(result.payouts.first?.lines.first?.match == .paymentsLookup)
        #expect(result.payouts.first?.lines.first?.invoiceID == "inv_1")
    }

    /// A generated month (ap-bench's shape, small): the run makes exactly the minimum the data
    /// needs — every listing page once, every payment request once (no list endpoint), nothing
    /// per record where a listing serves — over no more connections than requests in flight.
    @Test func makesExactlyTheMinimumRequestsOverReusedConnections() async throws {
        // 12 payouts × 30 lines = 12 × (29 payments + 1 fee); 300 invoices, so 48 payments pay requests.
        let dataset = SandboxDataset.generate(seed: 3, customers: 10, invoices: 300, payouts: 12, linesPerPayout: 30)
        let start = Timestamp(epochSeconds: 1_704_067_200)
        let window = ReportWindow(since: start, until: Timestamp(epochSeconds: 1_704_067_200 + 13 * 86_400))
        let (input, stats) = try await withSandbox(dataset: dataset, pageSize: 10) { sandbox, client, _ in
            let fetcher = Fetcher(client: client, logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), concurrency: 4)
            return (try await fetcher.fetch(window: window), sandbox.stats())
        }
        #expect(stats.requestsByRoute == [
            "POST /oauth/token": 1,
            "GET /payouts": 2,                       // 12 payouts, 10 a page
            "GET /payouts/{id}/transactions": 36,    // 3 full pages per payout, no empty page after
            "GET /invoices": 30,                     // 300 PAID invoices created in the window
            "GET /payments/request/{id}": 48,        // one each, no list endpoint
        ])
        // The harness's transport keeps at most 8 transfers in flight: one connection each, reused.
        #expect(stats.connectionsAccepted <= 8)
        #expect(input.paidInvoicesInWindow.count == 300)
        #expect(input.paymentRequests.count == 48)
        let result = reconcile(input)
        #expect(result.summary.lineCount == 360)
        #expect(result.diagnostics.isEmpty)
    }
}

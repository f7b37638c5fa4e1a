@testable import APSandbox
import Testing

/// The fewest requests a dataset needs, on a dataset small enough to count by hand.
@Suite struct FewestRequestsTests {
    static func at(_ seconds: Int64) -> JSON { .string(SandboxTime.format(seconds)) }

    static func line(_ id: String, _ type: String = "payment", invoice: String? = nil, request: String? = nil, customer: String? = nil) -> JSON {
        var line: JSONObject = ["id": .string(id), "status": .string("succeeded"), "type": .string(type)]
        if let invoice { line["invoice_id"] = .string(invoice) }
        if let request { line["payment_request_id"] = .string(request) }
        if let customer { line["customer_id"] = .string(customer) }
        return .object(line)
    }

    static func invoice(_ id: String, _ status: String, _ created: Int64) -> JSONObject {
        ["id": .string(id), "status": .string(status), "created_at": at(created)]
    }

    /// Window [1000, 2000), 3 records per page.
    /// - Payouts p1 (1100: a, b, request, l4 unlinked of cus_1, fee) and p2 (1500: c, d, f) are in
    ///   the window; p3 (2500, pays z) is not.
    /// - The PAID listing [1000, 2000] holds a (1200), w1 (1300) and z (1400): 1 page.
    /// - cus_1's transactions (t9 and l4, which links e) fill 1 page; no OPEN/OVERDUE listing.
    /// - The rest R = b 900, c 800, d 100, e 950, f 880; invoices before 1000 are
    ///   d 100, h4 500, c 800, h3 820, h2 850, f 880, b 900, e 950, h1 990. Cost by cutoff:
    ///   1000 → 0 + 5; 950 → 1 + 4; 900 → 1 + 3; 880 → 2 + 2; 800 → 3 + 1; 100 → 3 + 0 = 3, the best.
    /// - PAID in scope and not paid out: w1 and z, one `invoice_id` page each.
    static let dataset = SandboxDataset(
        invoices: [
            invoice("a", "PAID", 1200), invoice("b", "PAID", 900), invoice("c", "PAID", 800), invoice("d", "PAID", 100),
            invoice("e", "PAID", 950), invoice("f", "PAID", 880), invoice("h1", "OPEN", 990), invoice("h2", "VOID", 850),
            invoice("h3", "PAID", 820), invoice("h4", "OVERDUE", 500), invoice("w1", "PAID", 1300), invoice("z", "PAID", 1400),
        ],
        transactions: [
            ["id": .string("l4"), "customer_id": .string("cus_1"), "invoice_id": .string("e")],
            ["id": .string("t9"), "customer_id": .string("cus_1")],
            ["id": .string("t10"), "customer_id": .string("cus_2")],
        ],
        payouts: [
            ["id": .string("p1"), "created_at": at(1100), "lines": .array([
                line("l1", invoice: "a"), line("l2", invoice: "b"), line("l3", request: "preq_1"),
                line("l4", customer: "cus_1"), line("l5", "fee"),
            ])],
            ["id": .string("p2"), "created_at": at(1500), "lines": .array([
                line("l6", invoice: "c"), line("l7", invoice: "d"), line("l8", invoice: "f"),
            ])],
            ["id": .string("p3"), "created_at": at(2500), "lines": .array([line("l9", invoice: "z")])],
        ])

    @Test func countsEachEndpointAndChoosesTheBestCutoff() {
        let fewest = FewestRequests(dataset: Self.dataset, since: 1000, until: 2000, pageSize: 3, concurrency: 16)
        #expect(fewest.byEndpoint == [
            "POST /oauth/token": 1, "GET /payouts": 1, "GET /payouts/{id}/transactions": 3,
            "GET /payments": 3, "GET /invoices": 4, "GET /payments/request/{id}": 1,
        ])
        #expect(fewest.cutoff == 100)
        #expect(fewest.olderListingPages == 3)
        #expect(fewest.invoicesByID == 0)
        #expect(fewest.paidListingAsOneChain == 1)
        #expect(fewest.total == 13)
    }

    @Test func aDenseHistoryMakesByIDRequestsCheaper() {
        // 30 old invoices between d (100) and the rest: listing down to 100 now costs
        // ⌈39 ÷ 3⌉ = 13 pages. 900 → 1 + 3, 880 → 2 + 2 and 800 → 3 + 1 tie at 4; the tie
        // goes to the latest cutoff, the shortest listing.
        var dataset = Self.dataset
        for i in 0..<30 { dataset.invoices.append(Self.invoice("old\(i)", "VOID", 200 + Int64(i))) }
        let fewest = FewestRequests(dataset: dataset, since: 1000, until: 2000, pageSize: 3, concurrency: 16)
        #expect(fewest.cutoff == 900)
        #expect(fewest.olderListingPages == 1)
        #expect(fewest.invoicesByID == 3)
        #expect(fewest.byEndpoint["GET /invoices"] == 2)
        #expect(fewest.byEndpoint["GET /invoices/{id}"] == 3)
        #expect(fewest.total == 14)
    }

    @Test func linkedInvoicesInsideTheWindowListingNeedNoCutoff() {
        let dataset = SandboxDataset.generate(seed: 1, customers: 5, invoices: 18, payouts: 2, linesPerPayout: 10)
        let since: Int64 = 1_704_067_200
        let fewest = FewestRequests(dataset: dataset, since: since, until: since + 3 * 86_400, pageSize: 100, concurrency: 16)
        // 2 payouts × 9 payment lines pay the 18 invoices, all created in the window.
        #expect(fewest.cutoff == nil)
        #expect(fewest.byEndpoint == ["POST /oauth/token": 1, "GET /payouts": 1, "GET /payouts/{id}/transactions": 2, "GET /invoices": 1])
    }
}

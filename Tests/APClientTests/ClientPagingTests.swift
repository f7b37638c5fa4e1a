import APClient
import APTransport
import Foundation
import Testing

@Suite struct ClientPagingTests {
    @Test func followsCursorsAcrossShapesAndSendsTheContractHeaders() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts?limit=2", json: #"{"data":[\#(Fixture.payout("po_1")),\#(Fixture.payout("po_2"))],"has_next_page":true,"end_cursor":"c1"}"#)
        t.enqueue("GET /payouts?limit=2&after=c1", json: #"{"data":[\#(Fixture.payout("po_3"))],"pagination":{"has_next_page":false,"end_cursor":null}}"#)
        let client = try Fixture.client(t, configuration: try Fixture.configuration(pageSize: 2))
        let all = try await client.payouts().collect()
        #expect(all.compactMap(\.record).map(\.id) == ["po_1", "po_2", "po_3"])
        #expect(t.targets == ["POST /oauth/token", "GET /payouts?limit=2", "GET /payouts?limit=2&after=c1"])

        let token = t.requests[0]
        #expect(token.method == .post)
        #expect(HTTPHeaders(token.headers)["Authorization"] == "Basic " + Fixture.basicBase64)
        #expect(HTTPHeaders(token.headers)["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(token.body == Data("grant_type=client_credentials".utf8))
        #expect(HTTPHeaders(t.requests[1].headers)["Authorization"] == "Bearer token-1")
        #expect(HTTPHeaders(t.requests[2].headers)["Authorization"] == "Bearer token-1")
        #expect(HTTPHeaders(t.requests[1].headers)["User-Agent"] == "ap-reconcile")

        let stats = client.statistics
        #expect(stats.requestsByEndpoint == ["GET /payouts": 2])
        #expect(stats.tokenRequests == 1)
        #expect(stats.retriesByEndpoint.isEmpty)
    }

    @Test func payoutTransactionsUnderTheTransactionsKey() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts/po_1/transactions?limit=100", json: #"{"transactions":[\#(Fixture.transaction("tx_1")),\#(Fixture.transaction("tx_2"))]}"#)
        let client = try Fixture.client(t)
        let lines = try await client.payoutTransactions(payoutID: "po_1").collect()
        #expect(lines.compactMap(\.record).map(\.id) == ["tx_1", "tx_2"])
        #expect(lines.compactMap(\.record).map(\.amount) == [Money(minorUnits: 5000, currency: try #require(Currency(code: "USD")))] + [Money(minorUnits: 5000, currency: try #require(Currency(code: "USD")))])
    }

    @Test func unreadableRecordArrivesInPlace() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts?limit=100", json: #"{"data":[\#(Fixture.payout("po_1")),{"id":"po_2","status":"paid","amount":"12abc","currency":"USD","created_at":"2024-01-10T15:00:00Z"}]}"#)
        let client = try Fixture.client(t)
        let all = try await client.payouts().collect()
        #expect(all.count == 2)
        let u = try #require(all[1].unreadableRecord)
        #expect(u.id == "po_2")
        #expect(u.endpoint == "GET /payouts")
        #expect(u.reason == #"field "amount": amount "12abc" is not a whole number of minor units"#)
        #expect(u.rawJSON == #"{"amount":"12abc","created_at":"2024-01-10T15:00:00Z","currency":"USD","id":"po_2","status":"paid"}"#)
    }

    @Test func cursorLoopStopsWithAProtocolError() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payments?limit=100", json: #"{"data":[],"has_next_page":true,"end_cursor":"c1"}"#)
        t.enqueue("GET /payments?limit=100&after=c1", json: #"{"data":[],"has_next_page":true,"end_cursor":"c1"}"#)
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.payments().collect()
        } throws: { error in
            let e = error as? APIError
            return e?.kind == .protocolViolation && e?.cursor == "c1" && e?.endpoint == "GET /payments"
        }
        #expect(t.targets.count == 3) // token + two pages, then stop
    }

    @Test func duplicateIDAcrossPagesStops() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /customers?limit=100", json: #"{"data":[{"id":"cus_1"}],"has_next_page":true,"end_cursor":"c1"}"#)
        t.enqueue("GET /customers?limit=100&after=c1", json: #"{"data":[{"id":"cus_1"}],"has_next_page":false}"#)
        let client = try Fixture.client(t)
        var seen: [String] = []
        await #expect {
            for try await c in client.customers() { seen.append(c.record?.id ?? "?") }
        } throws: { error in
            (error as? APIError)?.detail == #"record id "cus_1" arrived again after an earlier page"#
        }
        #expect(seen == ["cus_1"])
    }

    /// A record listed twice within one page is the same protocol fault as one repeated across
    /// pages, for every listing the run reads: nothing of the listing is handed on.
    @Test func duplicateIDWithinAPageStopsEveryListing() async throws {
        let t = ScriptedTransport()
        let invoice = #"{"id":"inv_1","status":"PAID","amount":"100","currency":"USD","created_at":"2024-01-10T15:00:00Z"}"#
        t.enqueue("GET /payouts?limit=100", json: #"{"data":[\#(Fixture.payout("po_1")),\#(Fixture.payout("po_2")),\#(Fixture.payout("po_1"))]}"#)
        t.enqueue("GET /payouts/po_1/transactions?limit=100", json: #"{"transactions":[\#(Fixture.transaction("tx_1")),\#(Fixture.transaction("tx_1"))]}"#)
        t.enqueue("GET /payments?limit=100", json: #"{"data":[\#(Fixture.transaction("tx_2")),\#(Fixture.transaction("tx_2"))]}"#)
        t.enqueue("GET /invoices?limit=100", json: #"{"data":[\#(invoice),\#(invoice)]}"#)
        let client = try Fixture.client(t)
        let expected: [(String, String)] = [("GET /payouts", "po_1"), ("GET /payouts/{id}/transactions", "tx_1"),
                                            ("GET /payments", "tx_2"), ("GET /invoices", "inv_1")]
        let listings: [@Sendable () async throws -> Int] = [
            { try await client.payouts().collect().count },
            { try await client.payoutTransactions(payoutID: "po_1").collect().count },
            { try await client.payments().collect().count },
            { try await client.invoices().collect().count },
        ]
        for ((endpoint, id), listing) in zip(expected, listings) {
            await #expect {
                _ = try await listing()
            } throws: { error in
                guard let e = error as? APIError else { return false }
                return e.kind == .protocolViolation && e.endpoint == endpoint && e.cursor == "(first page)"
                    && e.detail == "record id \"\(id)\" is listed twice on the same page"
            }
        }
    }

    /// Also when the repeat is an unreadable record that still has an id.
    @Test func duplicateIDWithinAPageCountsUnreadableRecords() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts?limit=100", json: #"{"data":[\#(Fixture.payout("po_1")),{"id":"po_1","amount":"x"}]}"#)
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.payouts().collect()
        } throws: { error in
            (error as? APIError)?.detail == #"record id "po_1" is listed twice on the same page"#
        }
    }

    @Test func pageCapIsEnforced() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /customers?limit=100", json: #"{"data":[],"has_next_page":true,"end_cursor":"c1"}"#)
        t.enqueue("GET /customers?limit=100&after=c1", json: #"{"data":[],"has_next_page":true,"end_cursor":"c2"}"#)
        let client = try Fixture.client(t, configuration: try Fixture.configuration(maxPages: 2))
        await #expect {
            _ = try await client.customers().collect()
        } throws: { error in
            (error as? APIError)?.detail == "the listing goes on past 2 pages, the configured cap"
        }
    }

    @Test func malformedPageNamesPathAndCursor() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /invoices?limit=100", json: #"{"data":[],"has_next_page":true,"end_cursor":"c1"}"#)
        t.enqueue("GET /invoices?limit=100&after=c1", json: #"{"data":"nope"}"#)
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.invoices().collect()
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.description == #"GET /invoices (/invoices?limit=100&after=c1): the page is malformed: "data" is a string, not an array [HTTP 200]; cursor "c1". The server broke the API contract; report it to the provider with this message."#
        }
    }

    @Test func filtersAndIDsArePercentEncoded() async throws {
        let t = ScriptedTransport()
        let start = try #require(Timestamp.parse("2024-01-01T00:00:00+02:00"))
        t.enqueue("GET /payouts?created_at_start=2023-12-31T22%3A00%3A00Z&status=in_transit&limit=100", json: #"{"data":[]}"#)
        t.enqueue("GET /payments?type=refund&invoice_id=inv%261%3Dx&customer_id=c%20d%2B%C3%A9&limit=100", json: #"{"data":[]}"#)
        t.enqueue("GET /payouts/..%2Fx", json: Fixture.payout("../x"))
        t.enqueue("GET /payouts/a%2Fb/transactions?limit=100", json: #"{"transactions":[]}"#)
        t.enqueue("GET /invoices/a%3Fb%23c", json: #"{"id":"a?b#c","status":"OPEN","amount":1,"currency":"USD"}"#)
        t.enqueue("GET /customers/%2E%2E", json: #"{"id":".."}"#)
        t.enqueue("GET /payments/request/p%25q", json: #"{"id":"p%q","amount":"5000","currency":"USD","status":"PAID"}"#)
        let client = try Fixture.client(t)
        _ = try await client.payouts(createdAtStart: start, status: .inTransit).collect()
        _ = try await client.payments(PaymentFilter(type: .refund, invoiceID: "inv&1=x", customerID: "c d+é")).collect()
        #expect(try await client.payout(id: "../x").record?.id == "../x")
        _ = try await client.payoutTransactions(payoutID: "a/b").collect()
        #expect(try await client.invoice(id: "a?b#c").record?.id == "a?b#c")
        #expect(try await client.customer(id: "..").record?.id == "..")
        #expect(try await client.paymentRequest(id: "p%q").record?.amount.minorUnits == 5000)
        #expect(t.unusedReplies.isEmpty)
        #expect(t.targets.count == 8)
    }

    @Test func emptyIDIsRefusedWithoutARequest() async throws {
        let t = ScriptedTransport()
        let client = try Fixture.client(t)
        await #expect(throws: APIError.self) { _ = try await client.payout(id: "") }
        await #expect(throws: APIError.self) { _ = try await client.payoutTransactions(payoutID: "").collect() }
        #expect(t.requests.isEmpty)
    }

    @Test func observerSeesFinalResponsesWithoutCookies() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts/po_1", .response(HTTPResponse(status: 503, headers: HTTPHeaders(), body: Data())))
        t.enqueue("GET /payouts/po_1", json: Fixture.payout("po_1"),
                  headers: [HTTPHeader("Set-Cookie", "session=abc"), HTTPHeader("X-Request-Id", "r1")])
        let seen = ObservedLog()
        let client = try Fixture.client(t, observer: { seen.append($0) })
        _ = try await client.payout(id: "po_1")
        let observed = seen.all
        #expect(observed.count == 1)
        #expect(observed.first?.pathAndQuery == "/payouts/po_1")
        #expect(observed.first?.status == 200)
        #expect(observed.first?.method == "GET")
        #expect(observed.first?.headers.entries == [HTTPHeader("X-Request-Id", "r1")])
        #expect(observed.first?.body == Data(Fixture.payout("po_1").utf8))
    }
}

import Synchronization

final class ObservedLog: Sendable {
    private let items = Mutex<[ObservedResponse]>([])
    func append(_ r: ObservedResponse) { items.withLock { $0.append(r) } }
    var all: [ObservedResponse] { items.withLock { $0 } }
}

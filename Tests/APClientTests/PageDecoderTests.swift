import APClient
import Foundation
import Testing

@Suite struct PageDecoderTests {
    let endpoint = "GET /payouts"

    func decode(_ json: String, cursor: String? = "c1") throws(APIError) -> Page<Payout> {
        try PageDecoder.decode(Payout.self, from: Data(json.utf8), endpoint: endpoint, cursor: cursor)
    }

    func decodeError(_ json: String) -> APIError? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func openAPIShape() throws {
        let page = try decode(#"{"data":[\#(Fixture.payout("po_1")),\#(Fixture.payout("po_2"))],"has_next_page":true,"has_previous_page":false,"start_cursor":"s","end_cursor":"c2"}"#)
        #expect(page.items.compactMap(\.record).map(\.id) == ["po_1", "po_2"])
        #expect(page.hasNextPage)
        #expect(page.endCursor == "c2")
    }

    @Test func guideShape() throws {
        let page = try decode(#"{"data":[\#(Fixture.payout("po_1"))],"pagination":{"has_next_page":true,"end_cursor":"c9"}}"#)
        #expect(page.items.count == 1)
        #expect(page.hasNextPage)
        #expect(page.endCursor == "c9")
        let last = try decode(#"{"data":[],"pagination":{"has_next_page":false,"end_cursor":null}}"#)
        #expect(!last.hasNextPage)
        #expect(last.endCursor == nil)
    }

    @Test func noPagingFieldsIsOneCompletePage() throws {
        let page = try decode(#"{"data":[\#(Fixture.payout("po_1"))]}"#)
        #expect(page.items.count == 1)
        #expect(!page.hasNextPage)
        #expect(page.endCursor == nil)
    }

    @Test func transactionsKeyAndDataKey() throws {
        for key in ["transactions", "data"] {
            let json = #"{"\#(key)":[\#(Fixture.transaction("tx_1"))],"has_next_page":false}"#
            let page = try PageDecoder.decode(PayoutTransaction.self, from: Data(json.utf8),
                                              endpoint: "GET /payouts/{id}/transactions", cursor: nil)
            #expect(page.items.compactMap(\.record).map(\.id) == ["tx_1"])
        }
    }

    @Test func unreadableRecordIsDeliveredInPlaceWithIDAndRawJSON() throws {
        let bad = #"{"id":"po_bad","status":"paid","amount":12.5,"currency":"USD","created_at":"2024-01-10T15:00:00Z","zeta":[1,null,true],"alpha":{"b":"x\ny","a":1}}"#
        let page = try decode(#"{"data":[\#(Fixture.payout("po_1")),\#(bad),42,\#(Fixture.payout("po_3"))]}"#)
        #expect(page.items.count == 4)
        #expect(page.items[0].record?.id == "po_1")
        #expect(page.items[3].record?.id == "po_3")
        let u = try #require(page.items[1].unreadableRecord)
        #expect(u.endpoint == "GET /payouts")
        #expect(u.id == "po_bad")
        #expect(u.reason == #"field "amount": amount "12.5" is not a whole number of minor units"#)
        #expect(u.rawJSON == #"{"alpha":{"a":1,"b":"x\ny"},"amount":12.5,"created_at":"2024-01-10T15:00:00Z","currency":"USD","id":"po_bad","status":"paid","zeta":[1,null,true]}"#)
        let n = try #require(page.items[2].unreadableRecord)
        #expect(n.id == nil)
        #expect(n.rawJSON == "42")
        #expect(n.reason == "the record is a number, not an object")
    }

    @Test func missingFieldIsNamed() throws {
        let page = try decode(#"{"data":[{"id":7,"status":"paid","currency":"USD","created_at":"2024-01-10T15:00:00Z"}]}"#)
        let u = try #require(page.items[0].unreadableRecord)
        #expect(u.id == nil) // a numeric id is not taken as the record's id
        #expect(u.reason == #"field "amount": missing"#)
    }

    @Test(arguments: [
        (#"[1,2]"#, "the page is malformed: the top level is an array, not an object"),
        (#"{"items":[]}"#, #"the page is malformed: it has no "data" (or "transactions") array"#),
        (#"{"data":{"id":"x"}}"#, #"the page is malformed: "data" is an object, not an array"#),
        (#"{"data":null}"#, #"the page is malformed: "data" is null, not an array"#),
        (#"{"data":[],"has_next_page":"yes"}"#, #"the page is malformed: "has_next_page" is a string, not a boolean"#),
        (#"{"data":[],"end_cursor":5}"#, #"the page is malformed: "end_cursor" is a number, not a string"#),
        (#"{"data":[],"pagination":[]}"#, #"the page is malformed: "pagination" is not an object"#),
        (#"{"data":[],"pagination":{"has_next_page":1}}"#, #"the page is malformed: "pagination.has_next_page" is a number, not a boolean"#),
        (#"{"data":[}"#, "the page is not valid JSON"),
    ])
    func malformedPagesAreProtocolErrors(json: String, detail: String) throws {
        let error = try #require(decodeError(json))
        #expect(error.kind == .protocolViolation)
        #expect(error.detail == detail)
        #expect(error.endpoint == "GET /payouts")
        #expect(error.cursor == "c1")
        #expect(error.exitCode == 76)
    }
}

@Suite struct CursorGuardTests {
    func fault(_ body: (inout CursorGuard) throws(APIError) -> Void) -> APIError? {
        var g = CursorGuard(endpoint: "GET /payments", maxPages: 3)
        do {
            try body(&g)
            return nil
        } catch {
            return error
        }
    }

    @Test func followsCursorsUntilTheLastPage() throws {
        var g = CursorGuard(endpoint: "GET /payments", maxPages: 10)
        #expect(try g.accept(ids: ["a"], hasNextPage: true, endCursor: "c1", requestedCursor: nil) == .next(cursor: "c1"))
        #expect(try g.accept(ids: ["b"], hasNextPage: true, endCursor: "c2", requestedCursor: "c1") == .next(cursor: "c2"))
        #expect(try g.accept(ids: ["c"], hasNextPage: false, endCursor: "c2", requestedCursor: "c2") == .done)
    }

    @Test func repeatedCursor() throws {
        let e = try #require(fault { g throws(APIError) in
            _ = try g.accept(ids: ["a"], hasNextPage: true, endCursor: "c1", requestedCursor: nil)
            _ = try g.accept(ids: ["b"], hasNextPage: true, endCursor: "c1", requestedCursor: "c1")
        })
        #expect(e.kind == .protocolViolation)
        #expect(e.endpoint == "GET /payments")
        #expect(e.cursor == "c1")
        #expect(e.detail == #"end_cursor "c1" repeats an earlier cursor, so paging would loop"#)
    }

    @Test func cursorReturningToAnOlderOneIsALoop() throws {
        let e = try #require(fault { g throws(APIError) in
            _ = try g.accept(ids: [], hasNextPage: true, endCursor: "c1", requestedCursor: nil)
            _ = try g.accept(ids: [], hasNextPage: true, endCursor: "c2", requestedCursor: "c1")
            _ = try g.accept(ids: [], hasNextPage: true, endCursor: "c1", requestedCursor: "c2")
        })
        #expect(e.cursor == "c2")
        #expect(e.detail.hasPrefix(#"end_cursor "c1" repeats"#))
    }

    @Test func hasNextPageWithoutCursor() throws {
        for cursor in [nil, ""] as [String?] {
            let e = try #require(fault { g throws(APIError) in
                _ = try g.accept(ids: ["a"], hasNextPage: true, endCursor: cursor, requestedCursor: nil)
            })
            #expect(e.detail == "the page says has_next_page but sends no end_cursor")
            #expect(e.cursor == "(first page)")
        }
    }

    @Test func sameIDOnTwoPages() throws {
        let e = try #require(fault { g throws(APIError) in
            _ = try g.accept(ids: ["a", "b"], hasNextPage: true, endCursor: "c1", requestedCursor: nil)
            _ = try g.accept(ids: ["c", "b"], hasNextPage: false, endCursor: nil, requestedCursor: "c1")
        })
        #expect(e.detail == #"record id "b" arrived again after an earlier page"#)
        #expect(e.cursor == "c1")
        #expect(e.description.contains("GET /payments"))
    }

    @Test func pageCap() throws {
        let e = try #require(fault { g throws(APIError) in
            _ = try g.accept(ids: [], hasNextPage: true, endCursor: "c1", requestedCursor: nil)
            _ = try g.accept(ids: [], hasNextPage: true, endCursor: "c2", requestedCursor: "c1")
            _ = try g.accept(ids: [], hasNextPage: true, endCursor: "c3", requestedCursor: "c2")
        })
        #expect(e.detail == "the listing goes on past 3 pages, the configured cap")
        #expect(e.cursor == "c2")
    }
}

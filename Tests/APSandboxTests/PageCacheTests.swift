@testable import APSandbox
import Foundation
import Testing

/// What the sandbox caches to serve pages fast (encoded records, sorted payout lines) and the
/// byte writers it uses instead of a JSON tree: each must give exactly the bytes the tree gives.
@Suite struct PageCacheTests {
    /// Records with the shapes datasets may hold on purpose: numbers as strings, fractions,
    /// nested objects and arrays, escapes, non-ASCII text, no created_at.
    static let records: [JSONObject] = [
        ["id": .string("txn_b"), "amount": .number("5000"), "created_at": .string("2024-01-02T00:00:00Z"),
         "meta": .object(["note": .string("tab\there \"quoted\" back\\slash"), "tags": .array([.string("é"), .null, .bool(true)])])],
        ["id": .string("txn_a"), "amount": .string("5000"), "created_at": .string("2024-01-02T00:00:00Z")],
        ["id": .string("txn_c"), "amount": .number("12.5"), "created_at": .string("2024-01-01T23:00:00-02:00"), "ctl": .string("\u{1}\u{1F}\r\n")],
        ["id": .string("txn_d"), "amount": .number("1e3")],
        ["id": .string("txn_e"), "amount": .number("-7"), "created_at": .string("2023-12-31"), "emoji": .string("💸")],
    ]

    // MARK: JSON strings

    /// The writer before runs were appended in one go, kept as the reference.
    static func referenceString(_ s: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case UInt8(ascii: "\n"): out += Array("\\n".utf8)
            case UInt8(ascii: "\r"): out += Array("\\r".utf8)
            case UInt8(ascii: "\t"): out += Array("\\t".utf8)
            case 0..<0x20: out += Array(String(format: "\\u%04x", Int(byte)).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    @Test func stringsAreEscapedAsBefore() {
        #expect(JSON.string("a\"b\\c\nd\u{1}é\u{7F}").compactString == #""a\"b\\c\nd\u0001é\#u{7F}""#)
        #expect(JSON.string("").compactString == "\"\"")
        #expect(JSON.string("\"").compactString == "\"\\\"\"")
        let everyControl = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let samples = ["", "plain", "\"", "\\", "\"\"", "end\\", "\\start", "mid\"dle", "é💸", "tab\there", "\u{7F}", everyControl,
                       everyControl + "x" + everyControl, String(repeating: "long run without escapes ", count: 20) + "\n"]
        for sample in samples {
            #expect(JSON.string(sample).serialized() == Self.referenceString(sample), "\(sample.debugDescription)")
        }
    }

    // MARK: cursors

    /// The cursor encoding before the hand-written base64url.
    static func foundationBase64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test func base64URLMatchesFoundationWithTheSwapsAndNoPadding() {
        #expect(SortKey.base64URL([]) == "")
        #expect(SortKey.base64URL(Array("f".utf8)) == "Zg")
        #expect(SortKey.base64URL(Array("fo".utf8)) == "Zm8")
        #expect(SortKey.base64URL(Array("foo".utf8)) == "Zm9v")
        #expect(SortKey.base64URL([0xFB, 0xFF, 0xBF]) == "-_-_")
        var generator = SplitMix64(seed: 5)
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(SortKey.base64URL(bytes) == Self.foundationBase64URL(bytes), "length \(length)")
        }
    }

    @Test func cursorsRoundTripAndKeepTheirFormat() throws {
        let key = SortKey(createdAt: "2024-01-10T15:00:00Z", id: "txn_0000001")
        #expect(key.cursor == "c1_" + Self.foundationBase64URL(Array(#"["2024-01-10T15:00:00Z","txn_0000001"]"#.utf8)))
        #expect(key.cursor == "c1_WyIyMDI0LTAxLTEwVDE1OjAwOjAwWiIsInR4bl8wMDAwMDAxIl0")
        let parsed = try #require(SortKey(cursor: key.cursor))
        #expect(parsed == key)
        let undated = SortKey(createdAt: nil, id: "x/y+z?")
        #expect(SortKey(cursor: undated.cursor) == undated)
    }

    // MARK: pages

    static func entries() -> [ListEntry] { records.sortedEntries() }

    @Test func entriesHoldEachRecordsBytesInListOrder() {
        let entries = Self.entries()
        #expect(entries.map { $0.record.id ?? "" } == ["txn_e", "txn_a", "txn_b", "txn_c", "txn_d"])
        #expect(entries.map(\.record) == Self.records.sortedByKey())
        for entry in entries {
            #expect(entry.bytes == JSON.object(entry.record).serialized())
            #expect(entry.key == SortKey(entry.record))
        }
        #expect(String(decoding: entries[3].bytes, as: UTF8.self)
            == #"{"id":"txn_c","amount":12.5,"created_at":"2024-01-01T23:00:00-02:00","ctl":"\u0001\u001f\r\n"}"#)
    }

    @Test(arguments: [PageShape.openapi, .guide])
    func pageBytesEqualTheFreshlyEncodedTree(shape: PageShape) {
        let entries = Self.entries()
        var pages: [PageRendering] = []
        for limit in [1, 2, 5, 10] {
            for after in [nil] + entries.map(\.key) {
                let request = PageRequest(limit: limit, after: after)
                for key in ["data", "transactions"] {
                    pages.append(PageRendering(slice: PageSlice.cut(entries, key: \.key, request), shape: shape, guideArrayKey: key))
                }
            }
        }
        let backwards = PageRequest(limit: 2, before: entries[3].key)
        pages.append(PageRendering(slice: PageSlice.cut(entries, key: \.key, backwards), shape: shape, guideArrayKey: "data"))
        // What the protocol faults do to a page: no end cursor, a repeated cursor, a duplicate first item.
        var withoutCursor = pages[0]
        withoutCursor.hasNext = true
        withoutCursor.endCursor = nil
        var endWithoutCursor = pages[0]
        endWithoutCursor.hasNext = false
        endWithoutCursor.endCursor = nil
        var repeated = pages[3]
        repeated.endCursor = "c1_repeated"
        var duplicated = pages[5]
        duplicated.items.insert(entries[0], at: 0)
        pages += [withoutCursor, endWithoutCursor, repeated, duplicated]

        #expect(pages.contains { $0.items.isEmpty })
        #expect(pages.contains { $0.hasNext } && pages.contains { !$0.hasNext })
        #expect(pages.contains { $0.hasPrevious } && pages.contains { !$0.hasPrevious })
        for page in pages {
            #expect(page.bytes == page.json.serialized(), "\(String(decoding: page.bytes, as: UTF8.self))")
            #expect(page.bareArrayBytes == JSON.array(page.items.map { .object($0.record) }).serialized())
        }
        let first = String(decoding: pages[0].bytes, as: UTF8.self)
        let cursor = entries[0].key.cursor
        switch shape {
        case .openapi:
            #expect(first == #"{"data":["# + String(decoding: entries[0].bytes, as: UTF8.self)
                + #"],"has_next_page":true,"has_previous_page":false,"start_cursor":""# + cursor + #"","end_cursor":""# + cursor + #""}"#)
        default:
            #expect(first == #"{"data":["# + String(decoding: entries[0].bytes, as: UTF8.self)
                + #"],"pagination":{"has_next_page":true,"end_cursor":""# + cursor + #""}}"#)
        }
    }

    // MARK: the payout-lines cache

    static func payout(_ id: String, lines: [JSONObject]) -> JSONObject {
        ["id": .string(id), "status": .string("succeeded"), "created_at": .string("2024-01-05T00:00:00Z"),
         "lines": .array(lines.map(JSON.object) + [.string("not an object")])]
    }

    @Test func nestedEntriesAreSortedEncodedAndKeptUntilTheirRecordIsWritten() throws {
        var table = RecordTable([Self.payout("pout_1", lines: Self.records), Self.payout("pout_2", lines: Array(Self.records.prefix(2)))])
        let missing = table.nestedEntries(id: "pout_x", key: "lines")
        #expect(missing == nil)
        #expect(!table.hasCachedNestedEntries(id: "pout_1", key: "lines"))

        let firstLookup = table.nestedEntries(id: "pout_1", key: "lines")
        let first = try #require(firstLookup)
        #expect(first.map { $0.record.id ?? "" } == ["txn_e", "txn_a", "txn_b", "txn_c", "txn_d"])
        #expect(first.map(\.bytes) == Self.records.sortedByKey().map { JSON.object($0).serialized() })
        #expect(table.hasCachedNestedEntries(id: "pout_1", key: "lines"))
        let other = table.nestedEntries(id: "pout_2", key: "lines")
        #expect(other?.count == 2)
        #expect(table.hasCachedNestedEntries(id: "pout_2", key: "lines"))

        // A write to pout_1 drops its entries (and only its): the next request encodes the new lines.
        var changed = Self.records
        changed[0]["amount"] = .number("6000")
        changed.append(["id": .string("txn_f"), "amount": .number("1"), "created_at": .string("2020-01-01T00:00:00Z")])
        table["pout_1"] = Self.payout("pout_1", lines: changed)
        #expect(!table.hasCachedNestedEntries(id: "pout_1", key: "lines"))
        #expect(table.hasCachedNestedEntries(id: "pout_2", key: "lines"))
        let secondLookup = table.nestedEntries(id: "pout_1", key: "lines")
        let second = try #require(secondLookup)
        #expect(second.map { $0.record.id ?? "" } == ["txn_f", "txn_e", "txn_a", "txn_b", "txn_c", "txn_d"])
        #expect(second.map(\.bytes) == changed.sortedByKey().map { JSON.object($0).serialized() })
        #expect(String(decoding: second[3].bytes, as: UTF8.self).hasPrefix(#"{"id":"txn_b","amount":6000,"#))

        table["pout_2"] = nil
        let removed = table.nestedEntries(id: "pout_2", key: "lines")
        #expect(removed == nil)
        #expect(!table.hasCachedNestedEntries(id: "pout_2", key: "lines"))
    }

    /// Over HTTP: every page of a payout's lines, first request (encoded) and again (from the
    /// cache), is byte for byte the page built from the dataset's lines without the cache.
    @Test(arguments: [PageShape.openapi, .guide])
    func payoutLinePagesOverHTTPEqualTheTreeBuiltFromTheDataset(shape: PageShape) async throws {
        let dataset = SandboxDataset.generate(seed: 9, customers: 3, invoices: 10, payouts: 2, linesPerPayout: 7)
        let sandbox = try await SandboxHarness.start(SandboxConfiguration(port: 0, pageShape: shape, environment: [:]), dataset: dataset)
        let payout = try #require(dataset.payouts.first { $0.id == "pout_00002" })
        let lines = (payout["lines"]?.arrayValue ?? []).compactMap(\.objectValue).sortedByKey()
        #expect(lines.count == 7)
        var after: String?
        var pages = 0
        repeat {
            let path = "/payouts/pout_00002/transactions?limit=3" + (after.map { "&after=\($0)" } ?? "")
            let first = try await sandbox.get(path)
            let again = try await sandbox.get(path)
            let request = PageRequest(limit: 3, after: after.flatMap(SortKey.init(cursor:)))
            let slice = PageSlice.cut(lines, key: { SortKey($0) }, request).map(ListEntry.init)
            let expected = PageRendering(slice: slice, shape: shape, guideArrayKey: "transactions").json.serialized()
            #expect(first.status == 200)
            #expect(first.body == expected)
            #expect(again.body == expected)
            pages += 1
            after = slice.hasNext ? slice.items.last?.key.cursor : nil
        } while after != nil && pages < 5
        #expect(pages == 3)
        #expect(try await sandbox.get("/payouts/pout_nope/transactions").status == 404)
        await sandbox.stop()
    }
}

import Foundation

/// Where a record sits in list order: by created_at, then id; records without a readable
/// created_at come after all others, by id.
struct SortKey: Comparable, Sendable {
    let createdAt: String?
    let id: String
    /// Parsed once: comparisons run O(n log n) times per list request. Nil when unreadable.
    let seconds: Int64?

    init(createdAt: String?, id: String) {
        self.createdAt = createdAt
        self.id = id
        self.seconds = createdAt.flatMap { SandboxTime.parse($0) }
    }

    init(_ record: JSONObject) {
        self.init(createdAt: record.string("created_at"), id: record.id ?? "")
    }

    static func == (lhs: SortKey, rhs: SortKey) -> Bool { lhs.createdAt == rhs.createdAt && lhs.id == rhs.id }

    static func < (lhs: SortKey, rhs: SortKey) -> Bool {
        switch (lhs.seconds, rhs.seconds) {
        case let (l?, r?):
            if l != r { return l < r }
            if lhs.createdAt != rhs.createdAt { return (lhs.createdAt ?? "") < (rhs.createdAt ?? "") }
            return lhs.id < rhs.id
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return lhs.id < rhs.id
        }
    }

    /// Opaque cursor: "c1_" + base64url (no padding) of the key as a JSON array. Carrying the key
    /// (not a position) keeps paging stable while records are added or archived between pages.
    var cursor: String {
        let json = JSON.array([createdAt.map(JSON.string) ?? .null, .string(id)])
        return "c1_" + Self.base64URL(json.serialized())
    }

    private static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// RFC 4648 §5 without padding: what Foundation's base64 gives after swapping "+/" for
    /// "-_" and dropping "=", without three `replacingOccurrences` passes per cursor.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = base64URLAlphabet
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let n = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            if rest == 2 { out.append(alphabet[Int(n >> 6 & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    init?(cursor: String) {
        guard cursor.hasPrefix("c1_") else { return nil }
        var base64 = String(cursor.dropFirst(3))
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let json = try? JSON.parse(data),
              case .array(let parts) = json, parts.count == 2,
              case .string(let id) = parts[1] else { return nil }
        switch parts[0] {
        case .null: self.init(createdAt: nil, id: id)
        case .string(let createdAt): self.init(createdAt: createdAt, id: id)
        default: return nil
        }
    }
}

/// The paging parameters of one list request, already validated.
struct PageRequest: Sendable {
    var limit: Int
    var after: SortKey?
    var before: SortKey?
    /// The raw `after` value, echoed back by the repeat-cursor fault.
    var afterCursor: String?

    static func parse(query: [String: String], defaultLimit: Int, maxLimit: Int) throws(APIError) -> PageRequest {
        var limit = defaultLimit
        if let text = query["limit"] {
            guard let value = Int(text), value >= 1 else {
                throw APIError.badRequest("limit must be a whole number from 1 to \(maxLimit)", [("limit", "must be a whole number from 1 to \(maxLimit)")])
            }
            // Larger limits are clamped rather than refused, as many APIs do.
            limit = min(value, maxLimit)
        }
        var request = PageRequest(limit: limit)
        for name in ["after", "before"] {
            guard let text = query[name], !text.isEmpty else { continue }
            guard let key = SortKey(cursor: text) else {
                throw APIError(status: 400, code: "invalid_cursor", message: "\(name) cursor is not one this server issued; start again without it",
                               validationErrors: [(name, "unknown cursor")])
            }
            if name == "after" { request.after = key; request.afterCursor = text } else { request.before = key }
        }
        return request
    }
}

/// A record in list order with its wire bytes (`JSON.object(record).serialized()`), encoded
/// once and kept for as long as the list it belongs to is cached: a page is then the
/// concatenation of its entries' bytes instead of a re-encoding of every record on it.
struct ListEntry: Sendable {
    let record: JSONObject
    let key: SortKey
    let bytes: [UInt8]

    init(_ record: JSONObject) {
        self.record = record
        self.key = SortKey(record)
        self.bytes = JSON.object(record).serialized()
    }
}

extension Sequence<JSONObject> {
    /// Entries in list order (`SortKey`), each key computed and each record encoded once.
    func sortedEntries() -> [ListEntry] {
        map(ListEntry.init).sorted { $0.key < $1.key }
    }
}

/// One page cut from a sorted list.
struct PageSlice<Item: Sendable>: Sendable {
    var items: [Item]
    var hasNext: Bool
    var hasPrevious: Bool

    /// `records` must already be in `SortKey` order; `key` gives an item's key.
    static func cut(_ records: [Item], key: (Item) -> SortKey, _ request: PageRequest) -> PageSlice {
        var lower = 0
        var upper = records.count
        if let after = request.after { lower = firstIndex(in: records, key: key) { $0 > after } }
        if let before = request.before { upper = firstIndex(in: records, key: key) { $0 >= before } }
        guard lower < upper else {
            return PageSlice(items: [], hasNext: upper < records.count, hasPrevious: lower > 0)
        }
        if request.before != nil, request.after == nil {
            // Backwards: the `limit` records just before the cursor.
            let start = max(lower, upper - request.limit)
            return PageSlice(items: Array(records[start..<upper]), hasNext: upper < records.count, hasPrevious: start > 0)
        }
        let end = min(upper, lower + request.limit)
        return PageSlice(items: Array(records[lower..<end]), hasNext: end < records.count, hasPrevious: lower > 0)
    }

    func map<T>(_ transform: (Item) -> T) -> PageSlice<T> {
        PageSlice<T>(items: items.map(transform), hasNext: hasNext, hasPrevious: hasPrevious)
    }
}

/// Binary search: the first index whose key satisfies `predicate` (monotone over the
/// sorted records), or `records.count`. Keys are computed O(log n) times, not n.
private func firstIndex<Item>(in records: [Item], key: (Item) -> SortKey, where predicate: (SortKey) -> Bool) -> Int {
    var low = 0
    var high = records.count
    while low < high {
        let mid = (low + high) / 2
        if predicate(key(records[mid])) { high = mid } else { low = mid + 1 }
    }
    return low
}

/// How one page is written, after any protocol fault has been applied.
struct PageRendering {
    var shape: PageShape
    /// Array key in guide shape ("data", or "transactions" for payout lines).
    var guideArrayKey: String
    var items: [ListEntry]
    var hasNext: Bool
    var hasPrevious: Bool
    var startCursor: String?
    var endCursor: String?

    init(slice: PageSlice<ListEntry>, shape: PageShape, guideArrayKey: String) {
        self.shape = shape
        self.guideArrayKey = guideArrayKey
        self.items = slice.items
        self.hasNext = slice.hasNext
        self.hasPrevious = slice.hasPrevious
        self.startCursor = slice.items.first?.key.cursor
        self.endCursor = slice.items.last?.key.cursor
    }

    /// The page as a JSON tree, every record encoded afresh: the reference `bytes` must equal.
    var json: JSON {
        let data = JSON.array(items.map { .object($0.record) })
        switch shape {
        case .guide, .alternating:
            let pagination: JSONObject = ["has_next_page": .bool(hasNext), "end_cursor": endCursor.map(JSON.string) ?? .null]
            return .object([guideArrayKey: data, "pagination": .object(pagination)])
        case .openapi:
            var object: JSONObject = ["data": data, "has_next_page": .bool(hasNext), "has_previous_page": .bool(hasPrevious)]
            object["start_cursor"] = .string(startCursor ?? "")
            // hasNextWithoutCursor removes the end cursor entirely.
            if let endCursor { object["end_cursor"] = .string(endCursor) } else if !hasNext { object["end_cursor"] = .string("") }
            return .object(object)
        }
    }

    /// `json.serialized()`, written from the entries' stored bytes (PagingCacheTests hold the two equal).
    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(200) { $0 + $1.bytes.count + 1 })
        switch shape {
        case .guide, .alternating:
            out.append(UInt8(ascii: "{"))
            JSON.writeString(guideArrayKey, to: &out)
            out.append(UInt8(ascii: ":"))
            appendItems(to: &out)
            out.append(contentsOf: #","pagination":{"has_next_page":"#.utf8)
            out.append(contentsOf: (hasNext ? "true" : "false").utf8)
            out.append(contentsOf: #","end_cursor":"#.utf8)
            if let endCursor { JSON.writeString(endCursor, to: &out) } else { out.append(contentsOf: "null".utf8) }
            out.append(contentsOf: "}}".utf8)
        case .openapi:
            out.append(contentsOf: #"{"data":"#.utf8)
            appendItems(to: &out)
            out.append(contentsOf: #","has_next_page":"#.utf8)
            out.append(contentsOf: (hasNext ? "true" : "false").utf8)
            out.append(contentsOf: #","has_previous_page":"#.utf8)
            out.append(contentsOf: (hasPrevious ? "true" : "false").utf8)
            out.append(contentsOf: #","start_cursor":"#.utf8)
            JSON.writeString(startCursor ?? "", to: &out)
            if let endCursor {
                out.append(contentsOf: #","end_cursor":"#.utf8)
                JSON.writeString(endCursor, to: &out)
            } else if !hasNext {
                out.append(contentsOf: ",\"end_cursor\":\"\"".utf8)
            }
            out.append(UInt8(ascii: "}"))
        }
        return out
    }

    /// The records as a bare JSON array (the guide's shape for customer users).
    var bareArrayBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(2) { $0 + $1.bytes.count + 1 })
        appendItems(to: &out)
        return out
    }

    private func appendItems(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: item.bytes)
        }
        out.append(UInt8(ascii: "]"))
    }
}

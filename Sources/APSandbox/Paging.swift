import Foundation

/// Where a record sits in list order: by created_at, then id; records without a readable
/// created_at come after all others, by id.
struct SortKey: Comparable, Sendable {
    let createdAt: String?
    let id: String
    /// Parsed once: comparisons run O(n log n) times per list request.
    private let seconds: Int64?

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

    /// Opaque cursor: "c1_" + base64url of the key as a JSON array. Carrying the key (not a
    /// position) keeps paging stable while records are added or archived between pages.
    var cursor: String {
        let json = JSON.array([createdAt.map(JSON.string) ?? .null, .string(id)])
        let base64 = Data(json.serialized()).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "c1_" + base64
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

/// One page cut from a sorted list.
struct PageSlice: Sendable {
    var items: [JSONObject]
    var hasNext: Bool
    var hasPrevious: Bool

    /// `records` must already be in `SortKey` order.
    static func cut(_ records: [JSONObject], _ request: PageRequest) -> PageSlice {
        var lower = 0
        var upper = records.count
        if let after = request.after { lower = firstIndex(in: records) { $0 > after } }
        if let before = request.before { upper = firstIndex(in: records) { $0 >= before } }
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
}

/// Binary search: the first index whose key satisfies `predicate` (monotone over the
/// sorted records), or `records.count`. Keys are computed O(log n) times, not n.
private func firstIndex(in records: [JSONObject], where predicate: (SortKey) -> Bool) -> Int {
    var low = 0
    var high = records.count
    while low < high {
        let mid = (low + high) / 2
        if predicate(SortKey(records[mid])) { high = mid } else { low = mid + 1 }
    }
    return low
}

/// How one page is written, after any protocol fault has been applied.
struct PageRendering {
    var shape: PageShape
    /// Array key in guide shape ("data", or "transactions" for payout lines).
    var guideArrayKey: String
    var items: [JSONObject]
    var hasNext: Bool
    var hasPrevious: Bool
    var startCursor: String?
    var endCursor: String?

    init(slice: PageSlice, shape: PageShape, guideArrayKey: String) {
        self.shape = shape
        self.guideArrayKey = guideArrayKey
        self.items = slice.items
        self.hasNext = slice.hasNext
        self.hasPrevious = slice.hasPrevious
        self.startCursor = slice.items.first.map { SortKey($0).cursor }
        self.endCursor = slice.items.last.map { SortKey($0).cursor }
    }

    var json: JSON {
        let data = JSON.array(items.map(JSON.object))
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
}

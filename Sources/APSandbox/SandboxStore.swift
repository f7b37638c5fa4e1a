import Foundation

/// The parts of a request a handler needs, already split out by the responder.
struct APIInput: Sendable {
    /// Path parameters in order ({id}, then {method_id}).
    var params: [String] = []
    var query: [String: String] = [:]
    var body: JSON?

    func param(_ index: Int) -> String { index < params.count ? params[index] : "" }

    /// The JSON object body of a POST/PATCH, or 400.
    func objectBody() throws(APIError) -> JSONObject {
        guard let body else { throw APIError.badRequest("the request body must be a JSON object") }
        guard case .object(let object) = body else { throw APIError.badRequest("the request body must be a JSON object") }
        return object
    }
}

/// What a handler answers; lists are paged and shaped by the responder.
enum Reply: Sendable {
    case json(status: Int, JSON)
    /// A complete filtered list in `SortKey` order.
    case list([JSONObject], guideArrayKey: String, guideBareArray: Bool = false)
    /// A complete list in `SortKey` order whose records are already encoded (a cached list).
    case entries([ListEntry], guideArrayKey: String)
    /// `{"data":[...]}` with no paging fields (payment methods).
    case unpaged([JSONObject])
}

extension Sequence<JSONObject> {
    /// List order (`SortKey`), computing each record's key once.
    func sortedByKey() -> [JSONObject] {
        map { (SortKey($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// Records by id, with the list order cached until the next change.
struct RecordTable: Sendable {
    private(set) var byID: [String: JSONObject] = [:]
    private var ordered: [JSONObject]?
    /// `SortKey.seconds` of each record of `ordered`, in the same order.
    private var orderedSeconds: [Int64?] = []
    /// Filtered lists by the query that filtered them (paging parameters excluded), until the
    /// next change: a client walking a cursor chain asks the same filter once per page, and
    /// filtering every record per page made a long listing quadratic (docs/performance.md).
    private var filtered: [String: [JSONObject]] = [:]
    /// Lists nested in a record (a payout's lines), sorted and encoded, by record id and key,
    /// until that record changes: a page of them is then its entries' stored bytes, not a
    /// sort and an encoding of every line per request (docs/performance.md, "The sandbox").
    private var nested: [String: [String: [ListEntry]]] = [:]

    init(_ records: [JSONObject]) {
        for record in records { if let id = record.id { byID[id] = record } }
        // Sorted now, while the server starts: the first listing of a large dataset (the
        // benchmark's 300,000-invoice history) then does not sort under the actor while every
        // client's request waits for it.
        _ = orderedRecords()
    }

    subscript(id: String) -> JSONObject? {
        get { byID[id] }
        set {
            byID[id] = newValue
            ordered = nil
            orderedSeconds = []
            filtered = [:]
            nested[id] = nil
        }
    }

    /// The objects of the array under `key` in record `id`, as entries in list order (elements
    /// that are not objects are left out), kept until record `id` is written; nil without
    /// such a record.
    mutating func nestedEntries(id: String, key: String) -> [ListEntry]? {
        guard let record = byID[id] else { return nil }
        if let hit = nested[id]?[key] { return hit }
        let entries = (record[key]?.arrayValue ?? []).compactMap(\.objectValue).sortedEntries()
        nested[id, default: [:]][key] = entries
        return entries
    }

    /// Whether `nestedEntries(id:key:)` would answer from the cache (for tests).
    func hasCachedNestedEntries(id: String, key: String) -> Bool { nested[id]?[key] != nil }

    /// The records that pass `include`, in list order.
    mutating func sorted(where include: (JSONObject) -> Bool = { _ in true }) -> [JSONObject] {
        orderedRecords().filter(include)
    }

    private mutating func orderedRecords() -> [JSONObject] {
        if let ordered { return ordered }
        let keyed = byID.values.map { (SortKey($0), $0) }.sorted { $0.0 < $1.0 }
        let records = keyed.map(\.1)
        ordered = records
        orderedSeconds = keyed.map(\.0.seconds)
        return records
    }

    /// `sorted(query:where:)` for a list also filtered by a `created_at` window, read as
    /// `SandboxStore.inWindow` reads it (ends inclusive; an unreadable created_at is outside any
    /// window that is set). List order is by created_at first, so the window is a slice found
    /// by binary search and `include` (the other filters) runs over that slice only: a client
    /// cutting a long listing into many windows does not make each one scan every record.
    mutating func sorted(query: [String: String], createdAt window: (Int64?, Int64?),
                         where include: (JSONObject) -> Bool) -> [JSONObject] {
        let key = Self.filterKey(query)
        if let hit = filtered[key] { return hit }
        let all = orderedRecords()
        let seconds = orderedSeconds
        var range = all.indices
        if window.0 != nil || window.1 != nil {
            // Readable created_at first, ascending; the unreadable ones after them.
            let readable = Self.firstIndex(in: 0..<seconds.count) { seconds[$0] == nil }
            let lower = window.0.map { start in Self.firstIndex(in: 0..<readable) { (seconds[$0] ?? .max) >= start } } ?? 0
            let upper = window.1.map { end in Self.firstIndex(in: 0..<readable) { (seconds[$0] ?? .max) > end } } ?? readable
            range = lower..<max(lower, upper)
        }
        let records = all[range].filter(include)
        // A bound on distinct filters kept, so a client varying filters cannot grow it forever.
        if filtered.count >= 64 { filtered = [:] }
        filtered[key] = records
        return records
    }

    /// The first index of `range` where `isAfter` holds, for a predicate false then true over it.
    private static func firstIndex(in range: Range<Int>, _ isAfter: (Int) -> Bool) -> Int {
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let mid = low + (high - low) / 2
            if isAfter(mid) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// `sorted(where:)`, remembered under `query`'s filter (every parameter but the paging ones)
    /// until the next change. `include` must depend on nothing but that filter.
    mutating func sorted(query: [String: String], where include: (JSONObject) -> Bool) -> [JSONObject] {
        sorted(query: query, createdAt: (nil, nil), where: include)
    }

    /// A query's filter: every parameter but the paging ones, in a stable order.
    private static func filterKey(_ query: [String: String]) -> String {
        query.filter { !pagingParameters.contains($0.key) }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
    }

    static let pagingParameters: Set<String> = ["limit", "after", "before"]

    var count: Int { byID.count }
}

/// The in-memory state of the API. Every route handler runs on this actor, so a
/// handler sees and changes records atomically.
actor SandboxStore {
    var customers: RecordTable
    var invoices: RecordTable
    var paymentRequests: RecordTable
    var transactions: RecordTable
    var payouts: RecordTable
    private var counters: [String: Int] = [:]
    /// Stamp for records created through the API; injectable so tests can pin it.
    let now: @Sendable () -> Int64

    init(dataset: SandboxDataset, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        customers = RecordTable(dataset.customers)
        invoices = RecordTable(dataset.invoices)
        paymentRequests = RecordTable(dataset.paymentRequests)
        transactions = RecordTable(dataset.transactions)
        payouts = RecordTable(dataset.payouts)
        self.now = now
    }

    var nowString: String { SandboxTime.format(now()) }

    /// "inv_sbx_000001", … skipping ids the dataset already uses.
    func newID(_ prefix: String, unusedIn table: RecordTable) -> String {
        while true {
            let n = counters[prefix, default: 0] + 1
            counters[prefix] = n
            let digits = String(n)
            let id = "\(prefix)_sbx_" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
            if table[id] == nil { return id }
        }
    }

    // MARK: shared helpers

    /// Parses `<name>_start` / `<name>_end` as an inclusive window; a plain date as an end
    /// means the whole of that day.
    static func window(_ query: [String: String], _ name: String) throws(APIError) -> (Int64?, Int64?) {
        var bounds: (Int64?, Int64?) = (nil, nil)
        for (suffix, isEnd) in [("_start", false), ("_end", true)] {
            let key = name + suffix
            guard let text = query[key], !text.isEmpty else { continue }
            guard let seconds = SandboxTime.parse(text, endOfDay: isEnd) else {
                throw APIError.badRequest("\(key) must be an RFC 3339 timestamp or a YYYY-MM-DD date", [(key, "not an RFC 3339 timestamp or YYYY-MM-DD date")])
            }
            if isEnd { bounds.1 = seconds } else { bounds.0 = seconds }
        }
        return bounds
    }

    /// A record with no readable value is outside any window that is set.
    static func inWindow(_ value: String?, _ window: (Int64?, Int64?)) -> Bool {
        if window.0 == nil, window.1 == nil { return true }
        guard let value, let seconds = SandboxTime.parse(value) else { return false }
        if let start = window.0, seconds < start { return false }
        if let end = window.1, seconds > end { return false }
        return true
    }

    static func equalsIgnoringCase(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return false }
        return a.caseInsensitiveCompare(b) == .orderedSame
    }

    static func isArchived(_ record: JSONObject) -> Bool { record["archived"] == .bool(true) }

    /// A 3-letter upper-case ISO 4217-looking code.
    static func isCurrencyCode(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }
}

import APModels

/// Turns every unreadable record into exactly one RECORD_UNREADABLE, however many inputs
/// carry it: the same endpoint, id and raw JSON is the same record.
struct UnreadableCollector: Sendable {
    private struct Key: Hashable {
        var endpoint: String
        var id: String?
        var rawJSON: String
    }

    private var seen = Set<Key>()
    private(set) var diagnostics: [Diagnostic] = []

    mutating func report(_ record: UnreadableRecord, source: RecordSource, payoutID: String? = nil) {
        guard seen.insert(Key(endpoint: record.endpoint, id: record.id, rawJSON: record.rawJSON)).inserted else { return }
        diagnostics.append(Diagnose.recordUnreadable(record, source: source, payoutID: payoutID))
    }

    mutating func report<T>(_ fetched: Fetched<T>, source: RecordSource, payoutID: String? = nil) {
        if case .unreadable(let record) = fetched { report(record, source: source, payoutID: payoutID) }
    }
}

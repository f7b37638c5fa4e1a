/// A JSON value whose objects keep the order their members were written in. report.json
/// and manifest.json are built from it so that key order is fixed by the code, never by a
/// dictionary's hashing.
public indirect enum ReportJSON: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([ReportJSON])
    /// Members in output order. Keys are expected to be unique; the writer does not check.
    case object([(String, ReportJSON)])

    public static func int(_ value: Int) -> ReportJSON { .int(Int64(value)) }

    /// `.string`, or `.null` when nil.
    public static func string(_ value: String?) -> ReportJSON {
        value.map { ReportJSON.string($0) } ?? .null
    }

    /// `.int`, or `.null` when nil.
    public static func int(_ value: Int64?) -> ReportJSON {
        value.map { ReportJSON.int($0) } ?? .null
    }

    /// An object of counts with keys in byte order (the documented order of every map in the reports).
    public static func counts(_ map: [String: Int]) -> ReportJSON {
        .object(map.sortedByKey().map { ($0.key, .int($0.value)) })
    }
}

extension Dictionary where Key == String {
    /// Entries sorted by the UTF-8 bytes of their keys: one order on every platform.
    func sortedByKey() -> [(key: String, value: Value)] {
        sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}

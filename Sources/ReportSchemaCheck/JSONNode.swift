import Foundation

/// A parsed JSON value, decoded by Foundation's JSONDecoder: an independent reader of what
/// `JSONWriter` wrote, used to check the bytes are valid JSON and to validate them.
public indirect enum JSONNode: Decodable, Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONNode].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONNode].self)) }
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONNode {
        try JSONDecoder().decode(JSONNode.self, from: Data(bytes))
    }

    public subscript(key: String) -> JSONNode? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public subscript(index: Int) -> JSONNode? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): "\"\(s)\""
        case .array(let a): "[\(a.map(\.description).joined(separator: ","))]"
        case .object(let o): "{\(o.keys.sorted().map { "\($0):\(o[$0]?.description ?? "")" }.joined(separator: ","))}"
        }
    }
}

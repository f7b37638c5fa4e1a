/// A JSON value that keeps what the sandbox was given: object keys stay in their
/// original order and numbers keep their literal text (`12.5`, `5000`, `1e3`), so a
/// dataset's odd shapes are served byte-for-byte as written rather than normalised.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal text, already validated against the JSON grammar.
    case number(String)
    case string(String)
    case array([JSON])
    case object(JSONObject)

    public static func integer(_ value: Int64) -> JSON { .number(String(value)) }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// An amount in minor units: a JSON integer or a string of digits (as the guide's
    /// payment-request example sends). Fractions, letters and overflow give nil.
    public var minorUnits: Int64? {
        switch self {
        case .number(let text): return Int64(text)
        case .string(let text):
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int64(text)
        default: return nil
        }
    }

    /// A positive whole count (line item quantity): integer literal or digit string.
    public var integerValue: Int64? { minorUnits }
}

/// One key/value pair of a JSON object.
public struct JSONField: Sendable, Equatable {
    public var key: String
    public var value: JSON
    public init(_ key: String, _ value: JSON) {
        self.key = key
        self.value = value
    }
}

/// A JSON object that preserves key order. Lookups are linear: API records are small.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [JSONField]

    public init(_ fields: [JSONField] = []) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.fields = []
        for (key, value) in elements { self[key] = value }
    }

    public var keys: [String] { fields.map(\.key) }

    /// Setting nil removes the key; setting an existing key keeps its position.
    public subscript(_ key: String) -> JSON? {
        get { fields.first { $0.key == key }?.value }
        set {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append(JSONField(key, newValue))
            }
        }
    }

    public func string(_ key: String) -> String? { self[key]?.stringValue }

    /// The record's `id` when it is a string.
    public var id: String? { string("id") }

    public func removing(_ keys: Set<String>) -> JSONObject {
        JSONObject(fields.filter { !keys.contains($0.key) })
    }
}

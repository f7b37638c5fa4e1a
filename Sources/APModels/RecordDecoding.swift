import Foundation

/// Why one record from the API could not be used. The message names the field.
/// Both parts may quote the API (a field path, a value), so both are made one safe line of
/// bounded length (`DisplayText`) here, where the error is made.
public struct RecordError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var problem: String
    public init(field: String, problem: String) {
        self.field = DisplayText.sanitize(field, limit: DisplayText.identifierLimit)
        self.problem = DisplayText.sanitize(problem, limit: Self.problemLimit)
    }

    /// Our sentence with a quoted value of at most 40 characters fits with room to spare.
    static let problemLimit = 300

    public var description: String { "field \"\(field)\": \(problem)" }
}

/// Coding key for any field name; records decode by name so unknown fields are ignored.
struct Field: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

typealias Fields = KeyedDecodingContainer<Field>

extension KeyedDecodingContainer where Key == Field {
    /// A required non-empty string.
    func requiredString(_ name: String) throws -> String {
        guard let s = try optionalString(name), !s.isEmpty else {
            throw RecordError(field: name, problem: "missing")
        }
        return s
    }

    /// A string, or nil when absent or null. A number is accepted and kept as its text.
    func optionalString(_ name: String) throws -> String? {
        let key = Field(name)
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let s = try? decode(String.self, forKey: key) { return s }
        if let n = try? decode(Int64.self, forKey: key) { return String(n) }
        throw RecordError(field: name, problem: "not a string")
    }

    /// A required amount in minor units: a JSON integer or a string of digits.
    func amount(_ name: String) throws -> Int64 {
        let key = Field(name)
        guard contains(key), try !decodeNil(forKey: key) else {
            throw RecordError(field: name, problem: "missing")
        }
        return try Self.amount(in: self, key: key, name: name)
    }

    /// An optional amount; present but unusable is still an error.
    func optionalAmount(_ name: String) throws -> Int64? {
        let key = Field(name)
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try Self.amount(in: self, key: key, name: name)
    }

    // JSONDecoder (swift-foundation) decodes Int64 from the number's text, exactly: 150000,
    // 150000.0 and 1.5e2 give whole values, while 12.5, 1e30 and 9223372036854775808 fail
    // instead of rounding. So a whole number in any JSON notation is accepted (its value is
    // unambiguous); on failure Decimal only classifies the problem for the message.
    // Double is never involved: it would silently round 9007199254740993.
    private static func amount(in c: Self, key: Field, name: String) throws -> Int64 {
        if let v = try? c.decode(Int64.self, forKey: key) { return v }
        if let s = try? c.decode(String.self, forKey: key) {
            switch AmountParser.parse(digits: s) {
            case .success(let v): return v
            case .failure(let e): throw RecordError(field: name, problem: e.description)
            }
        }
        if let d = try? c.decode(Decimal.self, forKey: key) {
            var rounded = Decimal()
            var copy = d
            NSDecimalRound(&rounded, &copy, 0, .plain)
            let text = AmountParser.quoted("\(d)")
            if rounded == d { throw RecordError(field: name, problem: AmountError.outOfRange(text).description) }
            throw RecordError(field: name, problem: AmountError.notAnInteger(text).description)
        }
        let kind = (try? c.decode(Bool.self, forKey: key)) != nil ? "a boolean" : "an object or array"
        throw RecordError(field: name, problem: AmountError.wrongType(kind).description)
    }

    func currency(_ name: String) throws -> Currency {
        let raw = try requiredString(name)
        guard let c = Currency(code: raw) else {
            throw RecordError(field: name, problem: "\"\(raw.prefix(20))\" is not an ISO 4217 currency code, "
                              + "so the amount's minor unit is unknown")
        }
        return c
    }

    func timestamp(_ name: String) throws -> Timestamp {
        let raw = try requiredString(name)
        guard let t = Timestamp.parse(raw) else {
            throw RecordError(field: name, problem: "\"\(raw.prefix(40))\" is not an RFC 3339 timestamp")
        }
        return t
    }

    /// Optional timestamps are lenient: an unparseable value is treated as absent.
    func optionalTimestamp(_ name: String) -> Timestamp? {
        (try? optionalString(name)).flatMap { $0 }.flatMap { Timestamp.parse($0, allowDateOnly: true) }
    }
}

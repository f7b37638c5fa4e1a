import APModels

/// The fixed bytes of one kind of JSON object at one indentation, computed once: before each
/// member's value, `{` or `,`, the line break, the indentation and `"key": `; after the last,
/// the closing line. Writing a million payout lines then costs one append per member for all
/// that, instead of six.
struct JSONShape: Sendable {
    /// The object's own level (its members are one deeper), as `JSONWriter.writeContainer`.
    let indent: Int
    let keys: [String]
    let prefixes: [[UInt8]]
    let close: [UInt8]

    init(indent: Int, keys: [String]) {
        self.indent = indent
        self.keys = keys
        var prefixes: [[UInt8]] = []
        for (i, key) in keys.enumerated() {
            var prefix: [UInt8] = [i == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","), JSONWriter.newline]
            JSONWriter.pad(indent + 1, into: &prefix)
            JSONWriter.writeMember(key, into: &prefix)
            prefixes.append(prefix)
        }
        self.prefixes = prefixes
        var close: [UInt8] = [JSONWriter.newline]
        JSONWriter.pad(indent, into: &close)
        close.append(UInt8(ascii: "}"))
        self.close = close
    }

    /// `MoneyJSON.value`'s object at each level a member can be at.
    static let money: [JSONShape] = (0..<12).map { JSONShape(indent: $0, keys: ["minor", "decimal"]) }
}

/// Writes one JSON object's members straight into bytes, for the million-element parts of
/// report.json (payouts' lines, invoices, payment requests): exactly the bytes `JSONWriter`
/// writes for the equivalent `ReportJSON` object (StreamedRenderTests compare the two), without
/// building that tree — an enum, an array and a string per value — and dropping it again.
///
/// With a `JSONShape` the members must come in the shape's order (checked in debug builds, and
/// by the tests' byte comparison); without one, any keys, at `indent`.
struct JSONObjectWriter {
    private let indent: Int
    private let shape: JSONShape?
    private var members = 0

    /// Writes `{` (an object of any keys).
    init(indent: Int, into out: inout [UInt8]) {
        self.indent = indent
        self.shape = nil
        out.append(UInt8(ascii: "{"))
    }

    /// An object of `shape`'s keys, in order; `{` comes with the first member.
    init(shape: JSONShape) {
        self.indent = shape.indent
        self.shape = shape
    }

    /// What goes before a member's value: `,` when needed, the line break, the indentation and `"key": `.
    mutating func key(_ key: StaticString, into out: inout [UInt8]) {
        defer { members += 1 }
        if let shape {
            assert(members < shape.keys.count && shape.keys[members] == key.description, "\(key) out of the shape's order")
            out.append(contentsOf: shape.prefixes[members])
            return
        }
        if members > 0 { out.append(UInt8(ascii: ",")) }
        out.append(JSONWriter.newline)
        JSONWriter.pad(indent + 1, into: &out)
        out.append(UInt8(ascii: "\""))
        ByteFormat.literal(key, into: &out)
        ByteFormat.literal("\": ", into: &out)
    }

    /// A string, or null.
    mutating func string(_ key: StaticString, _ value: String?, into out: inout [UInt8]) {
        self.key(key, into: &out)
        if let value { JSONWriter.writeString(value, into: &out) } else { ByteFormat.literal("null", into: &out) }
    }

    /// An integer, or null.
    mutating func int(_ key: StaticString, _ value: Int64?, into out: inout [UInt8]) {
        self.key(key, into: &out)
        if let value { ByteFormat.integer(value, into: &out) } else { ByteFormat.literal("null", into: &out) }
    }

    mutating func int(_ key: StaticString, _ value: Int, into out: inout [UInt8]) {
        int(key, Int64(value), into: &out)
    }

    mutating func bool(_ key: StaticString, _ value: Bool, into out: inout [UInt8]) {
        self.key(key, into: &out)
        ByteFormat.literal(value ? "true" : "false", into: &out)
    }

    /// `MoneyJSON.value(minor, currency)`: `{"minor": …, "decimal": "…"}`, or null.
    mutating func money(_ key: StaticString, _ minor: Int64?, _ currency: Currency, into out: inout [UInt8]) {
        self.key(key, into: &out)
        guard let minor else {
            ByteFormat.literal("null", into: &out)
            return
        }
        let level = indent + 1
        var amount = level < JSONShape.money.count ? JSONObjectWriter(shape: JSONShape.money[level]) : JSONObjectWriter(indent: level, into: &out)
        amount.int("minor", minor, into: &out)
        amount.key("decimal", into: &out)
        out.append(UInt8(ascii: "\""))
        ByteFormat.decimal(minor, exponent: currency.exponent, into: &out)
        out.append(UInt8(ascii: "\""))
        amount.close(into: &out)
    }

    /// An array of strings (`[]` when empty).
    mutating func strings(_ key: StaticString, _ values: [String], into out: inout [UInt8]) {
        self.key(key, into: &out)
        JSONWriter.writeContainer(UInt8(ascii: "["), UInt8(ascii: "]"), count: values.count, indent: indent + 1, into: &out) { i, out in
            JSONWriter.writeString(values[i], into: &out)
        }
    }

    /// A value written by the tree writer (for the rare members not worth a direct path).
    mutating func value(_ key: StaticString, _ value: ReportJSON, into out: inout [UInt8]) {
        self.key(key, into: &out)
        JSONWriter.write(value, indent: indent + 1, into: &out)
    }

    /// Writes `}` (on its own line unless the object is empty).
    func close(into out: inout [UInt8]) {
        if let shape {
            assert(members == shape.keys.count, "an object of \(shape.keys) closed after \(members) members")
            out.append(contentsOf: shape.close)
            return
        }
        if members > 0 {
            out.append(JSONWriter.newline)
            JSONWriter.pad(indent, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension ReportOutput {
    /// A JSON array whose elements are written one at a time by `element` at `indent + 1`, the
    /// bytes handed to the sink as they fill a chunk: `JSONWriter.writeContainer`'s bytes.
    mutating func jsonArray(count: Int, indent: Int, element: (Int, inout ReportOutput) throws -> Void) throws {
        guard count > 0 else {
            ByteFormat.literal("[]", into: &bytes)
            return
        }
        bytes.append(UInt8(ascii: "["))
        for i in 0..<count {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(JSONWriter.newline)
            JSONWriter.pad(indent + 1, into: &bytes)
            try element(i, &self)
            try flushIfFull()
        }
        bytes.append(JSONWriter.newline)
        JSONWriter.pad(indent, into: &bytes)
        bytes.append(UInt8(ascii: "]"))
    }
}

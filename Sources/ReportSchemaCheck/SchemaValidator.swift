/// A minimal JSON Schema (draft 2020-12) validator for the keywords schemas/report.schema.json
/// uses: type (a name or a list), required, properties, additionalProperties (false or a
/// schema), items, enum, minimum, pattern, $ref to "#/$defs/…". Annotations ($schema, title,
/// description, $defs) are skipped. Any other keyword is reported as an error, so the schema
/// cannot silently rely on a rule this validator does not check.
public struct SchemaValidator: Sendable {
    public let root: JSONNode

    public init(root: JSONNode) {
        self.root = root
    }

    /// Each violation as "path: what is wrong"; empty when the instance is valid.
    public func validate(_ instance: JSONNode) -> [String] {
        var errors: [String] = []
        check(instance, against: root, at: "$", errors: &errors)
        return errors
    }

    private static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$defs"]
    private static let keywords: Set<String> = [
        "type", "required", "properties", "additionalProperties", "items", "enum", "minimum", "pattern", "$ref",
    ]

    private func check(_ value: JSONNode, against schema: JSONNode, at path: String, errors: inout [String]) {
        guard case .object(let s) = schema else {
            if schema == .bool(false) { errors.append("\(path): no value is allowed here") }
            return
        }
        for key in s.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            errors.append("\(path): schema keyword \(key) is not supported by the test validator")
        }
        if case .string(let ref)? = s["$ref"] {
            if let target = resolve(ref) {
                check(value, against: target, at: path, errors: &errors)
            } else {
                errors.append("\(path): unresolved $ref \(ref)")
            }
        }
        if let type = s["type"] {
            let allowed: [String]
            switch type {
            case .string(let t): allowed = [t]
            case .array(let list): allowed = list.compactMap { if case .string(let t) = $0 { t } else { nil } }
            default: allowed = []
            }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                errors.append("\(path): \(Self.typeName(value)) is not \(allowed.joined(separator: " or "))")
                return
            }
        }
        if case .array(let options)? = s["enum"], !options.contains(value) {
            errors.append("\(path): \(value) is not one of \(options)")
        }
        if let minimum = s["minimum"], let bound = Self.number(minimum), let n = Self.number(value), n < bound {
            errors.append("\(path): \(value) is below the minimum \(minimum)")
        }
        if case .string(let pattern)? = s["pattern"], case .string(let text) = value {
            do {
                if try text.firstMatch(of: Regex(pattern)) == nil {
                    errors.append("\(path): \"\(text)\" does not match \(pattern)")
                }
            } catch {
                errors.append("\(path): bad pattern \(pattern)")
            }
        }
        if case .object(let members) = value {
            if case .array(let required)? = s["required"] {
                for case .string(let key) in required where members[key] == nil {
                    errors.append("\(path): missing required key \(key)")
                }
            }
            var properties: [String: JSONNode] = [:]
            if case .object(let p)? = s["properties"] { properties = p }
            for key in members.keys.sorted() {
                guard let member = members[key] else { continue }
                if let sub = properties[key] {
                    check(member, against: sub, at: "\(path).\(key)", errors: &errors)
                } else if let extra = s["additionalProperties"] {
                    if extra == .bool(false) {
                        errors.append("\(path): unexpected key \(key)")
                    } else {
                        check(member, against: extra, at: "\(path).\(key)", errors: &errors)
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = s["items"] {
            for (i, item) in items.enumerated() {
                check(item, against: itemSchema, at: "\(path)[\(i)]", errors: &errors)
            }
        }
    }

    private func resolve(_ ref: String) -> JSONNode? {
        let prefix = "#/$defs/"
        guard ref.hasPrefix(prefix) else { return nil }
        return root["$defs"]?[String(ref.dropFirst(prefix.count))]
    }

    private static func matches(_ value: JSONNode, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double),
             ("string", .string), ("array", .array), ("object", .object):
            true
        case ("integer", .double(let d)):
            d == d.rounded()
        default:
            false
        }
    }

    private static func number(_ value: JSONNode) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    private static func typeName(_ value: JSONNode) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

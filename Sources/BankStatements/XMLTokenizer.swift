/// Limits that bound what one XML document may cost to read.
public struct XMLLimits: Sendable, Hashable {
    /// Largest document accepted, in bytes.
    public var maxBytes: Int
    /// Deepest element nesting accepted (camt.053 needs about 12).
    public var maxDepth: Int
    /// Most attributes on one element.
    public var maxAttributes: Int

    public init(maxBytes: Int = 64 << 20, maxDepth: Int = 64, maxAttributes: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
    }

    public static let standard = XMLLimits()
}

/// Why a document cannot be read, and where.
public struct XMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the problem.
    public var line: Int
    public var message: String

    public var description: String { "line \(line): \(message)" }
}

/// An element or attribute name with its namespace resolved.
public struct XMLName: Sendable, Hashable {
    public var prefix: String?
    public var local: String
    /// The namespace URI the prefix (or the default namespace) is bound to; nil when none.
    public var namespace: String?
}

public struct XMLAttribute: Sendable, Hashable {
    public var name: XMLName
    public var value: String
}

public enum XMLEvent: Sendable, Hashable {
    case start(XMLName, [XMLAttribute])
    case end(XMLName)
    /// Character data (CDATA included) between tags, entities decoded; may be whitespace only.
    case text(String)
}

/// A small pull tokenizer for the XML that bank statements use: elements, attributes,
/// namespaces, text, CDATA, the five predefined entities and character references.
///
/// It refuses any `<!DOCTYPE` or `<!ENTITY`: with no DTD there is nothing to declare an entity,
/// so external entities (XXE) and entity expansion ("billion laughs") cannot happen at all,
/// rather than being switched off in a general parser. Depth, size and attribute count are bounded.
/// It reads one event at a time, so callers keep only what they need (no document tree).
public struct XMLTokenizer: Sendable {
    private let bytes: [UInt8]
    private let limits: XMLLimits
    private var index = 0
    private var line = 1
    /// Open elements with the namespace bindings each one added.
    private var open: [(name: XMLName, raw: String, bindings: [String: String])] = []
    /// A self-closing element stays open until its end event, so `depth` is the same for both.
    private var pendingEnd = false
    private var sawRoot = false
    private var finished = false

    public init(bytes: [UInt8], limits: XMLLimits = .standard) {
        self.bytes = bytes
        self.limits = limits
        // A UTF-8 byte order mark is allowed before the declaration.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// 1-based line of the next unread byte.
    public var currentLine: Int { line }
    public var depth: Int { open.count }

    /// The next event, nil at the end of the document.
    public mutating func next() throws(XMLError) -> XMLEvent? {
        if bytes.count > limits.maxBytes {
            throw fail("the document is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)")
        }
        if pendingEnd, let top = open.popLast() {
            pendingEnd = false
            return .end(top.name)
        }
        while index < bytes.count {
            if bytes[index] != UInt8(ascii: "<") {
                let text = try readText()
                if open.isEmpty {
                    guard text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) else {
                        throw fail("text outside the root element")
                    }
                    continue
                }
                return .text(text)
            }
            if starts(with: "<?") {
                try skip(past: "?>", what: "processing instruction")
                continue
            }
            if starts(with: "<!--") {
                try skip(past: "-->", what: "comment")
                continue
            }
            if starts(with: "<![CDATA[") {
                guard !open.isEmpty else { throw fail("CDATA outside the root element") }
                index += 9
                let start = index
                try skip(past: "]]>", what: "CDATA section")
                return .text(String(decoding: bytes[start..<(index - 3)], as: UTF8.self))
            }
            if starts(with: "<!") {
                // <!DOCTYPE, <!ENTITY, <!ELEMENT, <!ATTLIST: all DTD syntax, all refused.
                throw fail("a DTD declaration (<!DOCTYPE or <!ENTITY) is not accepted in a bank statement")
            }
            if starts(with: "</") {
                return try readEndTag()
            }
            return try readStartTag()
        }
        guard open.isEmpty else { throw fail("the document ends inside <\(open[open.count - 1].raw)>") }
        guard sawRoot || finished else { throw fail("the document has no root element") }
        finished = true
        return nil
    }

    // MARK: tags

    private mutating func readStartTag() throws(XMLError) -> XMLEvent {
        if open.isEmpty && sawRoot { throw fail("a second root element") }
        index += 1
        let raw = try readName()
        var rawAttributes: [(String, String)] = []
        var selfClosing = false
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("the document ends inside the tag <\(raw)") }
            if bytes[index] == UInt8(ascii: ">") { index += 1; break }
            if starts(with: "/>") { index += 2; selfClosing = true; break }
            let name = try readName()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw fail("attribute \(name) of <\(raw)> has no value") }
            index += 1
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                throw fail("attribute \(name) of <\(raw)> is not quoted")
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote {
                if bytes[index] == UInt8(ascii: "<") { throw fail("'<' inside the value of attribute \(name)") }
                if bytes[index] == 10 { line += 1 }
                index += 1
            }
            guard index < bytes.count else { throw fail("the document ends inside attribute \(name) of <\(raw)>") }
            let value = try decodeEntities(bytes[start..<index])
            index += 1
            if rawAttributes.contains(where: { $0.0 == name }) { throw fail("attribute \(name) twice on <\(raw)>") }
            rawAttributes.append((name, value))
            if rawAttributes.count > limits.maxAttributes {
                throw fail("<\(raw)> has more than \(limits.maxAttributes) attributes")
            }
        }
        if open.count >= limits.maxDepth {
            throw fail("elements nest deeper than the limit of \(limits.maxDepth)")
        }
        var bindings: [String: String] = [:]
        for (name, value) in rawAttributes {
            if name == "xmlns" { bindings[""] = value }
            else if name.hasPrefix("xmlns:") { bindings[String(name.dropFirst(6))] = value }
        }
        open.append((XMLName(prefix: nil, local: raw, namespace: nil), raw, bindings))
        let name = try resolve(raw, isElement: true)
        open[open.count - 1].name = name
        var attributes: [XMLAttribute] = []
        for (rawName, value) in rawAttributes where rawName != "xmlns" && !rawName.hasPrefix("xmlns:") {
            attributes.append(XMLAttribute(name: try resolve(rawName, isElement: false), value: value))
        }
        sawRoot = true
        pendingEnd = selfClosing
        return .start(name, attributes)
    }

    private mutating func readEndTag() throws(XMLError) -> XMLEvent {
        index += 2
        let raw = try readName()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw fail("the end tag </\(raw) is not closed") }
        index += 1
        guard let top = open.last else { throw fail("</\(raw)> closes no element") }
        guard top.raw == raw else { throw fail("</\(raw)> closes <\(top.raw)>") }
        open.removeLast()
        return .end(top.name)
    }

    private func resolve(_ raw: String, isElement: Bool) throws(XMLError) -> XMLName {
        let parts = raw.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            let prefix = String(parts[0])
            guard !prefix.isEmpty, !parts[1].isEmpty else { throw fail("the name \(raw) is malformed") }
            if prefix == "xml" { return XMLName(prefix: prefix, local: String(parts[1]), namespace: "http://www.w3.org/XML/1998/namespace") }
            guard let uri = lookup(prefix) else { throw fail("the prefix \(prefix) of \(raw) is not bound to a namespace") }
            return XMLName(prefix: prefix, local: String(parts[1]), namespace: uri)
        }
        // Unprefixed attributes are in no namespace; unprefixed elements in the default one.
        let uri = isElement ? lookup("") : nil
        return XMLName(prefix: nil, local: raw, namespace: uri?.isEmpty == true ? nil : uri)
    }

    private func lookup(_ prefix: String) -> String? {
        for scope in open.reversed() {
            if let uri = scope.bindings[prefix] { return uri }
        }
        return nil
    }

    // MARK: lexing

    private mutating func readName() throws(XMLError) -> String {
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if b == 32 || b == 9 || b == 10 || b == 13 || b == UInt8(ascii: ">") || b == UInt8(ascii: "/")
                || b == UInt8(ascii: "=") || b == UInt8(ascii: "<") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { break }
            index += 1
        }
        guard index > start else { throw fail("a tag or attribute has no name") }
        guard index - start <= 256 else { throw fail("a name is longer than 256 bytes") }
        let first = bytes[start]
        guard !(first >= 48 && first <= 57), first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else {
            throw fail("the name \(String(decoding: bytes[start..<index], as: UTF8.self)) does not start with a letter")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func readText() throws(XMLError) -> String {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
            if bytes[index] == 10 { line += 1 }
            index += 1
        }
        return try decodeEntities(bytes[start..<index])
    }

    /// The five predefined entities and `&#N;` / `&#xH;`; any other `&name;` is an error, since
    /// no DTD can define one.
    private func decodeEntities(_ slice: ArraySlice<UInt8>) throws(XMLError) -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = slice.startIndex
        while i < slice.endIndex {
            let b = slice[i]
            guard b == UInt8(ascii: "&") else { out.append(b); i += 1; continue }
            guard let semicolon = slice[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw fail("'&' that starts no entity reference (write &amp;)")
            }
            let name = String(decoding: slice[(i + 1)..<semicolon], as: UTF8.self)
            switch name {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "apos": out.append(UInt8(ascii: "'"))
            case "quot": out.append(UInt8(ascii: "\""))
            default:
                guard name.hasPrefix("#") else { throw fail("the entity &\(name); is not defined (DTDs are not accepted)") }
                let hex = name.hasPrefix("#x")
                guard let code = UInt32(name.dropFirst(hex ? 2 : 1), radix: hex ? 16 : 10),
                      let scalar = Unicode.Scalar(code), code != 0 else {
                    throw fail("&\(name); is not a valid character reference")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func skip(past terminator: String, what: String) throws(XMLError) {
        let t = Array(terminator.utf8)
        while index < bytes.count {
            if bytes[index] == t[0], bytes[index...].starts(with: t) {
                index += t.count
                return
            }
            if bytes[index] == 10 { line += 1 }
            index += 1
        }
        throw fail("the document ends inside a \(what)")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 32 || bytes[index] == 9 || bytes[index] == 10 || bytes[index] == 13 {
            if bytes[index] == 10 { line += 1 }
            index += 1
        }
    }

    private func starts(with prefix: StaticString) -> Bool {
        let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return bytes[index...].starts(with: p)
    }

    private func fail(_ message: String) -> XMLError { XMLError(line: line, message: message) }
}

import APModels
/// Writes a `ReportJSON` as deterministic bytes: members in the given order, 2-space
/// indentation, `": "` between key and value, "\n" line ends and a final newline.
/// Strings are UTF-8 with `"` and `\` escaped, control characters as `\n \r \t \b \f`
/// or `\u00XX`; every other character (non-ASCII included) is written as itself.
public enum JSONWriter {
    public static func render(_ value: ReportJSON) -> [UInt8] {
        var out: [UInt8] = []
        write(value, indent: 0, into: &out)
        out.append(newline)
        return out
    }

    /// The quoted, escaped JSON form of one string.
    public static func quoted(_ string: String) -> [UInt8] {
        var out: [UInt8] = []
        writeString(string, into: &out)
        return out
    }

    static let newline = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")

    static func write(_ value: ReportJSON, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let n):
            ByteFormat.integer(n, into: &out)
        case .string(let s):
            writeString(s, into: &out)
        case .array(let items):
            writeContainer(UInt8(ascii: "["), UInt8(ascii: "]"), count: items.count, indent: indent, into: &out) { i, out in
                write(items[i], indent: indent + 1, into: &out)
            }
        case .object(let members):
            writeContainer(UInt8(ascii: "{"), UInt8(ascii: "}"), count: members.count, indent: indent, into: &out) { i, out in
                writeMember(members[i].0, into: &out)
                write(members[i].1, indent: indent + 1, into: &out)
            }
        }
    }

    /// `[]`/`{}` when empty, else one item per line, indented one level deeper than the brackets.
    /// Shared by the tree writer and the streamed one (StreamedJSON), so their bytes cannot drift.
    static func writeContainer(_ open: UInt8, _ close: UInt8, count: Int, indent: Int,
                               into out: inout [UInt8], item: (Int, inout [UInt8]) -> Void) {
        guard count > 0 else {
            out.append(open)
            out.append(close)
            return
        }
        out.append(open)
        for i in 0..<count {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(newline)
            pad(indent + 1, into: &out)
            item(i, &out)
        }
        out.append(newline)
        pad(indent, into: &out)
        out.append(close)
    }

    /// `"key": ` of an object member.
    static func writeMember(_ key: String, into out: inout [UInt8]) {
        writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        out.append(space)
    }

    static func pad(_ level: Int, into out: inout [UInt8]) {
        ByteFormat.spaces(level * 2, into: &out)
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        JSONText.append(s, to: &out)
    }
}

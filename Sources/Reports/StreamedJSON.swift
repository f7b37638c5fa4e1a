/// A JSON document written piece by piece: arrays produce their elements one at a time while
/// they are written, so report.json for a million lines never exists as a `ReportJSON` tree
/// (the tree cost several times the bytes it renders to). Writes exactly the bytes
/// `JSONWriter.render` writes for the equivalent tree.
enum StreamedJSON {
    case value(ReportJSON)
    /// `count` elements, each built when it is written and dropped right after.
    case array(count: Int, element: (Int) -> StreamedJSON)
    /// Members in output order.
    case object([(String, StreamedJSON)])
}

extension JSONWriter {
    /// `reserve`: expected size in bytes. Capacity that is reserved but never written is not
    /// touched, so it costs address space, not memory, and saves the copies of a growing array.
    static func render(_ value: StreamedJSON, reserve: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(reserve)
        write(value, indent: 0, into: &out)
        out.append(newline)
        return out
    }

    static func write(_ value: StreamedJSON, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .value(let json):
            write(json, indent: indent, into: &out)
        case .array(let count, let element):
            writeContainer(UInt8(ascii: "["), UInt8(ascii: "]"), count: count, indent: indent, into: &out) { i, out in
                write(element(i), indent: indent + 1, into: &out)
            }
        case .object(let members):
            writeContainer(UInt8(ascii: "{"), UInt8(ascii: "}"), count: members.count, indent: indent, into: &out) { i, out in
                writeMember(members[i].0, into: &out)
                write(members[i].1, indent: indent + 1, into: &out)
            }
        }
    }
}

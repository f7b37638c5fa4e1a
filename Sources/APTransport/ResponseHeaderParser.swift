/// Collects response header lines as libcurl hands them over, one line per call.
///
/// libcurl reports every header block it sees: interim responses (100 Continue), proxy
/// CONNECT answers and, were redirects followed, each hop. Only the last block describes
/// the response we return, so a status line ("HTTP/…") starts over. Lines after the
/// block's blank line (HTTP/1.1 chunked trailers) are ignored.
struct ResponseHeaderParser: Sendable {
    private(set) var entries: [HTTPHeader] = []
    private var inBlock = false

    var headers: HTTPHeaders { HTTPHeaders(entries) }

    mutating func consume(line raw: some Collection<UInt8>) {
        var bytes = Array(raw)
        while let last = bytes.last, last == 0x0D || last == 0x0A { bytes.removeLast() }

        if bytes.starts(with: Array("HTTP/".utf8)) {
            entries.removeAll()
            inBlock = true
            return
        }
        guard inBlock else { return }
        if bytes.isEmpty {
            inBlock = false
            return
        }
        if let first = bytes.first, first == 0x20 || first == 0x09 {
            // obs-fold (RFC 9112 §5.2): a continuation of the previous value.
            guard let previous = entries.popLast() else { return }
            let more = Self.trimmed(bytes[...])
            let joined = more.isEmpty ? previous.value : previous.value + " " + Self.text(more)
            entries.append(HTTPHeader(previous.name, joined))
            return
        }
        guard let colon = bytes.firstIndex(of: 0x3A) else { return }
        let name = Self.trimmed(bytes[..<colon])
        guard !name.isEmpty else { return }
        let value = Self.trimmed(bytes[(colon + 1)...])
        entries.append(HTTPHeader(Self.text(name), Self.text(value)))
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let f = slice.first, f == 0x20 || f == 0x09 { slice.removeFirst() }
        while let l = slice.last, l == 0x20 || l == 0x09 { slice.removeLast() }
        return slice
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

import Crypto

/// Where a renderer's bytes go, chunk by chunk and in order: a file in the publisher's staging
/// folder, or memory (`MemorySink`) in a test. The renderers stay pure: they never open a file;
/// whatever holds the sink decides where the bytes end up, and its `write` throws when it cannot
/// keep them (a full disk), which stops the rendering at once.
public protocol ReportSink: AnyObject {
    /// The next chunk of the file (up to about `ReportOutput.chunkSize` bytes, sometimes more).
    func write(_ chunk: [UInt8]) throws
    /// true: the sink computes the SHA-256 of what it is given itself (`sha256()`), so the
    /// renderer does not (a file sink does it on its writer thread, beside the renderer).
    /// Default false.
    var computesSHA256: Bool { get }
    /// After the last chunk, when `computesSHA256`: the lowercase hex SHA-256 of every byte
    /// written. Throws what writing them threw.
    func sha256() throws -> String
}

/// Asked of a sink that does not compute digests: a bug in the caller, reported, not trapped.
public struct NoDigestError: Error, CustomStringConvertible {
    public var description: String { "the report sink computes no SHA-256" }
}

extension ReportSink {
    public var computesSHA256: Bool { false }
    public func sha256() throws -> String { throw NoDigestError() }
}

/// Keeps every byte in memory: the whole file in `bytes`. Never throws.
public final class MemorySink: ReportSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ chunk: [UInt8]) {
        bytes.append(contentsOf: chunk)
    }
}

/// What a rendered file was, for manifest.json and the run's outcome, without its bytes.
public struct RenderedFile: Sendable, Equatable {
    public var name: String
    public var byteCount: Int
    /// Lowercase hex SHA-256 of the bytes.
    public var sha256: String
    /// As `ReportFile.rowCount`.
    public var rowCount: Int

    public init(name: String, byteCount: Int, sha256: String, rowCount: Int) {
        self.name = name
        self.byteCount = byteCount
        self.sha256 = sha256
        self.rowCount = rowCount
    }

    /// The description of a file rendered whole into memory.
    public init(_ file: ReportFile) {
        self.init(name: file.name, byteCount: file.bytes.count, sha256: Manifest.sha256Hex(file.bytes), rowCount: file.rowCount)
    }
}

/// The bytes a renderer is producing: appended to `bytes` and handed to the sink a chunk at a
/// time (`flushIfFull` after each element), so a file of a gigabyte needs a megabyte here. The
/// SHA-256 and the size are computed on the way, for manifest.json.
struct ReportOutput {
    /// 1 MiB: large enough that a write(2) per chunk costs nothing next to rendering it, small
    /// enough not to matter in the peak memory.
    static let chunkSize = 1 << 20

    /// Not yet handed to the sink.
    var bytes: [UInt8] = []
    private let sink: any ReportSink
    /// nil when the sink computes the digest itself.
    private var digest: SHA256?
    private var flushed = 0

    init(sink: any ReportSink) {
        self.sink = sink
        digest = sink.computesSHA256 ? nil : SHA256()
        bytes.reserveCapacity(Self.chunkSize + Self.chunkSize / 4)
    }

    /// Bytes produced so far.
    var count: Int { flushed + bytes.count }

    @inline(__always)
    mutating func flushIfFull() throws {
        if bytes.count >= Self.chunkSize { try flush() }
    }

    mutating func flush() throws {
        guard !bytes.isEmpty else { return }
        digest?.update(data: bytes)
        flushed += bytes.count
        try sink.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Hands the rest to the sink and describes the file.
    mutating func finish(name: String, rowCount: Int) throws -> RenderedFile {
        try flush()
        let sha256 = try digest.map { Manifest.hex(Array($0.finalize())) } ?? sink.sha256()
        return RenderedFile(name: name, byteCount: flushed, sha256: sha256, rowCount: rowCount)
    }
}

/// One report file, rendered when asked into a sink: what the pipeline publishes, file by file,
/// so that no more than one chunk of any file is in memory at a time.
public struct ReportStream: Sendable {
    public let name: String
    /// Writes the file; returns its row count (see `ReportFile.rowCount`).
    let body: @Sendable (inout ReportOutput) throws -> Int

    init(name: String, body: @escaping @Sendable (inout ReportOutput) throws -> Int) {
        self.name = name
        self.body = body
    }

    /// Renders the file into `sink`. Throws only what the sink throws.
    public func render(into sink: any ReportSink) throws -> RenderedFile {
        var out = ReportOutput(sink: sink)
        let rows = try body(&out)
        return try out.finish(name: name, rowCount: rows)
    }

    /// The whole file in memory (tests, small files).
    public func file() -> ReportFile {
        let sink = MemorySink()
        // Only the sink throws, and a MemorySink never does.
        let rendered = try? render(into: sink)
        return ReportFile(name: name, bytes: sink.bytes, rowCount: rendered?.rowCount ?? 0)
    }
}

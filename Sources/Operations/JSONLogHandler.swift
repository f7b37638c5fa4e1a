import APModels
import Foundation
import JobSettings
import Publishing
import Logging
import Reports
import RunPipeline

/// A swift-log handler writing JSON lines for journald / Kubernetes log pipelines:
/// `{"ts":"…","level":"info","label":"ap-reconcile","message":"…","metadata":{…}}`, one object
/// per line, keys in that order, metadata keys sorted. Metadata whose key names a credential
/// (authorization, secret, token, password, cookie) is written as "<redacted>" — the job never
/// logs one, and this keeps it so if a future log call gets it wrong.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public let label: String
    private let write: @Sendable ([UInt8]) -> Void
    private let clock: @Sendable () -> Date

    public init(label: String, clock: @escaping @Sendable () -> Date = { Date() },
                write: @escaping @Sendable ([UInt8]) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.clock = clock
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        for (key, value) in event.metadata ?? [:] { merged[key] = value }
        write(Self.line(ts: Timestamp(clock()), level: event.level, label: label, message: "\(event.message)",
                        metadata: merged, error: event.error.map { "\($0)" }))
    }

    /// One log line's bytes, newline included. Pure, for tests.
    public static func line(ts: Timestamp, level: Logger.Level, label: String, message: String,
                            metadata: Logger.Metadata, error: String? = nil) -> [UInt8] {
        var out: [UInt8] = Array("{\"ts\":".utf8)
        out += JSONWriter.quoted(millisecondRFC3339(ts))
        out += Array(",\"level\":".utf8) + JSONWriter.quoted(level.rawValue)
        out += Array(",\"label\":".utf8) + JSONWriter.quoted(label)
        out += Array(",\"message\":".utf8) + JSONWriter.quoted(message)
        if let error { out += Array(",\"error\":".utf8) + JSONWriter.quoted(error) }
        if !metadata.isEmpty {
            out += Array(",\"metadata\":".utf8)
            append(.dictionary(metadata), into: &out)
        }
        out += Array("}\n".utf8)
        return out
    }

    static let sensitiveKeyParts = ["authorization", "secret", "token", "password", "cookie", "credential"]

    static func isSensitive(_ key: String) -> Bool {
        let lower = key.lowercased()
        return sensitiveKeyParts.contains { lower.contains($0) }
    }

    private static func append(_ value: Logger.MetadataValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s): out += JSONWriter.quoted(s)
        case .stringConvertible(let c): out += JSONWriter.quoted(c.description)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (i, v) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                append(v, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            out.append(UInt8(ascii: "{"))
            for (i, key) in dictionary.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out += JSONWriter.quoted(key)
                out.append(UInt8(ascii: ":"))
                if isSensitive(key) {
                    out += JSONWriter.quoted("<redacted>")
                } else if let v = dictionary[key] {
                    append(v, into: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `2026-11-08T06:00:00.123Z`: always milliseconds, so lines sort and parse alike.
    static func millisecondRFC3339(_ t: Timestamp) -> String {
        let whole = Timestamp(epochSeconds: t.epochSeconds).rfc3339 // "…:SSZ"
        var millis = String(t.nanoseconds / 1_000_000)
        while millis.count < 3 { millis = "0" + millis }
        return String(whole.dropLast()) + "." + millis + "Z"
    }

    /// Writes whole lines to stderr with one write(2) each, so concurrent lines never interleave.
    public static let standardError: @Sendable ([UInt8]) -> Void = { bytes in
        _ = FileSystem.writeAll(2, bytes)
    }
}

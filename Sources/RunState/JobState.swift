import APModels
import Foundation
import JobSettings
import Reconciliation

/// What state.json keeps between runs: the watermark, the last successful run, and the items
/// open after it. Written only after every output of a run is published.
public struct JobState: Sendable, Equatable {
    /// Bumped when a change would make an older ap-reconcile misread the file; a file of an
    /// unknown version is refused (never silently reset).
    public static let formatVersion = 1
    public static let formatName = "ap-reconcile-state"

    /// End of the covered windows: everything before it was reconciled by a successful run.
    public var watermark: Timestamp?
    public var lastRun: LastRun?
    /// Items open after the last successful run (fingerprint order).
    public var openItems: [OpenItem]

    public struct LastRun: Sendable, Equatable {
        public var window: ReportWindow
        public var asOf: Timestamp
        /// The folder under the `--out` root it published into.
        public var folder: String
        public init(window: ReportWindow, asOf: Timestamp, folder: String) {
            self.window = window
            self.asOf = asOf
            self.folder = folder
        }
    }

    public init(watermark: Timestamp? = nil, lastRun: LastRun? = nil, openItems: [OpenItem] = []) {
        self.watermark = watermark
        self.lastRun = lastRun
        self.openItems = openItems
    }
}

/// Why a state file cannot be used. Names the file and what to do; never resets it.
public struct StateError: Error, Sendable, CustomStringConvertible {
    public var status: ExitStatus
    public var message: String
    public var description: String { message }
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// state.json as bytes and back. Pure. Keys are sorted so the file diffs well.
public enum JobStateCodec {
    struct Header: Decodable {
        var format: String?
        var formatVersion: Int?
        enum CodingKeys: String, CodingKey { case format, formatVersion = "format_version" }
    }

    struct File: Codable {
        var format: String
        var formatVersion: Int
        var watermark: String?
        var lastRun: LastRunFile?
        var openItems: [ItemFile]
        enum CodingKeys: String, CodingKey {
            case format, formatVersion = "format_version", watermark, lastRun = "last_run", openItems = "open_items"
        }
    }

    struct LastRunFile: Codable {
        var since: String
        var until: String
        var asOf: String
        var folder: String
        enum CodingKeys: String, CodingKey { case since, until, asOf = "as_of", folder }
    }

    /// One open item as state.json (and a snapshot's previous-open-items.json) stores it.
    public struct ItemFile: Codable, Sendable {
        public var fingerprint: String
        public var code: String
        public var severity: String
        public var firstSeen: String
        public var lastSeen: String
        public var payoutID: String?
        public var transactionID: String?
        public var invoiceID: String?
        public var paymentRequestID: String?
        public var message: String
        enum CodingKeys: String, CodingKey {
            case fingerprint, code, severity, firstSeen = "first_seen", lastSeen = "last_seen"
            case payoutID = "payout_id", transactionID = "transaction_id", invoiceID = "invoice_id"
            case paymentRequestID = "payment_request_id", message
        }
    }

    /// One open item as state.json (and a snapshot's previous-open-items.json) writes it.
    public static func itemFile(_ item: OpenItem) -> ItemFile {
        ItemFile(fingerprint: item.fingerprint, code: item.code, severity: item.severity.rawValue,
                 firstSeen: item.firstSeen.rfc3339, lastSeen: item.lastSeen.rfc3339, payoutID: item.payoutID,
                 transactionID: item.transactionID, invoiceID: item.invoiceID,
                 paymentRequestID: item.paymentRequestID, message: item.message)
    }

    public static func encode(_ state: JobState) -> Data {
        let file = File(
            format: JobState.formatName, formatVersion: JobState.formatVersion, watermark: state.watermark?.rfc3339,
            lastRun: state.lastRun.map { LastRunFile(since: $0.window.since.rfc3339, until: $0.window.until.rfc3339,
                                                     asOf: $0.asOf.rfc3339, folder: $0.folder) },
            openItems: state.openItems.map(itemFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        // Encoding plain strings, ints and arrays of them cannot fail.
        var data = (try? encoder.encode(file)) ?? Data()
        data.append(0x0A)
        return data
    }

    /// Parses state.json; `path` only names it in errors. Any problem is a configuration error
    /// (exit 78): a person must look at the file, the run must not guess.
    public static func decode(_ data: Data, path: String) throws(StateError) -> JobState {
        let what = "state file \(path)"
        let fix = "restore it from a backup, or move it away to start over from the previous UTC day (open items are then all new)"
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw StateError(.configuration, "\(what) is not valid JSON state (\(brief(error))): \(fix)")
        }
        guard header.format == JobState.formatName, let version = header.formatVersion else {
            throw StateError(.configuration, "\(what) is not an ap-reconcile state file (no \"format\": \"\(JobState.formatName)\" and format_version): \(fix)")
        }
        guard version == JobState.formatVersion else {
            throw StateError(.configuration, "\(what) has format_version \(version); this ap-reconcile \(ToolVersion.current) reads version \(JobState.formatVersion) only: run the version that wrote it, or \(fix)")
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw StateError(.configuration, "\(what) is damaged (\(brief(error))): \(fix)")
        }
        func time(_ text: String, _ field: String) throws(StateError) -> Timestamp {
            guard let t = Timestamp.parse(text) else {
                throw StateError(.configuration, "\(what): \(field) \"\(text.prefix(40))\" is not an RFC 3339 time: \(fix)")
            }
            return t
        }
        var state = JobState()
        if let watermark = file.watermark { state.watermark = try time(watermark, "watermark") }
        if let last = file.lastRun {
            let since = try time(last.since, "last_run.since"), until = try time(last.until, "last_run.until")
            state.lastRun = JobState.LastRun(window: ReportWindow(since: since, until: until),
                                             asOf: try time(last.asOf, "last_run.as_of"), folder: last.folder)
        }
        var seen = Set<String>()
        for (index, item) in file.openItems.enumerated() {
            guard let severity = Severity(rawValue: item.severity) else {
                throw StateError(.configuration, "\(what): open_items[\(index)] has severity \"\(item.severity.prefix(20))\" (error, warning or info expected): \(fix)")
            }
            guard seen.insert(item.fingerprint).inserted else {
                throw StateError(.configuration, "\(what): open_items[\(index)] repeats fingerprint \(item.fingerprint.prefix(120)): \(fix)")
            }
            state.openItems.append(OpenItem(
                fingerprint: item.fingerprint, code: item.code, severity: severity,
                firstSeen: try time(item.firstSeen, "open_items[\(index)].first_seen"),
                lastSeen: try time(item.lastSeen, "open_items[\(index)].last_seen"),
                payoutID: item.payoutID, transactionID: item.transactionID, invoiceID: item.invoiceID,
                paymentRequestID: item.paymentRequestID, message: item.message))
        }
        return state
    }

    /// A decoding error in a few words: the key path and what was wrong, never the file's content.
    static func brief(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            return "unreadable"
        }
    }
}

import BankStatements
import Foundation
import JobSettings
import Publishing

/// `snapshot/index.json`: what a recorded run asked the API, what it got back, and the run's
/// parameters a replay needs. Every response body is a file of its own beside the index, named
/// here with its SHA-256 and size, so the index's digest (which manifest.json names) vouches for
/// the whole snapshot. Format: docs/audit.md.
public struct SnapshotIndex: Codable, Sendable, Equatable {
    public static let formatName = "ap-reconcile-snapshot"
    /// 2: `bank` and `run.invoice_fetch`, which a version-1 reader would ignore and so replay
    /// without the statements or with another invoice plan.
    public static let currentFormatVersion = 2
    /// What this reader accepts: a version-1 index has neither key, which reads as no
    /// statements and the adaptive plan, as such a run had.
    public static let readableFormatVersions = 1...2
    public static let fileName = "index.json"
    /// The subfolder of the output folder that holds a snapshot.
    public static let folderName = "snapshot"

    public var format: String
    public var formatVersion: Int
    /// The ap-reconcile version that recorded the snapshot. Byte-identical replays need the same one.
    public var toolVersion: String
    public var run: SnapshotParameters
    /// What was removed before writing, in words (for the auditor reading the index).
    public var redactions: [String]
    /// Every HTTP attempt of the run, retries and failed attempts included, ordered by
    /// method, path and occurrence (not by time, so that the same API data always gives the same snapshot).
    public var exchanges: [RecordedExchange]
    /// A run with state: the file holding the open items its reports were compared against
    /// (the only input of such a run that is not an API response). nil, and absent from the
    /// JSON, for a run without state.
    public var previousOpenItems: SnapshotFileEntry?
    /// The acknowledgements file the run read (`--acknowledgements`), kept byte for byte so a
    /// replay judges the diagnostics against the same entries. nil, and absent, without one.
    public var acknowledgements: SnapshotFileEntry?
    /// Its name inside the snapshot folder.
    public static let acknowledgementsFileName = "acknowledgements.json"
    /// A run with bank statements: each file as the run read it and the settings the matching
    /// used, so a replay needs none of the original files. nil, and absent, without statements.
    public var bank: SnapshotBank?

    public init(toolVersion: String, run: SnapshotParameters, redactions: [String], exchanges: [RecordedExchange],
                previousOpenItems: SnapshotFileEntry? = nil, acknowledgements: SnapshotFileEntry? = nil,
                bank: SnapshotBank? = nil) {
        format = Self.formatName
        formatVersion = Self.currentFormatVersion
        self.toolVersion = toolVersion
        self.run = run
        self.redactions = redactions
        self.exchanges = exchanges
        self.previousOpenItems = previousOpenItems
        self.acknowledgements = acknowledgements
        self.bank = bank
    }

    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", toolVersion = "tool_version", run, redactions, exchanges
        case previousOpenItems = "previous_open_items", acknowledgements, bank
    }

    /// Pretty-printed JSON with sorted keys: the same index always gives the same bytes.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and arrays of them cannot fail.
        guard let data = try? encoder.encode(self) else { return [] }
        return Array(data) + [UInt8(ascii: "\n")]
    }
}

/// The parameters of the recorded run that decide which requests it made and what its reports say.
public struct SnapshotParameters: Codable, Sendable, Equatable {
    public var baseURL: String
    /// The window, RFC 3339.
    public var since: String
    public var until: String
    /// The run's clock, RFC 3339; replay uses it unless `--as-of` says otherwise.
    public var asOf: String
    public var pageSize: Int
    public var failOn: String
    public var expectedPaymentRequestIDs: [String]
    /// Attempts per request of the recorded run; replay allows as many, so recorded retries replay.
    public var maxAttempts: Int
    public var concurrency: Int
    /// `true`: the run had `--state`, so its reports carry new/open/resolved statuses computed
    /// against the index's `previous_open_items`. nil (absent from the JSON): a run without state.
    public var withState: Bool?
    /// How the run fetched invoices (`by-id`); nil (absent): adaptive. The requests a replay
    /// makes depend on it, so it replays with the recorded mode.
    public var invoiceFetch: String?

    public init(baseURL: String, since: String, until: String, asOf: String, pageSize: Int, failOn: String,
                expectedPaymentRequestIDs: [String], maxAttempts: Int, concurrency: Int, withState: Bool? = nil) {
        self.baseURL = baseURL
        self.since = since
        self.until = until
        self.asOf = asOf
        self.pageSize = pageSize
        self.failOn = failOn
        self.expectedPaymentRequestIDs = expectedPaymentRequestIDs
        self.maxAttempts = maxAttempts
        self.concurrency = concurrency
        self.withState = withState
    }

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url", since, until, asOf = "as_of", pageSize = "page_size", failOn = "fail_on"
        case expectedPaymentRequestIDs = "expected_payment_request_ids", maxAttempts = "max_attempts", concurrency
        case withState = "with_state", invoiceFetch = "invoice_fetch"
    }
}

/// The bank statements of a recorded run and the settings their matching used.
public struct SnapshotBank: Codable, Sendable, Equatable {
    public var settlementDays: Int
    public var providerNames: [String]
    public var csvMapping: CSVMapping?
    /// In the order the run read them.
    public var statements: [SnapshotBankStatement]

    public init(settlementDays: Int, providerNames: [String], csvMapping: CSVMapping?, statements: [SnapshotBankStatement]) {
        self.settlementDays = settlementDays
        self.providerNames = providerNames
        self.csvMapping = csvMapping
        self.statements = statements
    }

    enum CodingKeys: String, CodingKey {
        case settlementDays = "settlement_days", providerNames = "provider_names", csvMapping = "csv_mapping", statements
    }

    /// The snapshot file of the `position`th statement (1-based): a plain name whatever the
    /// statement's own name holds.
    public static func fileName(_ position: Int) -> String { String(format: "bank-%03d.statement", position) }
}

/// One statement file: its name in the reports and, unless the run could not read it, the
/// snapshot file holding its bytes with their SHA-256 and size.
public struct SnapshotBankStatement: Codable, Sendable, Equatable {
    public var name: String
    public var file: String?
    public var sha256: String?
    public var bytes: Int?

    public init(name: String, file: String?, sha256: String?, bytes: Int?) {
        self.name = name
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// A statement file as a recorded run read it; `bytes` nil when it could not be read.
public struct RecordedBankFile: Sendable, Equatable {
    public var name: String
    public var bytes: [UInt8]?

    public init(name: String, bytes: [UInt8]?) {
        self.name = name
        self.bytes = bytes
    }
}

/// A file of the snapshot that is not a response body, named in the index with its SHA-256
/// and size so the index's digest vouches for it too.
public struct SnapshotFileEntry: Codable, Sendable, Equatable {
    public var file: String
    public var sha256: String
    public var bytes: Int

    public init(file: String, sha256: String, bytes: Int) {
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// One HTTP attempt: a response (status, headers, body file) or a failure below HTTP.
public struct RecordedExchange: Codable, Sendable, Equatable {
    public var method: String
    /// Path and query as sent, relative to the base URL: `/payouts?limit=100&after=c2`.
    public var path: String
    /// 1 for the first request with this method and path, 2 for the next (a retry, or a renewed token).
    public var occurrence: Int
    public var status: Int?
    /// Response headers in arrival order, without any credential-bearing header.
    public var headers: [RecordedHeader]?
    /// The body's file beside the index, its lowercase hex SHA-256 and its size in bytes.
    public var file: String?
    public var sha256: String?
    public var bytes: Int?
    /// Set instead of a response when no complete response arrived (timeout, reset, truncated body).
    public var transportError: RecordedTransportError?

    public init(method: String, path: String, occurrence: Int, status: Int? = nil, headers: [RecordedHeader]? = nil,
                file: String? = nil, sha256: String? = nil, bytes: Int? = nil, transportError: RecordedTransportError? = nil) {
        self.method = method
        self.path = path
        self.occurrence = occurrence
        self.status = status
        self.headers = headers
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.transportError = transportError
    }

    enum CodingKeys: String, CodingKey {
        case method, path, occurrence, status, headers, file, sha256, bytes, transportError = "transport_error"
    }

    /// `GET /payouts?limit=100`: how replay matches a request to its recorded answers.
    public var key: String { method + " " + path }
}

public struct RecordedHeader: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

public struct RecordedTransportError: Codable, Sendable, Equatable {
    /// `TransportError.Kind` raw value: timeout, connectionReset, truncatedBody, …
    public var kind: String
    public var curlCode: Int32?
    public var detail: String

    public init(kind: String, curlCode: Int32?, detail: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case kind, curlCode = "curl_code", detail
    }
}

import Foundation

/// One HTTP header as sent or received. Names compare case-insensitively.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Received headers in arrival order with case-insensitive lookup.
public struct HTTPHeaders: Sendable, Hashable, Sequence {
    public private(set) var entries: [HTTPHeader]
    public init(_ entries: [HTTPHeader] = []) { self.entries = entries }

    /// The first value of `name`, compared case-insensitively.
    public subscript(_ name: String) -> String? {
        let lower = name.lowercased()
        return entries.first { $0.name.lowercased() == lower }?.value
    }

    public mutating func append(_ header: HTTPHeader) { entries.append(header) }
    public func makeIterator() -> IndexingIterator<[HTTPHeader]> { entries.makeIterator() }
}

public enum HTTPMethod: String, Sendable, Hashable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
}

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// Absolute http or https URL. Other schemes are refused by the transport.
    public var url: String
    public var headers: [HTTPHeader]
    public var body: Data?
    /// Per-request override of the transport's total timeout.
    public var timeout: Duration?

    public init(method: HTTPMethod = .get, url: String, headers: [HTTPHeader] = [], body: Data? = nil, timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// "1.1", "2", … as negotiated.
    public var httpVersion: String
    /// New connections libcurl opened for this transfer (0 when one was reused).
    public var connectionsOpened: Int

    public init(status: Int, headers: HTTPHeaders, body: Data, httpVersion: String = "1.1", connectionsOpened: Int = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
        self.connectionsOpened = connectionsOpened
    }

    /// The parsed `Retry-After` header, if present and well-formed.
    public var retryAfter: RetryAfter? {
        headers["Retry-After"].flatMap(RetryAfter.parse)
    }
}

/// A failure below HTTP: no status line was received, or the body could not be
/// read completely. Never carries request headers (they hold credentials).
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Connect, total or stall (low-speed) timeout.
        case timeout
        /// TCP connection refused or host unreachable.
        case connectionRefused
        /// Connection reset or closed before a complete response.
        case connectionReset
        /// Body ended before its declared length.
        case truncatedBody
        /// Host name could not be resolved.
        case dnsFailure
        /// TLS handshake or certificate verification failed.
        case tls
        /// Body exceeded the configured size cap.
        case bodyTooLarge
        /// The request was invalid before it was sent (bad URL, unsupported scheme, setopt failure).
        case invalidRequest
        /// The task waiting for the response was cancelled.
        case cancelled
        /// Anything else libcurl reported.
        case other
    }

    public var kind: Kind
    /// libcurl's CURLcode, when one applies.
    public var curlCode: Int32?
    /// Human-readable detail (libcurl's error buffer or ours). Never contains secrets.
    public var detail: String
    /// Method and URL of the request (URLs in this project carry no secrets).
    public var request: String

    public init(kind: Kind, curlCode: Int32? = nil, detail: String, request: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.detail = detail
        self.request = request
    }

    /// Whether retrying the same request may succeed.
    public var isTransient: Bool {
        switch kind {
        case .timeout, .connectionRefused, .connectionReset, .truncatedBody: true
        case .dnsFailure, .tls, .bodyTooLarge, .invalidRequest, .cancelled, .other: false
        }
    }

    public var description: String {
        let code = curlCode.map { " (curl \($0))" } ?? ""
        return "\(request): \(kind.rawValue)\(code): \(detail)"
    }
}

public struct TransportConfiguration: Sendable {
    /// Transfers in flight at once; further requests wait their turn.
    public var maxConcurrentRequests: Int = 8
    public var connectTimeout: Duration = .seconds(10)
    /// Whole-transfer limit unless the request overrides it.
    public var requestTimeout: Duration = .seconds(60)
    /// A transfer slower than `stallBytesPerSecond` for `stallTimeout` is aborted.
    public var stallTimeout: Duration = .seconds(20)
    public var stallBytesPerSecond: Int = 1
    /// Response bodies larger than this fail with `.bodyTooLarge`.
    public var maxBodyBytes: Int = 64 * 1024 * 1024
    /// All response bodies still arriving, together: a chunk beyond it fails its transfer
    /// with `.bodyTooLarge` (`BodyBudget`; it does not wait). Four bodies at the per-transfer
    /// cap fit; hundreds of real pages (under 1 MiB each) fit many times over.
    public var maxBodyBytesInFlight: Int = 256 * 1024 * 1024
    /// The CA bundle (PEM) to verify servers against, used *instead of* the system's bundle
    /// (libcurl's CAINFO replaces it): it must hold every CA the job needs, e.g. a corporate
    /// proxy's CA. Verification is never disabled.
    public var caBundlePath: String?
    public var userAgent: String = "ap-reconcile"

    public init() {}
}

/// Sends HTTP requests. `CurlTransport` is the implementation; the protocol exists so
/// that layers above can be driven by recorded responses (replay) without a network.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}

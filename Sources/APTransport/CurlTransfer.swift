import CCurl
import Foundation

/// One request's libcurl easy handle and everything that must outlive it: the header
/// list, the error buffer, and the response headers and body as they arrive.
final class CurlTransfer: @unchecked Sendable {
    // @unchecked: the task calling `send` configures a transfer, then hands it to the multi
    // loop thread through the loop's lock (a happens-before edge). From then on only the
    // loop thread touches it, and libcurl calls our callbacks on that thread. `release()`
    // runs once, on whichever side owns the transfer at that moment.

    /// "GET https://host/path" for errors; never headers.
    let requestDescription: String
    private let maxBodyBytes: Int
    /// Shared by every transfer of the transport; `reserved` is this transfer's part of it.
    private let budget: BodyBudget
    private var reserved = 0
    private var budgetExceeded = false
    private(set) var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// CURLOPT_ERRORBUFFER storage; libcurl may write to it until the handle is cleaned up,
    /// so it is freed in deinit, which cannot run before `release()`.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The +1 reference libcurl's callbacks borrow through their userdata pointer.
    private var callbackContext: Unmanaged<CurlTransfer>?
    private var body = Data()
    private var headerParser = ResponseHeaderParser()
    private var bodyCapExceeded = false

    private init(requestDescription: String, maxBodyBytes: Int, budget: BodyBudget) {
        self.requestDescription = requestDescription
        self.maxBodyBytes = max(0, maxBodyBytes)
        self.budget = budget
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        release()
        errorBuffer.deallocate()
    }

    /// Creates and configures an easy handle for `request`; on any failure everything
    /// allocated so far is freed before the error is thrown.
    static func make(for request: HTTPRequest, configuration: TransportConfiguration,
                     budget: BodyBudget) throws(TransportError) -> CurlTransfer {
        let transfer = CurlTransfer(requestDescription: request.errorDescription, maxBodyBytes: configuration.maxBodyBytes,
                                    budget: budget)
        do {
            try transfer.configure(request, configuration)
        } catch {
            transfer.release()
            throw error
        }
        return transfer
    }

    /// Frees the easy handle, the header list and the callback context, and gives the body's
    /// bytes back to the transport's budget (a response already handed over belongs to its
    /// caller now). Idempotent. The handle must no longer be attached to a multi handle.
    func release() {
        budget.give(reserved)
        reserved = 0
        if let easy {
            curl_easy_cleanup(easy)
            self.easy = nil
        }
        if let headerList {
            curl_slist_free_all(headerList)
            self.headerList = nil
        }
        if let context = callbackContext {
            callbackContext = nil
            context.release()
        }
    }

    // MARK: - Outcome

    /// New connections this transfer opened (0 when it reused one).
    func connectionsOpened() -> Int {
        guard let easy else { return 0 }
        var count = 0
        guard ap_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &count) == CURLE_OK else { return 0 }
        return count
    }

    /// The response, or the error, for a transfer libcurl reported done with `code`.
    func outcome(code: CURLcode) -> Result<HTTPResponse, TransportError> {
        guard code == CURLE_OK else { return .failure(failure(code: code)) }
        guard let easy else {
            return .failure(TransportError(kind: .other, detail: "transfer finished without an easy handle", request: requestDescription))
        }
        var status = 0
        _ = ap_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var version = 0
        _ = ap_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        return .success(HTTPResponse(
            status: status,
            headers: headerParser.headers,
            body: body,
            httpVersion: Self.versionText(version),
            connectionsOpened: connectionsOpened()
        ))
    }

    func failure(code: CURLcode) -> TransportError {
        let raw = Int32(bitPattern: code.rawValue)
        if budgetExceeded {
            return TransportError(
                kind: .bodyTooLarge, curlCode: raw,
                detail: "the response bodies in flight together would exceed the transport's budget of \(budget.limit) bytes "
                    + "(TransportConfiguration.maxBodyBytesInFlight)",
                request: requestDescription)
        }
        if bodyCapExceeded || code == CURLE_FILESIZE_EXCEEDED {
            return TransportError(
                kind: .bodyTooLarge, curlCode: raw,
                detail: "response body is larger than the cap of \(maxBodyBytes) bytes (TransportConfiguration.maxBodyBytes)",
                request: requestDescription)
        }
        let buffered = String(cString: errorBuffer)
        let detail = buffered.isEmpty ? CurlText.describe(code) : buffered.trimmingCharacters(in: .whitespacesAndNewlines)
        return TransportError(kind: TransportError.Kind(curlCode: raw), curlCode: raw, detail: detail, request: requestDescription)
    }

    private static func versionText(_ version: Int) -> String {
        switch version {
        case CURL_HTTP_VERSION_1_0: "1.0"
        case CURL_HTTP_VERSION_1_1: "1.1"
        case CURL_HTTP_VERSION_2_0: "2"
        case CURL_HTTP_VERSION_3: "3"
        default: "unknown"
        }
    }

    // MARK: - Callbacks (loop thread)

    fileprivate func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0 else { return 0 }
        guard let data else { return 0 }
        guard body.count <= maxBodyBytes - count else {
            // Returning less than `count` makes libcurl abort with CURLE_WRITE_ERROR.
            bodyCapExceeded = true
            return 0
        }
        guard budget.reserve(count) else {
            budgetExceeded = true
            return 0
        }
        reserved += count
        body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: count)
        return count
    }

    fileprivate func receiveHeaderLine(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        let bytes = UnsafeRawBufferPointer(start: data, count: count)
        headerParser.consume(line: bytes)
        return count
    }

    // MARK: - Configuration

    private func configure(_ request: HTTPRequest, _ configuration: TransportConfiguration) throws(TransportError) {
        guard CurlGlobal.isReady else {
            throw TransportError(
                kind: .other, curlCode: Int32(bitPattern: CurlGlobal.initResult.rawValue),
                detail: "libcurl failed to initialize (curl_global_init): \(CurlText.describe(CurlGlobal.initResult))",
                request: requestDescription)
        }
        switch request.lowercasedScheme {
        case "http", "https": break
        case let scheme?:
            throw invalid("unsupported URL scheme '\(scheme)'; only http and https are allowed")
        case nil:
            throw invalid("the URL is not absolute; expected http://… or https://…")
        }
        guard !request.url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw invalid("the URL contains spaces or control characters; percent-encode them")
        }
        guard let handle = curl_easy_init() else {
            throw TransportError(kind: .other, detail: "curl_easy_init failed (out of memory?)", request: requestDescription)
        }
        easy = handle

        try set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer), "CURLOPT_ERRORBUFFER")
        try set(CURLOPT_URL, string: request.url, "CURLOPT_URL")
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https", "CURLOPT_PROTOCOLS_STR")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, string: "http,https", "CURLOPT_REDIR_PROTOCOLS_STR")
        try set(CURLOPT_FOLLOWLOCATION, 0, "CURLOPT_FOLLOWLOCATION")

        // TLS: verification is always on; there is deliberately no switch to turn it off.
        try set(CURLOPT_SSL_VERIFYPEER, 1, "CURLOPT_SSL_VERIFYPEER")
        try set(CURLOPT_SSL_VERIFYHOST, 2, "CURLOPT_SSL_VERIFYHOST")
        if let caBundle = configuration.caBundlePath {
            try set(CURLOPT_CAINFO, string: caBundle, "CURLOPT_CAINFO")
        }
        try set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS, "CURLOPT_HTTP_VERSION")
        if request.lowercasedScheme == "https" {
            // Prefer waiting for a connection that may multiplex (HTTP/2, known after ALPN)
            // over opening another. Not for http://: there libcurl only ever speaks 1.1 here,
            // yet with PIPEWAIT it holds every other transfer until the first response ends.
            try set(CURLOPT_PIPEWAIT, 1, "CURLOPT_PIPEWAIT")
        }

        let timeout = request.timeout ?? configuration.requestTimeout
        try set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeout.curlTimeoutMilliseconds, "CURLOPT_CONNECTTIMEOUT_MS")
        try set(CURLOPT_TIMEOUT_MS, timeout.curlTimeoutMilliseconds, "CURLOPT_TIMEOUT_MS")
        if configuration.stallBytesPerSecond > 0 {
            try set(CURLOPT_LOW_SPEED_LIMIT, configuration.stallBytesPerSecond, "CURLOPT_LOW_SPEED_LIMIT")
            try set(CURLOPT_LOW_SPEED_TIME, configuration.stallTimeout.curlTimeoutSeconds, "CURLOPT_LOW_SPEED_TIME")
        }
        let cap = curl_off_t(clamping: max(0, configuration.maxBodyBytes))
        let capCode = ap_easy_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, cap)
        try check(capCode, "CURLOPT_MAXFILESIZE_LARGE")
        try set(CURLOPT_USERAGENT, string: configuration.userAgent, "CURLOPT_USERAGENT")

        let context = Unmanaged.passRetained(self)
        callbackContext = context
        try set(CURLOPT_WRITEDATA, pointer: context.toOpaque(), "CURLOPT_WRITEDATA")
        try set(CURLOPT_HEADERDATA, pointer: context.toOpaque(), "CURLOPT_HEADERDATA")
        try check(ap_easy_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, userdata in
            guard let userdata else { return 0 }
            let (total, overflow) = size.multipliedReportingOverflow(by: count)
            guard !overflow else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue().receiveBody(data, total)
        }, "CURLOPT_WRITEFUNCTION")
        try check(ap_easy_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, userdata in
            guard let userdata else { return 0 }
            let (total, overflow) = size.multipliedReportingOverflow(by: count)
            guard !overflow else { return 0 }
            return Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue().receiveHeaderLine(data, total)
        }, "CURLOPT_HEADERFUNCTION")

        try configureMethodAndBody(request)
        try configureHeaders(request)
    }

    private func configureMethodAndBody(_ request: HTTPRequest) throws(TransportError) {
        if request.method == .get && request.body == nil {
            try set(CURLOPT_HTTPGET, 1, "CURLOPT_HTTPGET")
            return
        }
        if request.method == .delete && request.body == nil {
            try set(CURLOPT_CUSTOMREQUEST, string: "DELETE", "CURLOPT_CUSTOMREQUEST")
            return
        }
        // A body (possibly empty, so PUT/PATCH/POST send "Content-Length: 0").
        let body = request.body ?? Data()
        try check(ap_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
        // COPYPOSTFIELDS copies the bytes, so `body` need not outlive this call.
        let code: CURLcode = body.isEmpty
            ? ap_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            : body.withUnsafeBytes { bytes in
                ap_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        try check(code, "CURLOPT_COPYPOSTFIELDS")
        if request.method != .post {
            try set(CURLOPT_CUSTOMREQUEST, string: request.method.rawValue, "CURLOPT_CUSTOMREQUEST")
        }
    }

    private func configureHeaders(_ request: HTTPRequest) throws(TransportError) {
        var lines: [String] = []
        for header in request.headers {
            // Only the name goes into errors: values may be credentials.
            guard Self.isToken(header.name) else {
                throw invalid("request header name '\(header.name.prefix(64))' is not a valid HTTP token")
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) else {
                throw invalid("the value of request header '\(header.name)' contains a line break or NUL")
            }
            // "Name;" is libcurl's spelling of a header with an empty value ("Name:" removes it).
            lines.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        let names = Set(request.headers.map { $0.name.lowercased() })
        // libcurl would otherwise add "Expect: 100-continue" to larger bodies (a wasted
        // round trip) and label every body as a form ("application/x-www-form-urlencoded").
        if !names.contains("expect") { lines.append("Expect:") }
        if !names.contains("content-type") { lines.append("Content-Type:") }

        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw TransportError(kind: .other, detail: "curl_slist_append failed (out of memory?)", request: requestDescription)
            }
            headerList = appended
        }
        try check(ap_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
    }

    private static func isToken(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        let extra = Set("!#$%&'*+-.^_`|~".utf8)
        return name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || extra.contains(byte)
        }
    }

    // MARK: - setopt helpers

    private func set(_ option: CURLoption, _ value: Int, _ label: String) throws(TransportError) {
        try check(ap_easy_setopt_long(easy, option, value), label)
    }

    private func set(_ option: CURLoption, string value: String, _ label: String) throws(TransportError) {
        try check(ap_easy_setopt_string(easy, option, value), label)
    }

    private func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer, _ label: String) throws(TransportError) {
        try check(ap_easy_setopt_pointer(easy, option, value), label)
    }

    private func check(_ code: CURLcode, _ label: String) throws(TransportError) {
        guard code != CURLE_OK else { return }
        throw TransportError(
            kind: .invalidRequest, curlCode: Int32(bitPattern: code.rawValue),
            detail: "libcurl rejected \(label): \(CurlText.describe(code))",
            request: requestDescription)
    }

    private func invalid(_ detail: String) -> TransportError {
        TransportError(kind: .invalidRequest, detail: detail, request: requestDescription)
    }
}

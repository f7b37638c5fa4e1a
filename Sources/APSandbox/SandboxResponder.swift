import Foundation
import HTTPTypes
import Hummingbird

/// Marks a response for `FaultChannelHandler`, which removes the header and then drops the
/// connection or cuts the body. Only the channel can do either: a route cannot close a
/// connection without answering.
enum FaultMarker {
    static let header = HTTPField.Name("X-Sandbox-Fault")!
    static let drop = "drop"
    static let truncate = "truncate"
}

/// Answers every request: routing, fault injection, auth, then the route's handler.
struct SandboxResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let store: SandboxStore
    let state: SandboxState
    let configuration: SandboxConfiguration
    let webhooks: WebhookReceiver
    static let maxBodyBytes = 4 * 1024 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        let route: Route
        let params: [String]
        switch Route.match(method: method, path: path) {
        case .route(let matched, let matchedParams):
            route = matched
            params = matchedParams
        case .methodNotAllowed(let allowed):
            state.countRequest("unmatched")
            var response = Self.json(APIError(status: 405, code: "method_not_allowed", message: "\(method) is not allowed on \(path); use \(allowed.joined(separator: ", "))"))
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        case .notFound:
            state.countRequest("unmatched")
            return Self.json(APIError(status: 404, code: "not_found", message: "no route \(method) \(path)"))
        }
        state.countRequest(route.rawValue)
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where query[String(key)] == nil {
            query[String(key)] = String(value)
        }

        let decision = state.decide(path: path, isTokenRoute: route == .token, isListRoute: route.isList,
                                    hasAfterCursor: !(query["after"] ?? "").isEmpty)
        if decision.latencyMs > 0 { try? await Task.sleep(for: .milliseconds(decision.latencyMs)) }
        switch decision.fault {
        case .status(let code, let retryAfter, let html):
            state.countFault(ScriptedFault.status(code).kind)
            return Self.faultStatus(code, retryAfter: retryAfter, html: html)
        case .drop:
            state.countFault("drop")
            var response = Response(status: .ok)
            response.headers[FaultMarker.header] = FaultMarker.drop
            return response
        case .revokeTokens:
            state.countFault("revoke_tokens")
            state.revokeCredentials()
        case .endlessBody:
            state.countFault("endless_body")
            return Self.endlessBody()
        default:
            break
        }

        var response: Response
        do {
            response = try await handle(route, params: params, query: query, request: request, fault: decision.fault)
        } catch let error as APIError {
            response = Self.json(error)
        }

        guard (200..<300).contains(response.status.code) else { return response }
        switch decision.fault {
        case .truncate:
            state.countFault("truncate")
            response.headers[FaultMarker.header] = FaultMarker.truncate
        case .stall(let ms):
            state.countFault("stall")
            response = await Self.stalled(response, ms: ms)
        default:
            break
        }
        return response
    }

    // MARK: dispatch

    private func handle(_ route: Route, params: [String], query: [String: String], request: Request, fault: ScriptedFault?) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.maxBodyBytes)
        let bytes = Array(body.readableBytesView)
        if route == .token { return tokenResponse(request: request, body: bytes) }
        // Webhook deliveries authenticate by their signature, not a bearer token.
        if route == .receiveWebhook || route == .listWebhooks { return webhookResponse(route, request: request, body: bytes) }
        try authorize(request)

        var input = APIInput(params: params, query: query)
        if request.method == .post || request.method == .patch, !bytes.isEmpty {
            do {
                input.body = try JSON.parse(bytes)
            } catch {
                throw APIError.badRequest("malformed JSON body: \(error.description)")
            }
        }
        if route.isList, fault == .endlessPages {
            // Before the cursor is parsed: the cursors this fault hands out are its own.
            state.countFault("endless_pages")
            let cursor = JSON.string(state.nextEndlessCursor())
            return Self.json(.object(["data": .array([]), "has_next_page": .bool(true), "has_previous_page": .bool(true),
                                      "start_cursor": cursor, "end_cursor": cursor]))
        }
        var pageRequest: PageRequest?
        if route.isList {
            pageRequest = try PageRequest.parse(query: query, defaultLimit: configuration.defaultPageSize, maxLimit: configuration.maxPageSize)
        }
        let reply: Reply = try await dispatch(route, input)
        switch reply {
        case .json(let status, let json):
            return Self.json(json, status: status)
        case .unpaged(let items):
            return Self.json(.object(["data": .array(items.map(JSON.object))]))
        case .list(let records, let guideArrayKey, let guideBareArray):
            // Only the page's records are encoded, not the whole list.
            let request = pageRequest ?? PageRequest(limit: configuration.defaultPageSize)
            let slice = PageSlice.cut(records, key: { SortKey($0) }, request).map(ListEntry.init)
            return renderPage(slice, request: request, guideArrayKey: guideArrayKey, guideBareArray: guideBareArray, fault: fault) { key in
                records.first { SortKey($0) == key }.map(ListEntry.init)
            }
        case .entries(let entries, let guideArrayKey):
            let request = pageRequest ?? PageRequest(limit: configuration.defaultPageSize)
            let slice = PageSlice.cut(entries, key: \.key, request)
            return renderPage(slice, request: request, guideArrayKey: guideArrayKey, guideBareArray: false, fault: fault) { key in
                entries.first { $0.key == key }
            }
        }
    }

    private func dispatch(_ route: Route, _ input: APIInput) async throws(APIError) -> Reply {
        switch route {
        case .token, .receiveWebhook, .listWebhooks: throw APIError.badRequest("unreachable")
        case .listCustomers: try await store.listCustomers(input)
        case .createCustomer: try await store.createCustomer(input)
        case .getCustomer: try await store.getCustomer(input)
        case .patchCustomer: try await store.patchCustomer(input)
        case .archiveCustomer: try await store.archiveCustomer(input)
        case .restoreCustomer: try await store.restoreCustomer(input)
        case .listCustomerUsers: try await store.listCustomerUsers(input)
        case .createCustomerUser: try await store.createCustomerUser(input)
        case .listPaymentMethods: try await store.listPaymentMethods(input)
        case .getPaymentMethod: try await store.getPaymentMethod(input)
        case .listInvoices: try await store.listInvoices(input)
        case .createInvoice: try await store.createInvoice(input)
        case .getInvoice: try await store.getInvoice(input)
        case .archiveInvoice: try await store.archiveInvoice(input)
        case .invoicePaymentLink: try await store.invoicePaymentLink(input)
        case .invoicePDFLink: try await store.invoicePDFLink(input)
        case .createPaymentRequest: try await store.createPaymentRequest(input)
        case .getPaymentRequest: try await store.getPaymentRequest(input)
        case .listPayments: try await store.listPayments(input)
        case .listPayouts: try await store.listPayouts(input)
        case .getPayout: try await store.getPayout(input)
        case .listPayoutTransactions: try await store.listPayoutTransactions(input)
        case .stagePayment: try await store.stagePayment(input)
        case .stagePayout: try await store.stagePayout(input)
        case .stats: .json(status: 200, state.stats.json)
        }
    }

    // MARK: paging

    /// `recordWithKey(key)` finds the list's record with that key (for `.duplicateIdAcrossPages`).
    private func renderPage(_ slice: PageSlice<ListEntry>, request: PageRequest, guideArrayKey: String, guideBareArray: Bool,
                            fault: ScriptedFault?, recordWithKey: (SortKey) -> ListEntry?) -> Response {
        let shape = state.nextShape(configuration.pageShape)
        var page = PageRendering(slice: slice, shape: shape, guideArrayKey: guideArrayKey)
        switch fault {
        case .repeatCursor:
            state.countFault("repeat_cursor")
            page.hasNext = true
            page.endCursor = request.afterCursor
        case .hasNextWithoutCursor:
            state.countFault("has_next_without_cursor")
            page.hasNext = true
            page.endCursor = nil
        case .duplicateIdAcrossPages:
            // The `after` cursor names the previous page's last record: serve it again first.
            if let after = request.after, let previous = recordWithKey(after) {
                state.countFault("duplicate_id_across_pages")
                page.items.insert(previous, at: 0)
            }
        case .duplicateIdWithinPage:
            if let first = page.items.first {
                state.countFault("duplicate_id_within_page")
                page.items.append(first)
            }
        case .garbagePage:
            state.countFault("garbage_page")
            var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "<<this is not JSON>> {\"data\": [")))
            response.headers[.contentType] = "application/json"
            return response
        case .wrongTypesPage:
            state.countFault("wrong_types_page")
            return Self.json(.object(["data": .string("not an array"), "has_next_page": .string("maybe")]))
        default:
            break
        }
        if shape == .guide, guideBareArray, fault == nil {
            return Self.json(bytes: page.bareArrayBytes)
        }
        return Self.json(bytes: page.bytes)
    }

    // MARK: auth

    private func authorize(_ request: Request) throws(APIError) {
        switch state.check(token: Self.bearerToken(request.headers[.authorization] ?? "")) {
        case .valid: return
        case .missing:
            throw APIError.unauthorized("missing bearer token: send Authorization: Bearer <access_token> from POST /oauth/token")
        case .unknown:
            throw APIError.unauthorized("access token is not valid (never issued or revoked); request a new one from POST /oauth/token")
        case .expired:
            throw APIError.unauthorized("access token expired; request a new one from POST /oauth/token")
        }
    }

    /// The token of a `Bearer` authorization header (scheme case-insensitive, the token trimmed
    /// of whitespace), or nil for another scheme.
    static func bearerToken(_ header: String) -> String? {
        let utf8 = header.utf8
        // The usual header is all ASCII: compare and cut its bytes, without the lower-cased copy
        // and Foundation's trimming that took a tenth of a page reply's CPU time.
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard utf8.count >= 7, zip(utf8.prefix(7), "bearer ".utf8).allSatisfy({ ((0x41...0x5A).contains($0) ? $0 | 0x20 : $0) == $1 }) else { return nil }
            // ASCII whitespace in Foundation's `.whitespaces` is space and tab only.
            let token = utf8.dropFirst(7).drop { $0 == 0x20 || $0 == 0x09 }
            let end = token.lastIndex { $0 != 0x20 && $0 != 0x09 }
            return end.map { String(decoding: token[...$0], as: UTF8.self) } ?? ""
        }
        return header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
    }

    private func tokenResponse(request: Request, body: [UInt8]) -> Response {
        let header = request.headers[.authorization] ?? ""
        guard header.lowercased().hasPrefix("basic ") else {
            return Self.json(APIError(status: 401, code: "invalid_client", message: "missing Basic authorization header with base64(client_id:client_secret)"))
        }
        let encoded = String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let pair = String(data: data, encoding: .utf8),
              let colon = pair.firstIndex(of: ":") else {
            return Self.json(APIError(status: 401, code: "invalid_client", message: "Basic authorization is not base64(client_id:client_secret)"))
        }
        // Constant-time comparison is not needed in a sandbox, but never echo what was sent.
        guard String(pair[..<colon]) == configuration.clientID, String(pair[pair.index(after: colon)...]) == configuration.clientSecret else {
            return Self.json(APIError(status: 401, code: "invalid_client", message: "client credentials are not valid"))
        }
        let form = Self.formFields(body)
        guard let grant = form["grant_type"] else {
            return Self.json(APIError(status: 400, code: "invalid_request", message: "grant_type is required; send grant_type=client_credentials",
                                      validationErrors: [("grant_type", "is required")]))
        }
        guard grant == "client_credentials" else {
            return Self.json(APIError(status: 400, code: "unsupported_grant_type", message: "grant_type must be client_credentials",
                                      validationErrors: [("grant_type", "must be client_credentials")]))
        }
        guard let token = state.issueToken(ttlSeconds: configuration.tokenTTL) else {
            return Self.json(APIError(status: 401, code: "invalid_client", message: "credentials revoked"))
        }
        return Self.json(.object(["access_token": .string(token), "token_type": .string("Bearer"), "expires_in": .integer(Int64(configuration.tokenTTL))]))
    }

    static func formFields(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let key = decode(parts[0])
            if fields[key] == nil { fields[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    // MARK: responses

    static func json(_ value: JSON, status: Int = 200) -> Response {
        json(bytes: value.serialized(), status: status)
    }

    /// A reply of already serialized JSON.
    static func json(bytes: [UInt8], status: Int = 200) -> Response {
        var response = Response(status: HTTPResponse.Status(code: status), body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        response.headers[.contentType] = "application/json"
        return response
    }

    static func json(_ error: APIError) -> Response {
        var response = json(error.body, status: error.status)
        if error.status == 401 { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    static func faultStatus(_ code: Int, retryAfter: String?, html: Bool) -> Response {
        let status = HTTPResponse.Status(code: code)
        var response: Response
        if html {
            let reason = status.reasonPhrase.isEmpty ? "Error" : status.reasonPhrase
            let page = "<html>\r\n<head><title>\(code) \(reason)</title></head>\r\n<body>\r\n<center><h1>\(code) \(reason)</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            response = Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
            response.headers[.contentType] = "text/html"
        } else {
            let code429 = code == 429
            response = json(APIError(status: code, code: code429 ? "rate_limited" : "server_error",
                                     message: code429 ? "rate limit exceeded; retry later" : "unexpected server error (injected by the sandbox); retry later"))
        }
        if let retryAfter { response.headers[.retryAfter] = retryAfter }
        return response
    }

    /// The most an endless body sends before giving up on a client that keeps reading: a
    /// client without a size cap then still gets an end (a truncated, invalid JSON body).
    static let endlessBodyLimit = 1 << 30

    /// 200 JSON, chunked (no Content-Length), `{"data":[` and then filler until the client
    /// closes the connection (the write then throws) or `endlessBodyLimit` is reached.
    static func endlessBody() -> Response {
        var response = Response(status: .ok, body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "{\"data\":["))
            let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: 64 * 1024)
            var sent = 0
            while sent < endlessBodyLimit {
                try await writer.write(chunk)
                sent += chunk.readableBytes
            }
            try await writer.finish(nil)
        })
        response.headers[.contentType] = "application/json"
        return response
    }

    /// Sends half the body, waits `ms`, then the rest, with the full Content-Length up front.
    static func stalled(_ response: Response, ms: Int) async -> Response {
        let collector = BodyCollector()
        try? await response.body.write(CollectingWriter(collector: collector))
        let bytes = collector.buffer
        let half = bytes.readableBytes / 2
        let first = bytes.getSlice(at: bytes.readerIndex, length: half) ?? ByteBuffer()
        let rest = bytes.getSlice(at: bytes.readerIndex + half, length: bytes.readableBytes - half) ?? ByteBuffer()
        var stalled = response
        stalled.body = ResponseBody(contentLength: bytes.readableBytes) { writer in
            try await writer.write(first)
            try await Task.sleep(for: .milliseconds(ms))
            try await writer.write(rest)
            try await writer.finish(nil)
        }
        return stalled
    }
}

/// Gathers a response body into one buffer (to re-send it slowly).
private final class BodyCollector {
    var buffer = ByteBuffer()
}

private struct CollectingWriter: ResponseBodyWriter {
    let collector: BodyCollector
    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        collector.buffer.writeBuffer(&buffer)
    }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

import APTransport
import Foundation
import Logging

/// Typed, read-only client of the Alternative Payments API.
///
/// - Authenticates with OAuth client credentials and keeps the token in memory
///   (`TokenProvider`); a 401 renews it once and retries the call once.
/// - Retries 429/5xx and transient network failures by `RetryPolicy`.
/// - Lists are `PagedRecords` (lazy, page by page); by-id calls return `Fetched<T>` and throw
///   `APIError` of kind `.notFound` on 404.
/// - Every failure is an `APIError` (or `CancellationError`), never containing secrets.
public final class APIClient: Sendable {
    public let configuration: APIClientConfiguration
    private let executor: RequestExecutor
    private let tokens: TokenProvider
    private let observer: ResponseObserver?
    private let statisticsRecorder: StatisticsRecorder
    private let logger: Logger

    /// - Parameters:
    ///   - transport: `CurlTransport` in production; anything conforming in tests or replay.
    ///   - responseObserver: receives each API call's final response (not the token call's).
    ///   - sleep: waits between retries; tests inject a fake that advances a fake clock.
    ///   - now: wall clock for token expiry, the retry budget and HTTP-date Retry-After.
    ///   - random: uniform in `0...1`, for backoff jitter.
    public init(
        configuration: APIClientConfiguration,
        transport: any HTTPTransport,
        logger: Logger = Logger(label: "ap-reconcile.client"),
        responseObserver: ResponseObserver? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.observer = responseObserver
        let statistics = StatisticsRecorder()
        self.statisticsRecorder = statistics
        let executor = RequestExecutor(
            transport: transport, baseURL: configuration.baseURL, userAgent: configuration.userAgent,
            policy: configuration.retryPolicy, sleep: sleep, now: now, random: random, logger: logger,
            statistics: statistics)
        self.executor = executor
        let credentials = configuration.credentials
        tokens = TokenProvider(margin: configuration.tokenSafetyMargin, now: now) {
            try await Self.requestToken(executor: executor, credentials: credentials)
        }
    }

    /// Obtains a token now (or keeps the one held) without calling the API: for a preflight
    /// that tells refused credentials apart from a refused endpoint. Throws `APIError`.
    public func authenticate() async throws {
        _ = try await tokens.token()
    }

    /// What the client has sent so far.
    public var statistics: RequestStatistics { statisticsRecorder.snapshot }

    // MARK: authenticated GET

    enum NotFoundMeaning {
        /// A by-id lookup: the record does not exist.
        case missingRecord
        /// A fixed path: the base URL probably points somewhere else.
        case wrongBaseURL
    }

    /// GETs `endpoint` with a bearer token and returns a 2xx response, with the secrets the call
    /// could expose (for errors made from the body later); maps anything else to `APIError`.
    func get(_ endpoint: Endpoint, notFound: NotFoundMeaning) async throws -> (response: HTTPResponse, redaction: Redaction) {
        var refreshed = false
        // Tokens used by this call; a server echoing one back must not put it into an error.
        var used: [String] = []
        while true {
            let token = try await tokens.token()
            used.append(token.value)
            let result: RequestExecutor.Result
            do {
                result = try await executor.send(endpoint, headers: [HTTPHeader("Authorization", "Bearer " + token.value)])
            } catch let error as APIError {
                throw error.redacting(Redaction(used + configuration.credentials.secrets))
            }
            let response = result.response
            if response.status == 401 && !refreshed {
                // The token expired early or was revoked: renew once, then give up.
                refreshed = true
                statisticsRecorder.update { $0.unauthorizedRefreshes += 1 }
                logger.debug("token refused, renewing", metadata: ["endpoint": "\(endpoint.template)"])
                await tokens.invalidate(token)
                continue
            }
            observer?(ObservedResponse(method: "GET", pathAndQuery: endpoint.pathAndQuery, status: response.status,
                                       headers: response.headers.withoutCredentials, body: response.body))
            let redaction = Redaction(used + configuration.credentials.secrets)
            if (200..<300).contains(response.status) { return (response, redaction) }
            throw Self.failure(response, endpoint: endpoint, attempts: result.attempts, notFound: notFound, redaction: redaction)
                .redacting(redaction)
        }
    }

    static func failure(_ response: HTTPResponse, endpoint: Endpoint, attempts: Int, notFound: NotFoundMeaning,
                        redaction: Redaction) -> APIError {
        let status = response.status
        let kind: APIError.Kind
        let detail: String
        let hint: String
        switch status {
        case 401:
            kind = .authentication
            detail = "the API refused a freshly issued token"
            hint = "check AP_CLIENT_ID / AP_CLIENT_SECRET and that the client may use this API"
        case 403:
            kind = .permission
            detail = "the credentials are not allowed to read this"
            hint = "ask the account administrator to grant the client read access to this endpoint"
        case 404:
            switch notFound {
            case .missingRecord:
                kind = .notFound
                detail = "no such record"
                hint = "check the id; the record may have been deleted"
            case .wrongBaseURL:
                kind = .configuration
                detail = "the endpoint does not exist at this base URL"
                hint = "check the base URL (it should be the API root, e.g. https://public-api.alternativepayments.io)"
            }
        case 429:
            kind = .rateLimited
            detail = "the API kept rate-limiting the client"
            hint = "run again later, or ask the provider for a higher rate limit"
        case 500...599:
            kind = .unavailable
            detail = "the API kept failing"
            hint = "the provider is having trouble; run again later"
        case 300...399:
            kind = .configuration
            detail = "the API answered with a redirect, which the client does not follow"
            hint = "check the base URL (scheme and host); use the address the redirect points to"
        case 400...499:
            kind = .clientError
            detail = "the API refused the request"
            hint = "this is a client bug or an API change; report it with this message"
        default:
            kind = .protocolViolation
            detail = "the API answered with an unexpected status"
            hint = PageDecoder.protocolHint
        }
        return makeError(kind, response: response, endpoint: endpoint, attempts: attempts, detail: detail, hint: hint,
                         redaction: redaction)
    }

    static func makeError(_ kind: APIError.Kind, response: HTTPResponse, endpoint: Endpoint, attempts: Int,
                          detail: String, hint: String, redaction: Redaction) -> APIError {
        let body = ErrorBody.parse(response.body, redaction: redaction)
        return APIError(kind: kind, endpoint: endpoint.template, path: endpoint.pathAndQuery, status: response.status,
                        apiCode: body.code, apiMessage: body.message, validationErrors: body.validationErrors,
                        bodyExcerpt: body.excerpt, attempts: attempts, detail: detail, hint: hint)
    }

    // MARK: token

    static func requestToken(executor: RequestExecutor, credentials: ClientCredentials) async throws -> TokenResponse {
        let endpoint = Endpoint.token
        let basic = credentials.basicAuthorization
        let secrets = Redaction(credentials.secrets)
        let result: RequestExecutor.Result
        do {
            result = try await executor.send(
                endpoint, method: .post,
                headers: [HTTPHeader("Authorization", basic), HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
                body: Data("grant_type=client_credentials".utf8), isTokenRequest: true)
        } catch let error as APIError {
            throw error.redacting(secrets)
        }
        let response = result.response
        let failure: APIError
        switch response.status {
        case 200..<300:
            switch TokenResponse.parse(response.body) {
            case .success(let token): return token
            case .failure(let problem):
                // The body is not quoted: it may hold a token.
                throw APIError(kind: .protocolViolation, endpoint: endpoint.template, path: endpoint.path,
                               status: response.status, attempts: result.attempts, detail: problem.detail,
                               hint: "the token endpoint broke the OAuth contract; check the base URL or report it to the provider")
            }
        case 400, 401:
            failure = makeError(.authentication, response: response, endpoint: endpoint, attempts: result.attempts,
                                detail: "the token endpoint refused the client credentials",
                                hint: "check AP_CLIENT_ID / AP_CLIENT_SECRET", redaction: secrets)
        case 403:
            failure = makeError(.permission, response: response, endpoint: endpoint, attempts: result.attempts,
                                detail: "the client is not allowed to obtain a token",
                                hint: "ask the account administrator to enable API access for this client", redaction: secrets)
        default:
            failure = Self.failure(response, endpoint: endpoint, attempts: result.attempts, notFound: .wrongBaseURL,
                                   redaction: secrets)
        }
        throw failure.redacting(secrets)
    }

    // MARK: paging

    func list<Record: APIRecord>(_ type: Record.Type, _ base: Endpoint, notFound: NotFoundMeaning = .wrongBaseURL,
                                 query: [(String, String?)] = []) -> PagedRecords<Record> {
        var endpoint = base
        for (name, value) in query { endpoint = endpoint.with(name, value) }
        endpoint = endpoint.with("limit", String(configuration.pageSize))
        let first = endpoint
        return PagedRecords(endpoint: base.template, maxPages: configuration.maxPages) { [self] cursor in
            let page = first.with("after", cursor)
            let (response, redaction) = try await get(page, notFound: notFound)
            do {
                return try PageDecoder.decode(Record.self, from: response.body, endpoint: page.template, cursor: cursor,
                                              redacting: redaction.secrets)
            } catch let error as APIError {
                var located = error
                located.path = page.pathAndQuery
                located.status = response.status
                throw located.redacting(redaction)
            }
        }
    }

    func single<Record: APIRecord>(_ type: Record.Type, _ endpoint: Endpoint) async throws -> Fetched<Record> {
        let (response, redaction) = try await get(endpoint, notFound: .missingRecord)
        do {
            return try PageDecoder.decodeSingle(Record.self, from: response.body, endpoint: endpoint.template,
                                                redacting: redaction.secrets)
        } catch {
            var located = error
            located.path = endpoint.pathAndQuery
            located.status = response.status
            throw located.redacting(redaction)
        }
    }

    static func requireID(_ id: String, _ template: String) throws {
        guard !id.isEmpty else { throw emptyID(template) }
    }

    /// An empty id would turn `/payouts/{id}` into the list endpoint, so it is refused.
    static func emptyID(_ template: String) -> APIError {
        APIError(kind: .clientError, endpoint: template, detail: "the id is empty",
                 hint: "a record with an empty id cannot be looked up; check the data that referenced it")
    }
}

import APClient
import APTransport
import Foundation
import Synchronization

/// An in-memory transport: a queue of canned replies per request target, recording every
/// request it saw. A target is `"METHOD /path?query"` relative to `baseURL`.
final class ScriptedTransport: HTTPTransport {
    enum Reply: Sendable {
        case response(HTTPResponse)
        case failure(TransportError.Kind)
    }

    struct State {
        var queues: [String: [Reply]] = [:]
        var requests: [HTTPRequest] = []
        var tokenCount = 0
    }

    let baseURL: String
    /// When no token reply is scripted, answer with `token-N` valid for this many seconds.
    let defaultTokenLifetime: Int?
    /// Real time the default token reply takes, so concurrent callers overlap with it.
    let tokenLatency: Duration
    private let state = Mutex(State())

    init(baseURL: String = "https://api.test", defaultTokenLifetime: Int? = 3600, tokenLatency: Duration = .zero) {
        self.baseURL = baseURL
        self.defaultTokenLifetime = defaultTokenLifetime
        self.tokenLatency = tokenLatency
    }

    func enqueue(_ target: String, _ replies: Reply...) {
        state.withLock { $0.queues[target, default: []].append(contentsOf: replies) }
    }

    func enqueue(_ target: String, status: Int = 200, json: String, headers: [HTTPHeader] = []) {
        enqueue(target, .response(HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Data(json.utf8))))
    }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }
    /// `"GET /payouts?limit=100"` per request, in order.
    var targets: [String] { requests.map { "\($0.method.rawValue) \($0.url.dropFirst(baseURL.count))" } }
    var unusedReplies: [String: Int] { state.withLock { $0.queues.filter { !$0.value.isEmpty }.mapValues(\.count) } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let target = "\(request.method.rawValue) \(request.url.dropFirst(baseURL.count))"
        let (reply, tokenNumber): (Reply?, Int?) = state.withLock { s in
            s.requests.append(request)
            if var queue = s.queues[target], !queue.isEmpty {
                let first = queue.removeFirst()
                s.queues[target] = queue
                return (first, nil)
            }
            if target == "POST /oauth/token", defaultTokenLifetime != nil {
                s.tokenCount += 1
                return (nil, s.tokenCount)
            }
            return (nil, nil)
        }
        if let tokenNumber, let lifetime = defaultTokenLifetime {
            if tokenLatency > .zero { try? await Task.sleep(for: tokenLatency) }
            let body = #"{"access_token":"token-\#(tokenNumber)","token_type":"Bearer","expires_in":\#(lifetime)}"#
            return HTTPResponse(status: 200, headers: HTTPHeaders([HTTPHeader("Content-Type", "application/json")]), body: Data(body.utf8))
        }
        switch reply {
        case .response(let response)?:
            return response
        case .failure(let kind)?:
            throw TransportError(kind: kind, detail: "scripted \(kind.rawValue)", request: target)
        case nil:
            throw TransportError(kind: .other, detail: "no scripted reply", request: target)
        }
    }
}

/// A wall clock that only moves when the fake sleep is called.
final class FakeClock: Sendable {
    private let state: Mutex<(now: Date, sleeps: [Duration])>

    init(start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        state = Mutex((start, []))
    }

    var now: Date { state.withLock { $0.now } }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func advance(by d: Duration) {
        state.withLock {
            $0.now = $0.now.addingTimeInterval(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
    }

    func sleep(_ d: Duration) {
        state.withLock { $0.sleeps.append(d) }
        advance(by: d)
    }
}

enum Fixture {
    static let secret = "s3cr3t-VALUE-9f8e7d"
    static let clientID = "client-abc"
    static let credentials = ClientCredentials(clientID: clientID, clientSecret: secret)
    static var basicBase64: String { Data("\(clientID):\(secret)".utf8).base64EncodedString() }

    static func configuration(pageSize: Int = 100, maxPages: Int = 100_000, policy: RetryPolicy = RetryPolicy(),
                              margin: Duration = .seconds(30)) throws -> APIClientConfiguration {
        try APIClientConfiguration(baseURL: "https://api.test/", credentials: credentials, pageSize: pageSize,
                                   retryPolicy: policy, tokenSafetyMargin: margin, maxPages: maxPages)
    }

    /// A client over `transport` with a fake clock and sleep and jitter fixed at `random`.
    static func client(_ transport: ScriptedTransport, clock: FakeClock = FakeClock(), random: Double = 0,
                       configuration: APIClientConfiguration? = nil, observer: ResponseObserver? = nil) throws -> APIClient {
        APIClient(configuration: try configuration ?? Self.configuration(), transport: transport, responseObserver: observer,
                  sleep: { clock.sleep($0) }, now: { clock.now }, random: { random })
    }

    static func payout(_ id: String, amount: Int = 100) -> String {
        #"{"id":"\#(id)","status":"succeeded","amount":\#(amount),"currency":"USD","created_at":"2024-01-10T15:00:00Z"}"#
    }

    static func transaction(_ id: String) -> String {
        #"{"id":"\#(id)","status":"succeeded","amount":5000,"currency":"USD","type":"payment","direction":"inbound"}"#
    }

    static func html(_ status: Int) -> ScriptedTransport.Reply {
        .response(HTTPResponse(status: status, headers: HTTPHeaders([HTTPHeader("Content-Type", "text/html")]),
                               body: Data("<html>\n<head><title>\(status) Bad Gateway</title></head>\n<body>nginx</body></html>".utf8)))
    }

    static func status(_ status: Int, json: String = "", headers: [HTTPHeader] = []) -> ScriptedTransport.Reply {
        .response(HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Data(json.utf8)))
    }
}

extension Fetched {
    var unreadableRecord: UnreadableRecord? {
        if case .unreadable(let u) = self { return u }
        return nil
    }
}

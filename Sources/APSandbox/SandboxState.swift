import NIOConcurrencyHelpers

/// What one request will suffer, decided before it is handled.
struct FaultDecision: Sendable {
    var latencyMs: Int = 0
    /// A fault that replaces the response (status, drop, revoke) or alters it (truncate, stall, protocol).
    var fault: ScriptedFault?
}

/// State shared between the request handlers and the NIO channel handlers: counters,
/// tokens, fault settings, the fault PRNG and the scripted queue. Kept behind a lock
/// (not in the store actor) because channel handlers run synchronously on event loops.
final class SandboxState: Sendable {
    private struct Scripted {
        var fault: ScriptedFault
        var pathPrefix: String
        var remaining: Int
    }

    private struct Locked {
        var faults: FaultConfiguration
        var rng: SplitMix64
        var queue: [Scripted] = []
        var stats = SandboxStats()
        var tokens: [String: ContinuousClock.Instant] = [:]
        var credentialsRevoked = false
        var alternatingCounter = 0
        var endlessCursorCounter = 0
        /// Every token ever issued, in order (`tokens` forgets revoked ones).
        var issued: [String] = []
        var dateHeader: String?
    }

    private let box: NIOLockedValueBox<Locked>

    init(faults: FaultConfiguration, seed: UInt64) {
        box = NIOLockedValueBox(Locked(faults: faults, rng: SplitMix64(seed: seed)))
    }

    // MARK: stats

    var stats: SandboxStats { box.withLockedValue { $0.stats } }

    func countRequest(_ route: String) {
        box.withLockedValue { $0.stats.requestsByRoute[route, default: 0] += 1 }
    }

    func countConnection() {
        box.withLockedValue { $0.stats.connectionsAccepted += 1 }
    }

    func countFault(_ kind: String) {
        box.withLockedValue { $0.stats.faultsInjected[kind, default: 0] += 1 }
    }

    // MARK: faults

    var faults: FaultConfiguration {
        get { box.withLockedValue { $0.faults } }
        set { box.withLockedValue { $0.faults = newValue } }
    }

    func enqueue(_ fault: ScriptedFault, matching pathPrefix: String, count: Int) {
        guard count > 0 else { return }
        box.withLockedValue { $0.queue.append(Scripted(fault: fault, pathPrefix: pathPrefix, remaining: count)) }
    }

    var pendingScriptedFaults: Int { box.withLockedValue { $0.queue.reduce(0) { $0 + $1.remaining } } }

    func clearScriptedFaults() { box.withLockedValue { $0.queue.removeAll() } }

    /// Takes the first queued fault that applies to this request, else draws a random one.
    /// Protocol faults apply only to list routes, and the cursor-based ones only to pages
    /// after the first; a request they do not apply to leaves them queued.
    func decide(path: String, isTokenRoute: Bool, isListRoute: Bool, hasAfterCursor: Bool) -> FaultDecision {
        box.withLockedValue { state in
            var decision = FaultDecision(latencyMs: state.faults.latencyMs)
            if let index = state.queue.firstIndex(where: { entry in
                guard path.hasPrefix(entry.pathPrefix) else { return false }
                switch entry.fault {
                case .repeatCursor, .duplicateIdAcrossPages: return isListRoute && hasAfterCursor
                case .hasNextWithoutCursor, .duplicateIdWithinPage, .garbagePage, .wrongTypesPage, .endlessPages: return isListRoute
                default: return true
                }
            }) {
                decision.fault = state.queue[index].fault
                state.queue[index].remaining -= 1
                if state.queue[index].remaining == 0 { state.queue.remove(at: index) }
                return decision
            }
            if isTokenRoute, !state.faults.faultsOnTokenEndpoint { return decision }
            let f = state.faults
            guard f.errorRate + f.rateLimitRate + f.dropRate + f.truncateRate + f.stallRate > 0 else { return decision }
            // One draw per request picks at most one fault kind; a second draw, only when an
            // error is picked, chooses its status. Same seed + same request order → same faults.
            let u = state.rng.nextUnit()
            var threshold = f.errorRate
            if u < threshold {
                let status = [500, 502, 503][Int(state.rng.next(below: 3))]
                decision.fault = .status(status, retryAfter: nil, html: f.htmlErrors)
                return decision
            }
            threshold += f.rateLimitRate
            if u < threshold {
                decision.fault = .status(429, retryAfter: f.retryAfterSeconds.map(String.init), html: f.htmlErrors)
                return decision
            }
            threshold += f.dropRate
            if u < threshold { decision.fault = .drop; return decision }
            threshold += f.truncateRate
            if u < threshold { decision.fault = .truncate; return decision }
            threshold += f.stallRate
            if u < threshold { decision.fault = .stall(ms: f.stallMs); return decision }
            return decision
        }
    }

    /// The shape of the next list reply (flips per list request when alternating).
    func nextShape(_ configured: PageShape) -> PageShape {
        guard configured == .alternating else { return configured }
        return box.withLockedValue { state in
            defer { state.alternatingCounter += 1 }
            return state.alternatingCounter % 2 == 0 ? .openapi : .guide
        }
    }

    /// A cursor no page has sent before, for `.endlessPages`.
    func nextEndlessCursor() -> String {
        box.withLockedValue { state in
            state.endlessCursorCounter += 1
            return "endless_\(state.endlessCursorCounter)"
        }
    }

    /// The `Date` header every response carries instead of the server's clock (nil: the real
    /// time), to stand in for a server whose clock differs from the client's.
    var dateHeader: String? {
        get { box.withLockedValue { $0.dateHeader } }
        set { box.withLockedValue { $0.dateHeader = newValue } }
    }

    // MARK: tokens

    enum TokenCheck: Equatable { case valid, missing, unknown, expired }

    var credentialsRevoked: Bool { box.withLockedValue { $0.credentialsRevoked } }

    /// Nil when credentials are revoked.
    func issueToken(ttlSeconds: Int) -> String? {
        var generator = SystemRandomNumberGenerator()
        let token = "sbx_" + (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
        let expiry = ContinuousClock.now.advanced(by: .seconds(ttlSeconds))
        return box.withLockedValue { state in
            guard !state.credentialsRevoked else { return nil }
            state.tokens[token] = expiry
            state.issued.append(token)
            state.stats.tokensIssued += 1
            return token
        }
    }

    var issuedTokens: [String] { box.withLockedValue { $0.issued } }

    func check(token: String?) -> TokenCheck {
        guard let token, !token.isEmpty else { return .missing }
        let now = ContinuousClock.now
        return box.withLockedValue { state in
            guard let expiry = state.tokens[token] else { return .unknown }
            return now < expiry ? .valid : .expired
        }
    }

    func revokeCredentials() {
        box.withLockedValue { state in
            state.tokens.removeAll()
            state.credentialsRevoked = true
        }
    }

    func reinstateCredentials() {
        box.withLockedValue { $0.credentialsRevoked = false }
    }

    /// Makes every issued token expired, as if its TTL had run out.
    func expireAllTokens() {
        let now = ContinuousClock.now
        box.withLockedValue { state in
            for key in state.tokens.keys { state.tokens[key] = now }
        }
    }
}

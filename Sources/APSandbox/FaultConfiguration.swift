/// Random faults, drawn per request from a PRNG seeded with `SandboxConfiguration.faultSeed`,
/// so a run with the same seed and the same request order sees the same faults.
/// Rates are probabilities in 0...1; at most one fault kind is injected per request.
public struct FaultConfiguration: Sendable, Equatable {
    /// Added to every request before it is answered (0 = none).
    public var latencyMs: Int
    /// Share of requests answered 500, 502 or 503.
    public var errorRate: Double
    /// Error pages are text/html like a proxy's instead of JSON `{"code","message"}`.
    public var htmlErrors: Bool
    /// Share of requests answered 429.
    public var rateLimitRate: Double
    /// The `Retry-After` header of random 429s, in seconds (nil = no header).
    public var retryAfterSeconds: Int?
    /// Share of requests whose connection is closed without any response.
    public var dropRate: Double
    /// Share of requests answered 200 with the full Content-Length but only part of the body.
    public var truncateRate: Double
    /// Share of requests whose body stops for `stallMs` midway.
    public var stallRate: Double
    public var stallMs: Int
    /// Whether POST /oauth/token is subject to the random faults too.
    public var faultsOnTokenEndpoint: Bool

    public init(
        latencyMs: Int = 0,
        errorRate: Double = 0,
        htmlErrors: Bool = false,
        rateLimitRate: Double = 0,
        retryAfterSeconds: Int? = 1,
        dropRate: Double = 0,
        truncateRate: Double = 0,
        stallRate: Double = 0,
        stallMs: Int = 2000,
        faultsOnTokenEndpoint: Bool = true
    ) {
        self.latencyMs = latencyMs
        self.errorRate = errorRate
        self.htmlErrors = htmlErrors
        self.rateLimitRate = rateLimitRate
        self.retryAfterSeconds = retryAfterSeconds
        self.dropRate = dropRate
        self.truncateRate = truncateRate
        self.stallRate = stallRate
        self.stallMs = stallMs
        self.faultsOnTokenEndpoint = faultsOnTokenEndpoint
    }

    public static let none = FaultConfiguration()

    /// Problems with the rates, in words; empty when valid.
    public var problems: [String] {
        var problems: [String] = []
        let rates = [("error rate", errorRate), ("rate-limit rate", rateLimitRate), ("drop rate", dropRate),
                     ("truncate rate", truncateRate), ("stall rate", stallRate)]
        for (name, rate) in rates where !(0...1).contains(rate) {
            problems.append("\(name) \(rate) is outside 0...1")
        }
        if rates.map(\.1).reduce(0, +) > 1 { problems.append("the fault rates add up to more than 1") }
        if latencyMs < 0 { problems.append("latency \(latencyMs) ms is negative") }
        if stallMs < 0 { problems.append("stall \(stallMs) ms is negative") }
        if let retryAfterSeconds, retryAfterSeconds < 0 { problems.append("Retry-After \(retryAfterSeconds) s is negative") }
        return problems
    }
}

/// A fault for exactly the next matching request(s), queued with
/// `RunningSandbox.enqueue(_:matching:count:)`. Scripted faults win over random ones.
public enum ScriptedFault: Sendable, Equatable {
    /// Answer with this status; JSON `{"code","message"}` body, or an HTML page when `html`.
    case status(Int, retryAfter: String? = nil, html: Bool = false)
    /// Close the connection without any response.
    case drop
    /// 200 with the full Content-Length, half the body, then close.
    case truncate
    /// Send half the body, pause this long, then the rest.
    case stall(ms: Int)
    /// Every issued token becomes invalid and POST /oauth/token answers 401 until
    /// `RunningSandbox.reinstateCredentials()`.
    case revokeTokens
    // Protocol faults: apply to list routes only (other routes do not consume them).
    /// The page answers has_next_page true with the cursor the client sent (first pages,
    /// which carry no cursor, pass through and do not consume the fault).
    case repeatCursor
    /// has_next_page true with no end_cursor.
    case hasNextWithoutCursor
    /// The page starts with the last record of the previous page again (needs `after`).
    case duplicateIdAcrossPages
    /// The page lists its first record a second time, at its end (any page with a record).
    case duplicateIdWithinPage
    /// 200, Content-Type application/json, body that is not JSON.
    case garbagePage
    /// 200 with `"data"` as a string.
    case wrongTypesPage
    /// An empty page with `has_next_page: true` and a cursor never sent before, on every page
    /// from this one on (enqueue it with a large count): a listing that never ends. Tests a
    /// client's page-count cap.
    case endlessPages
    /// 200 `application/json` with no Content-Length, streaming `{"data":[` and then filler
    /// until the client hangs up (or 1 GiB): a body that never ends. Tests a client's size cap.
    case endlessBody

    /// The name used in `SandboxStats.faultsInjected`.
    public var kind: String {
        switch self {
        case .status(let code, _, _): code == 429 ? "rate_limit" : "status_\(code)"
        case .drop: "drop"
        case .truncate: "truncate"
        case .stall: "stall"
        case .revokeTokens: "revoke_tokens"
        case .repeatCursor: "repeat_cursor"
        case .hasNextWithoutCursor: "has_next_without_cursor"
        case .duplicateIdAcrossPages: "duplicate_id_across_pages"
        case .duplicateIdWithinPage: "duplicate_id_within_page"
        case .garbagePage: "garbage_page"
        case .wrongTypesPage: "wrong_types_page"
        case .endlessPages: "endless_pages"
        case .endlessBody: "endless_body"
        }
    }

    var isProtocolFault: Bool {
        switch self {
        case .repeatCursor, .hasNextWithoutCursor, .duplicateIdAcrossPages, .duplicateIdWithinPage, .garbagePage, .wrongTypesPage, .endlessPages: true
        default: false
        }
    }
}

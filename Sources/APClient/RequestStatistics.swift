import Synchronization

/// Counters of what the client sent, as a snapshot.
public struct RequestStatistics: Sendable, Hashable {
    /// HTTP requests sent per endpoint template (each attempt counts), token endpoint excluded.
    public var requestsByEndpoint: [String: Int] = [:]
    /// Retries per endpoint template (token endpoint included as `POST /oauth/token`).
    public var retriesByEndpoint: [String: Int] = [:]
    /// HTTP requests sent to the token endpoint.
    public var tokenRequests = 0
    /// Times a 401 made the client drop its token and fetch a new one.
    public var unauthorizedRefreshes = 0
    /// New connections the transport reported opening.
    public var connectionsOpened = 0

    public init() {}

    public var totalRequests: Int { requestsByEndpoint.values.reduce(0, +) + tokenRequests }
}

/// Thread-safe accumulation of `RequestStatistics`.
final class StatisticsRecorder: Sendable {
    private let state = Mutex(RequestStatistics())

    func update(_ body: (inout RequestStatistics) -> Void) {
        state.withLock { body(&$0) }
    }

    var snapshot: RequestStatistics { state.withLock { $0 } }
}

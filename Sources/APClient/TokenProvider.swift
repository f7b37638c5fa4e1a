import Foundation

/// Keeps the bearer token in memory and renews it when `TokenLifetime` says so.
/// Concurrent callers share one in-flight request (single flight).
actor TokenProvider {
    /// Requests a token: its value and `expires_in` seconds.
    typealias Fetch = @Sendable () async throws -> TokenResponse

    private let fetch: Fetch
    private let now: @Sendable () -> Date
    private let margin: Duration
    private var current: AccessToken?
    private var inFlight: Task<AccessToken, any Error>?
    private var serial = 0

    init(margin: Duration, now: @escaping @Sendable () -> Date, fetch: @escaping Fetch) {
        self.margin = margin
        self.now = now
        self.fetch = fetch
    }

    /// The current token, or a fresh one. A freshly fetched token is returned even when its
    /// life is shorter than the margin: it is the best there is.
    func token() async throws -> AccessToken {
        if let current, now() < current.renewAfter { return current }
        if let inFlight { return try await inFlight.value }
        serial += 1
        let task = Task { [fetch, now, margin, serial] in
            let reply = try await fetch()
            let usable = TokenLifetime.usable(expiresIn: .seconds(reply.expiresIn), configuredMargin: margin)
            let seconds = Double(usable.components.seconds) + Double(usable.components.attoseconds) / 1e18
            return AccessToken(value: reply.accessToken, renewAfter: now().addingTimeInterval(seconds), serial: serial)
        }
        inFlight = task
        do {
            let token = try await task.value
            if inFlight == task {
                inFlight = nil
                current = token
            }
            return token
        } catch {
            if inFlight == task { inFlight = nil }
            throw error
        }
    }

    /// Forgets `token` after the API refused it — unless a newer one already replaced it.
    func invalidate(_ token: AccessToken) {
        if current?.serial == token.serial { current = nil }
    }
}

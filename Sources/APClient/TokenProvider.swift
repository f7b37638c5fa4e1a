import Foundation
import Synchronization

/// Keeps the bearer token in memory and renews it when `TokenLifetime` says so.
/// Concurrent callers share one in-flight request (single flight).
actor TokenProvider {
    /// Requests a token: its value and `expires_in` seconds.
    typealias Fetch = @Sendable () async throws -> TokenResponse

    private let fetch: Fetch
    private let now: @Sendable () -> Date
    private let margin: Duration
    private var current: AccessToken?
    private var inFlight: SharedFetch?
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
        // A fetch every waiter gave up on was cancelled: start another rather than share its failure.
        if let inFlight, !inFlight.task.isCancelled { return try await inFlight.value() }
        serial += 1
        let task = Task { [fetch, now, margin, serial] in
            let reply = try await fetch()
            let usable = TokenLifetime.usable(expiresIn: .seconds(reply.expiresIn), configuredMargin: margin)
            let seconds = Double(usable.components.seconds) + Double(usable.components.attoseconds) / 1e18
            return AccessToken(value: reply.accessToken, renewAfter: now().addingTimeInterval(seconds), serial: serial)
        }
        let shared = SharedFetch(task)
        inFlight = shared
        do {
            let token = try await shared.value()
            if inFlight === shared {
                inFlight = nil
                current = token
            }
            return token
        } catch {
            if inFlight === shared { inFlight = nil }
            throw error
        }
    }

    /// Forgets `token` after the API refused it — unless a newer one already replaced it.
    func invalidate(_ token: AccessToken) {
        if current?.serial == token.serial { current = nil }
    }
}

/// One token request shared by every caller waiting for it. It runs in its own task (callers
/// come and go), so it does not inherit their cancellation: when every waiter has been cancelled
/// (the run was stopped) the request is cancelled too, instead of holding the run until the
/// token endpoint answers.
final class SharedFetch: Sendable {
    let task: Task<AccessToken, any Error>
    /// Callers waiting now, and which of them were cancelled (by the id each got on arrival).
    private let waiters = Mutex<(waiting: Int, cancelled: Set<Int>, lastID: Int)>((0, [], 0))

    init(_ task: Task<AccessToken, any Error>) {
        self.task = task
    }

    func value() async throws -> AccessToken {
        let id = waiters.withLock { w in
            w.waiting += 1
            w.lastID += 1
            return w.lastID
        }
        defer {
            waiters.withLock { w in
                w.waiting -= 1
                w.cancelled.remove(id)
            }
        }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            let everyone = waiters.withLock { w in
                w.cancelled.insert(id)
                return w.cancelled.count == w.waiting
            }
            if everyone { task.cancel() }
        }
    }
}

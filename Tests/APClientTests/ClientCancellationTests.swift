import APClient
import APTransport
import Foundation
import Synchronization
import Testing

/// A stopped run (SIGINT/SIGTERM cancel its task) must not wait for a slow token endpoint:
/// the shared token request is cancelled once every caller waiting for it has been.
@Suite struct ClientCancellationTests {
    /// Answers POST /oauth/token only when the request is cancelled (or after 20 s, so a
    /// regression fails the test instead of hanging it); records whether it was cancelled.
    final class HangingTokenTransport: HTTPTransport {
        let started = Mutex(false)
        let cancelled = Mutex(false)

        func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            started.withLock { $0 = true }
            do {
                try await Task.sleep(for: .seconds(20))
            } catch {
                cancelled.withLock { $0 = true }
                throw TransportError(kind: .cancelled, detail: "cancelled", request: "POST /oauth/token")
            }
            throw TransportError(kind: .other, detail: "the token request was never cancelled", request: "POST /oauth/token")
        }
    }

    @Test func cancellingEveryCallerCancelsTheSharedTokenRequest() async throws {
        let transport = HangingTokenTransport()
        let client = APIClient(configuration: try Fixture.configuration(), transport: transport)
        let callers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { _ = try await client.payouts().collect() } }
                try await group.waitForAll()
            }
        }
        while !transport.started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        callers.cancel()
        let outcome = await callers.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(transport.cancelled.withLock { $0 })
    }
}

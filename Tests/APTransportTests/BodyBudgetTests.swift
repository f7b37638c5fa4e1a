import APTransport
import Foundation
import Testing

/// The transport-wide budget for response bodies in flight (`maxBodyBytesInFlight`).
@Suite struct BodyBudgetTests {
    static let budgetDetail = "the response bodies in flight together would exceed the transport's budget of 15000 bytes (TransportConfiguration.maxBodyBytesInFlight)"

    func send(_ transport: CurlTransport, _ url: String) async -> Result<APTransport.HTTPResponse, TransportError> {
        do {
            return .success(try await transport.send(.init(url: url)))
        } catch {
            return .failure(error)
        }
    }

    @Test func bodiesWithinTheBudgetPassAndGiveTheirBytesBack() async throws {
        let server = try await TestRoutes.start()
        var configuration = TransportConfiguration()
        configuration.maxBodyBytesInFlight = 15_000
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }
        // Two 10 000-byte bodies one after the other: together above the budget, so the second
        // passes only if the first gave its bytes back when it ended.
        for _ in 0..<2 {
            let response = try await transport.send(.init(url: "\(server.base)/big/10000"))
            #expect(response.body.count == 10_000)
            #expect(transport.bodyBytesInFlight == 0)
        }
        await server.stop()
    }

    @Test func aBodyBeyondTheBudgetFailsAsTooLarge() async throws {
        let server = try await TestRoutes.start()
        var configuration = TransportConfiguration()
        configuration.maxBodyBytesInFlight = 15_000
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }
        guard case .failure(let error) = await send(transport, "\(server.base)/stream/20000") else {
            Issue.record("expected the budget to stop the transfer")
            return
        }
        #expect(error.kind == .bodyTooLarge)
        #expect(error.detail == Self.budgetDetail)
        #expect(transport.bodyBytesInFlight == 0)
        // The transport goes on.
        #expect(try await transport.send(.init(url: "\(server.base)/big/100")).body.count == 100)
        await server.stop()
    }

    /// One transfer holds 10 bytes while its server stalls; a second one needing 10 more does
    /// not fit the 15-byte budget and fails; the first then completes.
    @Test func theBudgetIsSharedByTransfersInFlight() async throws {
        let server = try await TestRoutes.start()
        var configuration = TransportConfiguration()
        configuration.maxBodyBytesInFlight = 15
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }
        let stalled = Task { await send(transport, "\(server.base)/stall") }
        // Waits (polling, bounded) until the first transfer holds its 10 bytes; asserts no duration.
        var waited = 0
        while transport.bodyBytesInFlight < 10, waited < 1000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(transport.bodyBytesInFlight == 10)
        guard case .failure(let error) = await send(transport, "\(server.base)/big/10") else {
            Issue.record("expected the second transfer not to fit the budget")
            server.gate.open()
            return
        }
        #expect(error.kind == .bodyTooLarge)
        #expect(error.detail == "the response bodies in flight together would exceed the transport's budget of 15 bytes (TransportConfiguration.maxBodyBytesInFlight)")
        server.gate.open()
        let first = try await stalled.value.get()
        #expect(first.body == Data("0123456789late".utf8))
        #expect(transport.bodyBytesInFlight == 0)
        await server.stop()
    }
}

@Suite struct CoreDumpTests {
    /// Changes this test process for good (no core file, not dumpable): harmless for a test run.
    @Test func afterDisablingTheCoreLimitIsZeroAndTheProcessIsNotDumpable() throws {
        try CoreDumps.disable().get()
        let limit = try #require(CoreDumps.coreSizeLimit())
        #expect(limit.soft == 0)
        #expect(limit.hard == 0)
        #expect(!CoreDumps.isDumpable)
        // Idempotent: a second call succeeds (lowering a limit to where it is needs no privilege).
        try CoreDumps.disable().get()
    }
}

@Suite struct CleartextPolicyTests {
    @Test(arguments: ["127.0.0.1", "127.255.255.254", "127.0.0.2", "localhost", "LocalHost", "localhost.", "::1", "[::1]",
                      "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"])
    func loopbackHosts(_ host: String) {
        #expect(CleartextPolicy.isLoopback(host: host))
        #expect(CleartextPolicy.permits(scheme: "http", host: host))
    }

    @Test(arguments: ["10.0.0.1", "128.0.0.1", "0.0.0.0", "127.1", "0x7f.0.0.1", "127.0.0.1.example", "localhost.example",
                      "mylocalhost", "::2", "::ffff:10.0.0.1", "api.example", ""])
    func otherHostsAreNot(_ host: String) {
        #expect(!CleartextPolicy.isLoopback(host: host))
        #expect(!CleartextPolicy.permits(scheme: "http", host: host))
        #expect(CleartextPolicy.permits(scheme: "HTTPS", host: host))
    }

    @Test func reservedInvalidNamesCannotResolveSoTheyMayBePlain() {
        #expect(CleartextPolicy.permits(scheme: "http", host: "ap-sandbox.invalid"))
        #expect(CleartextPolicy.permits(scheme: "http", host: "x.INVALID."))
        #expect(!CleartextPolicy.permits(scheme: "http", host: "invalid.example"))
        #expect(!CleartextPolicy.permits(scheme: "ftp", host: "127.0.0.1"))
    }
}

import APClient
import APTransport
import Foundation
import Testing

@Suite struct ClientAuthTests {
    @Test func unauthorizedRenewsTheTokenOnceAndRetries() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts/po_1", Fixture.status(401, json: #"{"code":"unauthorized","message":"token expired"}"#))
        t.enqueue("GET /payouts/po_1", json: Fixture.payout("po_1"))
        let client = try Fixture.client(t)
        #expect(try await client.payout(id: "po_1").record?.id == "po_1")
        #expect(t.targets == ["POST /oauth/token", "GET /payouts/po_1", "POST /oauth/token", "GET /payouts/po_1"])
        #expect(HTTPHeaders(t.requests[3].headers)["Authorization"] == "Bearer token-2")
        #expect(client.statistics.unauthorizedRefreshes == 1)
        #expect(client.statistics.tokenRequests == 2)
    }

    @Test func secondUnauthorizedIsAnAuthenticationError() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts/po_1", Fixture.status(401), Fixture.status(401, json: #"{"code":"unauthorized","message":"bad token"}"#))
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.payout(id: "po_1")
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.kind == .authentication && e.exitCode == 77 && e.status == 401 && e.apiMessage == "bad token"
                && e.description == #"GET /payouts/{id} (/payouts/po_1): the API refused a freshly issued token [HTTP 401]; the API said code unauthorized, "bad token". Check AP_CLIENT_ID / AP_CLIENT_SECRET and that the client may use this API."#
        }
        #expect(t.targets.count == 4)
    }

    @Test(arguments: [400, 401])
    func tokenEndpointRefusalIsAuthentication(status: Int) async throws {
        let t = ScriptedTransport()
        t.enqueue("POST /oauth/token", Fixture.status(status, json: #"{"code":"invalid_client","message":"client \#(Fixture.clientID) with secret \#(Fixture.secret) unknown"}"#))
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.payments().collect()
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.kind == .authentication && e.hint == "check AP_CLIENT_ID / AP_CLIENT_SECRET" && e.endpoint == "POST /oauth/token"
                && e.apiMessage == "client client-abc with secret <redacted> unknown" && !e.description.contains(Fixture.secret)
        }
        #expect(t.targets == ["POST /oauth/token"]) // not retried
    }

    @Test func tokenEndpointForbiddenIsPermission() async throws {
        let t = ScriptedTransport()
        t.enqueue("POST /oauth/token", Fixture.status(403, json: #"{"code":"forbidden","message":"no API access"}"#))
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.customer(id: "c")
        } throws: { error in
            (error as? APIError)?.kind == .permission && (error as? APIError)?.exitCode == 77
        }
    }

    @Test(arguments: [
        (#"{"access_token":"tok","expires_in":"soon"}"#, #"the token reply's expires_in is "soon", not a whole number of seconds"#),
        (#"{"access_token":"tok"}"#, "the token reply has no expires_in"),
        (#"{"access_token":"tok","expires_in":3.5}"#, "the token reply's expires_in is 3.5, not a whole number of seconds"),
        (#"{"access_token":"tok","expires_in":-5}"#, "the token reply's expires_in is -5, not positive"),
        (#"{"access_token":"tok","expires_in":true}"#, "the token reply's expires_in is a boolean, not a number"),
        (#"{"expires_in":60}"#, "the token reply has no access_token string"),
        (#"<html>ok</html>"#, "the token reply is not a JSON object"),
    ])
    func garbageTokenRepliesAreClearErrors(body: String, detail: String) async throws {
        let t = ScriptedTransport()
        t.enqueue("POST /oauth/token", json: body)
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.payout(id: "p")
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.kind == .protocolViolation && e.detail == detail && !e.description.contains("tok\"")
        }
    }

    @Test func expiresInAsDigitStringIsAccepted() async throws {
        let t = ScriptedTransport(defaultTokenLifetime: nil)
        t.enqueue("POST /oauth/token", json: #"{"access_token":"tok-A","token_type":"Bearer","expires_in":"3600"}"#)
        t.enqueue("GET /payouts/p", json: Fixture.payout("p"))
        let client = try Fixture.client(t)
        _ = try await client.payout(id: "p")
        #expect(HTTPHeaders(t.requests[1].headers)["Authorization"] == "Bearer tok-A")
    }

    @Test func tokenIsRenewedOnlyAfterItsUsableLife() async throws {
        // expires_in 100 s: margin min(30 s, 10 s) = 10 s, so the token is used for 90 s.
        let t = ScriptedTransport(defaultTokenLifetime: 100)
        for _ in 0..<3 { t.enqueue("GET /payouts/p", json: Fixture.payout("p")) }
        let clock = FakeClock()
        let client = try Fixture.client(t, clock: clock)
        _ = try await client.payout(id: "p")
        clock.advance(by: .seconds(89))
        _ = try await client.payout(id: "p")
        #expect(client.statistics.tokenRequests == 1)
        clock.advance(by: .seconds(1))
        _ = try await client.payout(id: "p")
        #expect(client.statistics.tokenRequests == 2)
        #expect(HTTPHeaders(t.requests.last?.headers ?? [])["Authorization"] == "Bearer token-2")
    }

    @Test func twoSecondTokensStillWork() async throws {
        let t = ScriptedTransport(defaultTokenLifetime: 2)
        for _ in 0..<2 { t.enqueue("GET /payouts/p", json: Fixture.payout("p")) }
        let clock = FakeClock()
        let client = try Fixture.client(t, clock: clock)
        _ = try await client.payout(id: "p")
        clock.advance(by: .milliseconds(1700))
        _ = try await client.payout(id: "p")
        #expect(client.statistics.tokenRequests == 1)
    }

    @Test func twentyConcurrentCallersShareOneTokenRequest() async throws {
        let t = ScriptedTransport(tokenLatency: .milliseconds(50))
        for i in 0..<20 { t.enqueue("GET /payouts/p\(i)", json: Fixture.payout("p\(i)")) }
        let client = try Fixture.client(t)
        let ids = try await withThrowingTaskGroup(of: String?.self) { group in
            for i in 0..<20 { group.addTask { try await client.payout(id: "p\(i)").record?.id } }
            var ids: [String] = []
            for try await id in group { ids.append(id ?? "-") }
            return ids.sorted()
        }
        #expect(ids == (0..<20).map { "p\($0)" }.sorted())
        #expect(client.statistics.tokenRequests == 1)
        #expect(t.targets.filter { $0 == "POST /oauth/token" }.count == 1)
    }
}

import APClient
import APTransport
import Foundation
import Testing

@Suite struct ClientRetryTests {
    @Test func serviceUnavailableIsRetriedWithJitteredBackoff() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts/p", Fixture.status(503), Fixture.status(502))
        t.enqueue("GET /payouts/p", .failure(.connectionReset))
        t.enqueue("GET /payouts/p", json: Fixture.payout("p"))
        let clock = FakeClock()
        let client = try Fixture.client(t, clock: clock, random: 0.5)
        #expect(try await client.payout(id: "p").record?.id == "p")
        // 0.5 · min(30 s, 500 ms · 2^(n-1)) for n = 1, 2, 3
        #expect(clock.sleeps == [.milliseconds(250), .milliseconds(500), .seconds(1)])
        #expect(client.statistics.retriesByEndpoint == ["GET /payouts/{id}": 3])
        #expect(client.statistics.requestsByEndpoint == ["GET /payouts/{id}": 4])
    }

    @Test func retryAfterIsHonouredAndClamped() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts/p", Fixture.status(429, headers: [HTTPHeader("Retry-After", "7")]),
                  Fixture.status(429, headers: [HTTPHeader("Retry-After", "86400")]))
        t.enqueue("GET /payouts/p", json: Fixture.payout("p"))
        let clock = FakeClock()
        let policy = RetryPolicy(maxRetryAfter: .seconds(40), budget: .seconds(600))
        let client = try Fixture.client(t, clock: clock, random: 0, configuration: try Fixture.configuration(policy: policy))
        _ = try await client.payout(id: "p")
        #expect(clock.sleeps == [.seconds(7), .seconds(40)])
    }

    @Test func deadAPIFailsWithinTheBudget() async throws {
        let t = ScriptedTransport()
        for _ in 0..<50 { t.enqueue("GET /payouts/p", Fixture.status(503, json: #"{"code":"unavailable","message":"maintenance"}"#)) }
        let clock = FakeClock()
        let start = clock.now
        let policy = RetryPolicy(maxAttempts: 50, baseDelay: .seconds(10), maxDelay: .seconds(30), budget: .seconds(60))
        let client = try Fixture.client(t, clock: clock, random: 1, configuration: try Fixture.configuration(policy: policy))
        await #expect {
            _ = try await client.payout(id: "p")
        } throws: { error in
            guard let e = error as? APIError else { return false }
            // waits 10 + 20 = 30 s; the next 30 s would end at 60 s (allowed), then nothing fits
            return e.kind == .unavailable && e.exitCode == 69 && e.status == 503 && e.attempts == 4
                && e.apiMessage == "maintenance"
        }
        #expect(clock.sleeps == [.seconds(10), .seconds(20), .seconds(30)])
        #expect(clock.now.timeIntervalSince(start) <= 60)
    }

    @Test func rateLimitedAfterRetriesIsItsOwnKind() async throws {
        let t = ScriptedTransport()
        for _ in 0..<2 { t.enqueue("GET /payments?limit=100", Fixture.status(429)) }
        let client = try Fixture.client(t, configuration: try Fixture.configuration(policy: RetryPolicy(maxAttempts: 2)))
        await #expect {
            _ = try await client.payments().collect()
        } throws: { error in
            (error as? APIError)?.kind == .rateLimited && (error as? APIError)?.attempts == 2
        }
    }

    @Test func persistentTransportFailureIsUnavailable() async throws {
        let t = ScriptedTransport()
        for _ in 0..<3 { t.enqueue("GET /payouts/p", .failure(.timeout)) }
        let client = try Fixture.client(t, configuration: try Fixture.configuration(policy: RetryPolicy(maxAttempts: 3)))
        await #expect {
            _ = try await client.payout(id: "p")
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.kind == .unavailable && e.attempts == 3 && e.transportError == "GET /payouts/p: timeout: scripted timeout"
                && e.detail == "the request failed (timeout); gave up after 3 attempts"
        }
    }

    @Test(arguments: [400, 409, 422])
    func otherClientErrorsAreNotRetried(status: Int) async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /invoices?status=OPEN&limit=100", Fixture.status(status, json: #"{"code":"invalid","message":"bad filter","validation_errors":{"status":"unknown value"}}"#))
        let clock = FakeClock()
        let client = try Fixture.client(t, clock: clock)
        await #expect {
            _ = try await client.invoices(InvoiceFilter(status: .open)).collect()
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.kind == .clientError && e.exitCode == 76 && e.validationErrors == ["status": "unknown value"]
                && e.description == #"GET /invoices (/invoices?status=OPEN&limit=100): the API refused the request [HTTP \#(status)]; the API said code invalid, "bad filter", status: unknown value. This is a client bug or an API change; report it with this message."#
        }
        #expect(clock.sleeps.isEmpty)
        #expect(t.targets.count == 2)
    }

    @Test func notFoundByID() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /invoices/inv_9", Fixture.status(404, json: #"{"code":"not_found","message":"invoice not found"}"#))
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.invoice(id: "inv_9")
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.kind == .notFound && e.endpoint == "GET /invoices/{id}" && e.path == "/invoices/inv_9" && e.exitCode == 66
        }
    }

    @Test func notFoundOnAListMeansAWrongBaseURL() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts?limit=100", Fixture.status(404))
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.payouts().collect()
        } throws: { error in
            (error as? APIError)?.kind == .configuration
        }
    }

    @Test func htmlErrorPageGivesStatusEndpointAndExcerpt() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts/p", Fixture.html(502))
        let client = try Fixture.client(t, configuration: try Fixture.configuration(policy: RetryPolicy(maxAttempts: 1)))
        await #expect {
            _ = try await client.payout(id: "p")
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.description == "GET /payouts/{id} (/payouts/p): the API kept failing [HTTP 502]; body: <html> <head><title>502 Bad Gateway</title></head> <body>nginx</body></html>. The provider is having trouble; run again later."
        }
    }

    @Test func emptyErrorBodyIsNamed() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /customers/c", Fixture.status(403))
        let client = try Fixture.client(t)
        await #expect {
            _ = try await client.customer(id: "c")
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.kind == .permission && e.bodyExcerpt == "(empty body)" && e.status == 403
                && e.description.hasPrefix("GET /customers/{id} (/customers/c): the credentials are not allowed to read this [HTTP 403]; body: (empty body).")
        }
    }

    @Test func longBodiesAreCutTo200Characters() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /customers/c", Fixture.status(418, json: String(repeating: "x", count: 5000)))
        let client = try Fixture.client(t)
        do {
            _ = try await client.customer(id: "c")
            Issue.record("expected an error")
        } catch let e as APIError {
            #expect(e.bodyExcerpt == String(repeating: "x", count: 199) + "…")
        }
    }

    @Test func secretsAndTokensNeverAppearInErrors() async throws {
        let leaky = #"{"code":"x","message":"secret \#(Fixture.secret) token token-1 auth \#(Fixture.basicBase64)"}"#
        let scenarios: [(String, ScriptedTransport.Reply)] = [
            ("POST /oauth/token", Fixture.status(401, json: leaky)),
            ("POST /oauth/token", Fixture.status(500, json: leaky)),
            ("POST /oauth/token", .response(HTTPResponse(status: 502, headers: HTTPHeaders(), body: Data("<p>\(Fixture.secret)</p>".utf8)))),
            ("GET /payouts/p", Fixture.status(401, json: leaky)),
            ("GET /payouts/p", Fixture.status(422, json: leaky)),
            ("GET /payouts/p", .response(HTTPResponse(status: 500, headers: HTTPHeaders(), body: Data("token-1 token-1".utf8)))),
        ]
        for (target, reply) in scenarios {
            let t = ScriptedTransport()
            for _ in 0..<3 { t.enqueue(target, reply) }
            let client = try Fixture.client(t, configuration: try Fixture.configuration(policy: RetryPolicy(maxAttempts: 1)))
            do {
                _ = try await client.payout(id: "p")
                Issue.record("expected an error for \(target)")
            } catch {
                var dumped = ""
                dump(error, to: &dumped)
                for text in [String(describing: error), String(reflecting: error), dumped, "\(error)"] {
                    #expect(!text.contains(Fixture.secret), "secret leaked for \(target)")
                    #expect(!text.contains(Fixture.basicBase64), "basic credentials leaked for \(target)")
                    // Only tokens the scripted server actually issued are secrets.
                    if target.hasPrefix("GET") {
                        #expect(!text.contains("token-1"), "token leaked for \(target)")
                        #expect(!text.contains("token-2"), "token leaked for \(target)")
                    }
                }
            }
        }
    }
}

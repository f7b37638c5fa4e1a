import APSandbox
import Testing

@Suite struct FaultTests {
    static let dataset = SandboxDataset.generate(seed: 3, customers: 2, invoices: 10, payouts: 12, linesPerPayout: 3)

    @Test func scriptedStatusesAsJSONAndHTML() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        sandbox.server.enqueue(.status(503), matching: "/payouts")
        sandbox.server.enqueue(.status(502, html: true), matching: "/payouts")
        sandbox.server.enqueue(.status(429, retryAfter: "0"), matching: "/payouts")
        #expect(sandbox.server.pendingScriptedFaults == 3)
        let first = try await sandbox.get("/payouts")
        #expect(first.status == 503)
        #expect(first.headers["content-type"] == "application/json")
        #expect(try first.object().string("code") == "server_error")
        let second = try await sandbox.get("/payouts")
        #expect(second.status == 502)
        #expect(second.headers["content-type"] == "text/html")
        #expect(second.text.hasPrefix("<html>"))
        let third = try await sandbox.get("/payouts")
        #expect(third.status == 429)
        #expect(third.headers["retry-after"] == "0")
        #expect(try await sandbox.get("/payouts").status == 200)
        #expect(sandbox.server.stats().faultsInjected == ["status_503": 1, "status_502": 1, "rate_limit": 1])
        await sandbox.stop()
    }

    @Test func dropClosesWithoutAResponse() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        sandbox.server.enqueue(.drop, matching: "/payouts")
        let dropped = try await sandbox.get("/payouts")
        #expect(dropped.exitCode == 52)  // curl: empty reply from server
        #expect(dropped.status == 0)
        #expect(try await sandbox.get("/payouts").status == 200)
        #expect(sandbox.server.stats().faultsInjected["drop"] == 1)
        await sandbox.stop()
    }

    @Test func truncateSendsHalfTheDeclaredBody() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let whole = try await sandbox.get("/payouts")
        sandbox.server.enqueue(.truncate, matching: "/payouts")
        let cut = try await sandbox.get("/payouts")
        #expect(cut.exitCode == 18)  // curl: partial file
        #expect(cut.status == 200)
        #expect(cut.headers["content-length"] == String(whole.body.count))
        #expect(cut.body == Array(whole.body.prefix(whole.body.count / 2)))
        #expect(sandbox.server.stats().faultsInjected["truncate"] == 1)
        await sandbox.stop()
    }

    @Test func stallTripsALowSpeedLimit() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        sandbox.server.enqueue(.stall(ms: 5000), matching: "/payouts")
        // curl averages speed over a few seconds: the half body sent before the stall must
        // fall below the limit within the window.
        let stalled = try await Curl.run([sandbox.base + "/payouts", "-H", "Authorization: Bearer \(sandbox.token)",
                                          "--speed-limit", "1000", "--speed-time", "2"])
        #expect(stalled.exitCode == 28)  // curl: operation too slow
        #expect(sandbox.server.stats().faultsInjected["stall"] == 1)
        sandbox.server.enqueue(.stall(ms: 50), matching: "/payouts")
        let slow = try await sandbox.get("/payouts")
        #expect(slow.exitCode == 0)
        #expect(try slow.object().array("data")?.count == 12)
        await sandbox.stop()
    }

    @Test func revokeTokensInvalidatesTokensAndCredentials() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        sandbox.server.enqueue(.revokeTokens, matching: "/payouts")
        #expect(try await sandbox.get("/invoices").status == 200)
        let revoked = try await sandbox.get("/payouts")
        #expect(revoked.status == 401)
        let again = try await sandbox.tokenRequest()
        #expect(again.status == 401)
        #expect(again.text == #"{"code":"invalid_client","message":"credentials revoked"}"#)
        sandbox.server.reinstateCredentials()
        let token = try await sandbox.newToken()
        #expect(try await sandbox.get("/payouts", token: token).status == 200)
        await sandbox.stop()
    }

    @Test func protocolFaultsOnPagedRoutes() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let first = try await sandbox.get("/payouts?limit=5").object()
        let cursor = try #require(first.string("end_cursor"))
        let lastID = try #require(first.array("data")?.last?.id)

        sandbox.server.enqueue(.repeatCursor, matching: "/payouts")
        // A first page carries no cursor and leaves the fault queued.
        #expect(try await sandbox.get("/payouts?limit=5").object().string("end_cursor") == cursor)
        let repeated = try await sandbox.get("/payouts?limit=5&after=\(cursor)").object()
        #expect(repeated.string("end_cursor") == cursor)
        #expect(repeated["has_next_page"] == .bool(true))

        sandbox.server.enqueue(.duplicateIdAcrossPages, matching: "/payouts")
        let duplicate = try await sandbox.get("/payouts?limit=5&after=\(cursor)").object()
        #expect(duplicate.array("data")?.first?.id == lastID)

        sandbox.server.enqueue(.duplicateIdWithinPage, matching: "/payouts")
        let twice = try await sandbox.get("/payouts?limit=5").object()
        let twiceIDs = (twice.array("data") ?? []).map(\.id)
        #expect(twiceIDs.count == 6)
        #expect(twiceIDs.first == twiceIDs.last)

        sandbox.server.enqueue(.hasNextWithoutCursor, matching: "/payouts")
        let noCursor = try await sandbox.get("/payouts?limit=5").object()
        #expect(noCursor["has_next_page"] == .bool(true))
        #expect(noCursor["end_cursor"] == nil)

        sandbox.server.enqueue(.garbagePage, matching: "/payouts")
        let garbage = try await sandbox.get("/payouts")
        #expect(garbage.status == 200)
        #expect(throws: JSONParseError.self) { try garbage.json() }

        sandbox.server.enqueue(.wrongTypesPage, matching: "/payouts")
        let wrong = try await sandbox.get("/payouts").object()
        #expect(wrong["data"] == .string("not an array"))

        #expect(sandbox.server.pendingScriptedFaults == 0)
        #expect(sandbox.server.stats().faultsInjected == ["repeat_cursor": 1, "duplicate_id_across_pages": 1, "duplicate_id_within_page": 1, "has_next_without_cursor": 1,
                                                          "garbage_page": 1, "wrong_types_page": 1])
        await sandbox.stop()
    }

    /// The same seed gives the same faults for the same request order.
    @Test func randomFaultsAreDeterministicPerSeed() async throws {
        func statuses(seed: UInt64) async throws -> ([Int], SandboxStats) {
            let faults = FaultConfiguration(errorRate: 0.3, rateLimitRate: 0.2, retryAfterSeconds: 2, faultsOnTokenEndpoint: false)
            let sandbox = try await SandboxHarness.start(SandboxConfiguration(faults: faults, faultSeed: seed, environment: [:]), dataset: Self.dataset)
            var seen: [Int] = []
            for _ in 0..<30 {
                let reply = try await sandbox.get("/payouts/pout_00001")
                seen.append(reply.status)
                if reply.status == 429 { #expect(reply.headers["retry-after"] == "2") }
            }
            let stats = sandbox.server.stats()
            await sandbox.stop()
            return (seen, stats)
        }
        let (a, statsA) = try await statuses(seed: 99)
        let (b, _) = try await statuses(seed: 99)
        let (c, _) = try await statuses(seed: 100)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).isSubset(of: [200, 429, 500, 502, 503]))
        #expect(a.contains(200) && a.contains(429))
        let injected = statsA.faultsInjected.values.reduce(0, +)
        #expect(injected == a.filter { $0 != 200 }.count)
        #expect(statsA.faultsInjected["rate_limit"] == a.filter { $0 == 429 }.count)
    }

    @Test func randomDropAndTruncateSpareTheTokenEndpointWhenAsked() async throws {
        let sandbox = try await SandboxHarness.start(
            SandboxConfiguration(faults: FaultConfiguration(dropRate: 1, faultsOnTokenEndpoint: false), environment: [:]), dataset: Self.dataset)
        #expect(try await sandbox.get("/payouts").exitCode == 52)
        sandbox.server.faults = FaultConfiguration(truncateRate: 1, faultsOnTokenEndpoint: false)
        let cut = try await sandbox.get("/payouts/pout_00001")
        #expect(cut.exitCode == 18)
        #expect(cut.status == 200)
        #expect(try await sandbox.newToken().hasPrefix("sbx_"))
        #expect(sandbox.server.stats().faultsInjected == ["drop": 1, "truncate": 1])
        #expect(sandbox.server.stats().tokensIssued == 2)
        await sandbox.stop()
    }

    @Test func faultsCanBeChangedWhileRunning() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        #expect(try await sandbox.get("/payouts").status == 200)
        sandbox.server.faults = FaultConfiguration(errorRate: 1, htmlErrors: true)
        let failed = try await sandbox.get("/payouts")
        #expect([500, 502, 503].contains(failed.status))
        #expect(failed.headers["content-type"] == "text/html")
        sandbox.server.faults = .none
        #expect(try await sandbox.get("/payouts").status == 200)
        await sandbox.stop()
    }
}

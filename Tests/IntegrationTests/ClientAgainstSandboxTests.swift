import APClient
import APSandbox
import APTransport
import Foundation
import Testing

/// The real libcurl client against the in-process sandbox on 127.0.0.1: no mocked HTTP.
@Suite struct ClientAgainstSandboxTests {
    let dataset = generatedDataset(payouts: 1_050)

    func expectedPayoutIDs() -> [String] {
        dataset.payouts.compactMap { $0["id"]?.stringValue }.sorted()
    }

    @Test(arguments: [PageShape.openapi, .guide, .alternating])
    func listsOverOneThousandRecordsAcrossPagesInEveryShape(shape: PageShape) async throws {
        let listed = try await withSandbox(dataset: dataset, pageShape: shape) { sandbox, client, _ in
            let all = try await client.payouts().collect()
            #expect(sandbox.stats().requestsByRoute["GET /payouts"] == 11)
            return all
        }
        #expect(listed.count == 1_050)
        #expect(Set(ids(listed)).count == 1_050)
        #expect(ids(listed).sorted() == expectedPayoutIDs())
    }

    @Test(arguments: [PageShape.openapi, .guide])
    func readsPayoutTransactionsUnderEitherArrayKey(shape: PageShape) async throws {
        let small = generatedDataset(payouts: 3, linesPerPayout: 250)
        let payoutID = try #require(small.payouts.first?["id"]?.stringValue)
        let lines = try await withSandbox(dataset: small, pageShape: shape) { _, client, _ in
            try await client.payoutTransactions(payoutID: payoutID).collect()
        }
        #expect(lines.count == 250)
        #expect(lines.allSatisfy { $0.record != nil })
    }

    @Test func renewsAnExpiredTokenInTheMiddleOfAListing() async throws {
        let (count, tokens, refreshes) = try await withSandbox(dataset: dataset) { sandbox, client, _ in
            var count = 0
            for try await _ in client.payouts() {
                count += 1
                if count == 150 { sandbox.expireAllTokens() } // on page 2 of 11
            }
            return (count, sandbox.stats().tokensIssued, client.statistics.unauthorizedRefreshes)
        }
        #expect(count == 1_050)
        #expect(tokens == 2)
        #expect(refreshes == 1)
    }

    @Test func honoursRetryAfterOn429() async throws {
        let (listed, waits, retries) = try await withSandbox(dataset: dataset) { sandbox, client, sleeps in
            sandbox.enqueue(.status(429, retryAfter: "2"), matching: "/payouts", count: 1)
            let all = try await client.payouts().collect()
            return (all, sleeps.recorded, client.statistics.retriesByEndpoint["GET /payouts"])
        }
        #expect(listed.count == 1_050)
        #expect(retries == 1)
        #expect(waits.count == 1)
        #expect(waits.allSatisfy { $0 >= .seconds(2) })
    }

    @Test func recoversFrom5xxDropsAndTruncatedBodies() async throws {
        let (listed, retries, injected, served) = try await withSandbox(dataset: dataset) { sandbox, client, _ in
            sandbox.enqueue(.status(500), matching: "/payouts", count: 1)
            sandbox.enqueue(.status(502, html: true), matching: "/payouts", count: 1)
            sandbox.enqueue(.status(503), matching: "/payouts", count: 1)
            sandbox.enqueue(.drop, matching: "/payouts", count: 1)
            sandbox.enqueue(.truncate, matching: "/payouts", count: 1)
            let all = try await client.payouts().collect()
            return (all, client.statistics.retriesByEndpoint["GET /payouts"], sandbox.stats().faultsInjected,
                    sandbox.stats().requestsByRoute["GET /payouts"])
        }
        #expect(ids(listed).sorted() == expectedPayoutIDs())
        // 11 pages + 5 faulted attempts reached the server. The client retried 4 of them: a
        // connection dropped while being reused is resent once by libcurl itself on a fresh one.
        #expect(served == 16)
        #expect(retries == 4)
        #expect(injected == ["status_500": 1, "status_502": 1, "status_503": 1, "drop": 1, "truncate": 1])
    }

    @Test func randomFaultsStillYieldTheExactListing() async throws {
        let faults = FaultConfiguration(errorRate: 0.1, htmlErrors: true, rateLimitRate: 0.1, retryAfterSeconds: 0, dropRate: 0.05, truncateRate: 0.03)
        let listed = try await withSandbox(dataset: dataset, pageShape: .alternating, faults: faults) { _, client, _ in
            try await client.payouts().collect()
        }
        #expect(ids(listed).sorted() == expectedPayoutIDs())
    }

    @Test(arguments: [ScriptedFault.repeatCursor, .hasNextWithoutCursor, .duplicateIdAcrossPages, .duplicateIdWithinPage, .garbagePage, .wrongTypesPage])
    func detectsProtocolFaults(fault: ScriptedFault) async throws {
        let error = await #expect(throws: APIError.self) {
            try await withSandbox(dataset: dataset) { sandbox, client, _ in
                sandbox.enqueue(fault, matching: "/payouts", count: 1)
                _ = try await client.payouts().collect()
            }
        }
        let caught = try #require(error)
        #expect(caught.kind == .protocolViolation)
        #expect(caught.exitCode == 76)
        #expect(caught.endpoint == "GET /payouts")
        #expect(caught.description.contains("GET /payouts"))
    }

    @Test func deliversAnUnreadableRecordInPlaceWithItsRawJSON() async throws {
        let folder = try temporaryDataset(payouts: """
        [{"id":"po_ok","status":"paid","amount":"1000","currency":"usd","created_at":"2026-11-03T09:00:00Z"},
         {"id":"po_bad","status":"paid","amount":12.5,"currency":"USD","created_at":"2026-11-03T10:00:00Z"}]
        """)
        let listed = try await withSandbox(dataset: try SandboxDataset.load(directory: folder)) { _, client, _ in
            try await client.payouts().collect()
        }
        #expect(listed.count == 2)
        let ok = try #require(listed.first?.record)
        #expect(ok.amount == Money(minorUnits: 1000, currency: try #require(Currency(code: "USD"))))
        #expect(ok.status == .succeeded)
        guard case .unreadable(let bad) = listed.last else {
            Issue.record("expected the second payout to be unreadable")
            return
        }
        #expect(bad.id == "po_bad")
        #expect(bad.endpoint == "GET /payouts")
        #expect(bad.rawJSON.contains("\"amount\":12.5"))
        #expect(bad.reason.contains("amount"))
    }

    @Test func wrongCredentialsAreAnAuthenticationErrorWithoutTheSecret() async throws {
        let wrong = "wrong-secret-Pq7Rt2"
        let logs = LogCapture()
        let error = await #expect(throws: APIError.self) {
            try await withSandbox(dataset: dataset, secret: wrong, logs: logs) { _, client, _ in
                _ = try await client.payouts().collect()
            }
        }
        let caught = try #require(error)
        #expect(caught.kind == .authentication)
        #expect(caught.exitCode == 77)
        let everything = ([caught.description, String(reflecting: caught)] + logs.all).joined(separator: "\n")
        #expect(!everything.contains(wrong))
        #expect(!everything.contains(Data("\(testClientID):\(wrong)".utf8).base64EncodedString()))
    }

    @Test func revokedCredentialsMidRunAreAnAuthenticationError() async throws {
        let error = await #expect(throws: APIError.self) {
            try await withSandbox(dataset: dataset) { sandbox, client, _ in
                var count = 0
                for try await _ in client.payouts() {
                    count += 1
                    if count == 150 { sandbox.enqueue(.revokeTokens, matching: "/payouts", count: 1) }
                }
            }
        }
        #expect(error?.kind == .authentication)
        #expect(error?.exitCode == 77)
    }

    @Test func aDeadAPIFailsWithinTheRetryBudget() async throws {
        // A budget far above 4 quick attempts: what is checked is the attempt limit, on any machine.
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20), budget: .seconds(120))
        let faults = FaultConfiguration(errorRate: 1.0, faultsOnTokenEndpoint: false)
        let error = await #expect(throws: APIError.self) {
            try await withSandbox(dataset: dataset, faults: faults, retryPolicy: policy) { _, client, _ in
                _ = try await client.payouts().collect()
            }
        }
        #expect(error?.kind == .unavailable)
        #expect(error?.exitCode == 69)
        #expect(error?.attempts == 4)
    }

    @Test func noSecretOrTokenInLogsOfASuccessfulRun() async throws {
        let logs = LogCapture()
        let token = try await withSandbox(dataset: dataset, logs: logs) { sandbox, client, _ in
            sandbox.enqueue(.status(503), matching: "/payouts", count: 1)
            _ = try await client.payouts().collect()
            return try await fetchToken(baseURL: sandbox.baseURL)
        }
        let text = logs.all.joined(separator: "\n")
        #expect(!logs.all.isEmpty)
        #expect(!text.contains(testClientSecret))
        #expect(!text.contains("Bearer"))
        #expect(!text.contains(token.prefix(12)))
    }
}

/// A token the sandbox issues, fetched with a raw request, to check its shape never leaks.
func fetchToken(baseURL: String) async throws -> String {
    let transport = CurlTransport()
    defer { transport.shutdown() }
    let basic = Data("\(testClientID):\(testClientSecret)".utf8).base64EncodedString()
    let response = try await transport.send(HTTPRequest(
        method: .post, url: baseURL + "/oauth/token",
        headers: [HTTPHeader("Authorization", "Basic " + basic), HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
        body: Data("grant_type=client_credentials".utf8)))
    let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
    return (object?["access_token"] as? String) ?? ""
}

/// Writes a dataset folder holding only payouts.json.
func temporaryDataset(payouts: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ap-it-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(payouts.utf8).write(to: folder.appendingPathComponent("payouts.json"))
    return folder
}

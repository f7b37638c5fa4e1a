import APClient
import APModels
import APTransport
import Foundation
import Testing

/// API text that reaches a person or a log (ids, cursors, codes, messages, bodies) is one safe
/// line of bounded length, and secrets are scrubbed before anything is cut.
@Suite struct HostileTextTests {
    static let unsafe: Set<UInt32> = Set(Array(0x00...0x1F) + Array(0x7F...0x9F)
        + [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C])

    static func isClean(_ text: String) -> Bool { !text.unicodeScalars.contains { unsafe.contains($0.value) } }

    func failure(_ transport: ScriptedTransport, _ call: (APIClient) async throws -> Void) async throws -> APIError? {
        let client = try Fixture.client(transport, configuration: try Fixture.configuration(policy: RetryPolicy(maxAttempts: 1)))
        do {
            try await call(client)
            Issue.record("expected an APIError")
            return nil
        } catch let error as APIError {
            return error
        }
    }

    @Test func escapeSequencesAndBidiOverridesInAnErrorBodyNeverReachTheText() async throws {
        let t = ScriptedTransport()
        let body = #"{"code":"bad\u001b[2J\u001b[H","message":"line1\nFAKE LOG LINE \u202eevil\u2066x","validation_errors":{"f\u009b31m":"v\u0007\u007f"}}"#
        t.enqueue("GET /payouts/p", Fixture.status(422, json: body))
        let e = try #require(try await failure(t) { _ = try await $0.payout(id: "p") })
        #expect(e.apiCode == "bad [2J [H")
        #expect(e.apiMessage == "line1 FAKE LOG LINE evil x")
        #expect(e.validationErrors == ["f 31m": "v"])
        #expect(Self.isClean(e.description))
        #expect(e.description == #"GET /payouts/{id} (/payouts/p): the API refused the request [HTTP 422]; the API said code bad [2J [H, "line1 FAKE LOG LINE evil x", f 31m: v. This is a client bug or an API change; report it with this message."#)
    }

    @Test func aTenKilobyteIDInAPagingFaultIsCut() throws {
        let id = "txn_" + String(repeating: "9", count: 10_000) + "\u{1B}[2J"
        var g = CursorGuard(endpoint: "GET /payments", maxPages: 10)
        _ = try g.accept(ids: [id], hasNextPage: true, endCursor: "c1", requestedCursor: nil)
        do {
            _ = try g.accept(ids: [id], hasNextPage: false, endCursor: nil, requestedCursor: "c1")
            Issue.record("expected a protocol fault")
        } catch {
            #expect(error.detail == "record id \"txn_" + String(repeating: "9", count: 95) + "…\" arrived again after an earlier page")
            #expect(error.description.count < 700)
            #expect(Self.isClean(error.description))
        }
    }

    @Test func aHostileCursorIsCutAndCleaned() throws {
        let cursor = "\u{202E}" + String(repeating: "c", count: 5000) + "\n"
        var g = CursorGuard(endpoint: "GET /payments", maxPages: 10)
        _ = try g.accept(ids: [], hasNextPage: true, endCursor: cursor, requestedCursor: nil)
        do {
            _ = try g.accept(ids: [], hasNextPage: true, endCursor: cursor, requestedCursor: cursor)
            Issue.record("expected a protocol fault")
        } catch {
            let shown = String(repeating: "c", count: 99) + "…"
            #expect(error.cursor == shown)
            #expect(error.detail == "end_cursor \"\(shown)\" repeats an earlier cursor, so paging would loop")
            #expect(Self.isClean(error.description))
        }
    }

    @Test func fieldsSetAfterConstructionAreStillPrintedSafely() {
        var e = APIError(kind: .protocolViolation, endpoint: "GET /payouts", detail: "x")
        e.cursor = "a\u{1B}[2Jb"
        e.path = "/payouts?after=\u{202E}z"
        #expect(e.description == #"GET /payouts (/payouts?after= z): x; cursor "a [2Jb"."#)
    }

    // MARK: redaction order

    @Test func aSecretAcrossTheExcerptCutIsScrubbedNotHalved() async throws {
        // The secret starts at character 190 of a 5xx page: cut first, its first 9 characters would remain.
        let t = ScriptedTransport()
        let page = String(repeating: "a", count: 190) + Fixture.secret + String(repeating: "b", count: 100)
        t.enqueue("GET /payouts/p", .response(HTTPResponse(status: 500, headers: HTTPHeaders(), body: Data(page.utf8))))
        let e = try #require(try await failure(t) { _ = try await $0.payout(id: "p") })
        #expect(e.bodyExcerpt == String(repeating: "a", count: 190) + "<redacted…")
        #expect(!e.description.contains(Fixture.secret.prefix(4)))
    }

    @Test func aSecretAcrossTheByteWindowIsNotShownInPart() async throws {
        // Whitespace collapses, so the excerpt reaches the end of the 800-byte window, where the
        // secret is cut in two: its first part must not survive.
        let t = ScriptedTransport()
        let page = String(repeating: " ", count: 790) + Fixture.secret + " tail"
        t.enqueue("GET /payouts/p", .response(HTTPResponse(status: 502, headers: HTTPHeaders(), body: Data(page.utf8))))
        let e = try #require(try await failure(t) { _ = try await $0.payout(id: "p") })
        #expect(e.bodyExcerpt == "(\(page.utf8.count) bytes of whitespace or binary)")
        #expect(!e.description.contains(Fixture.secret.prefix(4)))
    }

    @Test func aPageThatIsNotJSONIsScrubbedOfTheTokenAndTheSecret() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts?limit=100", status: 200, json: "<html>proxy saw Bearer token-1 for \(Fixture.secret)</html>")
        let e = try #require(try await failure(t) { _ = try await $0.payouts().collect() })
        #expect(e.bodyExcerpt == "<html>proxy saw Bearer <redacted> for <redacted></html>")
        #expect(!e.description.contains("token-1"))
        #expect(!e.description.contains(Fixture.secret))
    }

    @Test func aByIDReplyThatIsNotJSONIsScrubbedToo() async throws {
        let t = ScriptedTransport()
        t.enqueue("GET /payouts/p", status: 200, json: "token-1")
        let e = try #require(try await failure(t) { _ = try await $0.payout(id: "p") })
        #expect(e.bodyExcerpt == "<redacted>")
    }

    @Test func validationKeysThatBecomeEqualOnceScrubbedAreMergedNotATrap() async throws {
        let t = ScriptedTransport()
        let body = #"{"code":"invalid","validation_errors":{"auth token-1":"expired","auth \#(Fixture.secret)":"wrong","z":"ok"}}"#
        t.enqueue("GET /payouts/p", Fixture.status(422, json: body))
        let e = try #require(try await failure(t) { _ = try await $0.payout(id: "p") })
        // Joined in the order of the original keys ("auth s3cr3t…" < "auth token-1").
        #expect(e.validationErrors == ["auth <redacted>": "wrong; expired", "z": "ok"])
    }

    // MARK: cleartext

    @Test(arguments: ["http://127.0.0.1:8080", "http://127.200.3.4/ap", "http://localhost:9", "http://LOCALHOST",
                      "http://[::1]:8080", "https://public-api.alternativepayments.io", "https://10.0.0.1", "http://ap-sandbox.invalid"])
    func httpsAnywhereAndPlainHTTPOnlyToLoopback(_ url: String) throws {
        _ = try APIClientConfiguration(baseURL: url, credentials: Fixture.credentials)
    }

    @Test(arguments: [
        ("http://public-api.alternativepayments.io", "public-api.alternativepayments.io"),
        ("http://10.0.0.1:8080", "10.0.0.1"),
        ("http://127.0.0.1.evil.example", "127.0.0.1.evil.example"),
        ("http://localhost.evil.example", "localhost.evil.example"),
        ("http://0x7f.0.0.1", "0x7f.0.0.1"),
        ("HTTP://api.example", "api.example"),
    ])
    func plainHTTPToAnyOtherHostIsRefused(_ url: String, _ host: String) throws {
        do {
            _ = try APIClientConfiguration(baseURL: url, credentials: Fixture.credentials)
            Issue.record("expected \(url) to be refused")
        } catch let error as APIError {
            #expect(error.kind == .configuration)
            #expect(error.exitCode == 78)
            #expect(error.description == "API client: base URL is plain http to \"\(host)\", which would send the client secret and tokens across the network unencrypted. Use https; plain http is accepted only to a loopback address (localhost, 127.0.0.0/8, ::1).")
        }
    }
}

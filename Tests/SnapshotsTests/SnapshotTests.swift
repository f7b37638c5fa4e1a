import APTransport
import Foundation
import JobSettings
import Publishing
import RunPipeline
import Snapshots
import Reports
import Testing

/// The snapshot without a network: building (redaction, order), the index on disk and back,
/// digest verification, and the replay transport's answers.
@Suite struct SnapshotTests {
    static let clientID = "unit-client"
    static let secret = "unit-secret-Pq7Rt2Vw"
    static let accessToken = "tok_Hx82Lq0Zm4"
    static var basic: String { Data("\(clientID):\(secret)".utf8).base64EncodedString() }

    static let parameters = SnapshotParameters(
        baseURL: "https://api.example", since: "2026-11-01T00:00:00Z", until: "2026-11-08T00:00:00Z",
        asOf: "2026-11-08T06:00:00Z", pageSize: 100, failOn: "error", expectedPaymentRequestIDs: ["pr_1"],
        maxAttempts: 6, concurrency: 8)

    static func response(_ status: Int, _ body: String, headers: [HTTPHeader] = []) -> Result<HTTPResponse, TransportError> {
        .success(HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Data(body.utf8)))
    }

    /// A token reply, a payouts page that was first rate-limited, a truncated attempt, and a page
    /// whose server echoes secrets back (in headers and body), in completion order.
    static let exchanges: [RawExchange] = [
        RawExchange(method: "GET", path: "/payouts?limit=100", occurrence: 1,
                    result: response(429, #"{"code":"rate_limited"}"#, headers: [HTTPHeader("Retry-After", "1")])),
        RawExchange(method: "POST", path: "/oauth/token", occurrence: 1,
                    result: response(200, #"{"access_token":"\#(accessToken)","token_type":"Bearer","expires_in":3600}"#,
                                     headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Set-Cookie", "s=\(accessToken)")])),
        RawExchange(method: "GET", path: "/payouts/po_1/transactions?limit=100", occurrence: 1,
                    result: .failure(TransportError(kind: .truncatedBody, curlCode: 18, detail: "transfer closed with 10 bytes remaining",
                                                    request: "GET https://api.example/payouts/po_1/transactions?limit=100"))),
        RawExchange(method: "GET", path: "/payouts?limit=100", occurrence: 2,
                    result: response(200, #"{"data":[],"echo":"\#(accessToken) \#(secret) \#(basic)"}"#,
                                     headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Content-Length", "999"), HTTPHeader("X-Request-Id", "r1"),
                                               HTTPHeader("X-Auth-Token", "anything"), HTTPHeader("X-Echo", "Bearer \(accessToken)")])),
        RawExchange(method: "GET", path: "/payouts/po_1/transactions?limit=100", occurrence: 2,
                    result: response(200, #"{"data":[]}"#)),
    ]

    static func build(_ exchanges: [RawExchange] = exchanges) -> Snapshot {
        Snapshot.build(exchanges, run: parameters, toolVersion: "0.3.0",
                       secrets: SnapshotRedaction.credentialSecrets(clientID: clientID, clientSecret: secret))
    }

    /// A folder inside a private one, so the publisher's staging folder never lands in the shared
    /// temporary folder (where other tests look for leftovers).
    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("snap-\(UUID().uuidString)/out").path
    }

    /// Publishes the snapshot (and a manifest naming it, when asked) and returns the snapshot folder.
    static func publish(_ snapshot: Snapshot, manifestDigest: String?? = .none) throws -> String {
        let out = temporaryFolder()
        var files = snapshot.files
        if case .some(let digest) = manifestDigest {
            let named = digest.map { #","snapshot":{"index":"snapshot/index.json","sha256":"\#($0)"}"# } ?? ""
            files.append(OutputFile(name: "manifest.json", bytes: Array(#"{"files":[]\#(named)}"#.utf8)))
        }
        try Publisher.publish(files, to: out)
        return out + "/snapshot"
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func filesAreOrderedByRequestNotByCompletion() throws {
        let snapshot = Self.build()
        #expect(snapshot.files.map(\.relativePath) == [
            "snapshot/index.json", "snapshot/000001.body", "snapshot/000002.body", "snapshot/000003.body", "snapshot/000004.body",
        ])
        #expect(snapshot.index.exchanges.map { "\($0.key)#\($0.occurrence)" } == [
            "GET /payouts/po_1/transactions?limit=100#1", "GET /payouts/po_1/transactions?limit=100#2",
            "GET /payouts?limit=100#1", "GET /payouts?limit=100#2", "POST /oauth/token#1",
        ])
        #expect(snapshot.index.exchanges[0].transportError == RecordedTransportError(kind: "truncatedBody", curlCode: 18, detail: "transfer closed with 10 bytes remaining"))
        #expect(snapshot.index.exchanges[0].file == nil)
        #expect(snapshot.index.exchanges.map(\.file) == [nil, "000001.body", "000002.body", "000003.body", "000004.body"])
        // Another completion order (concurrency) gives the same bytes.
        let shuffled = Self.build(Self.exchanges.reversed())
        #expect(shuffled.files == snapshot.files)
        #expect(shuffled.digest == snapshot.digest)
        #expect(snapshot.digest == Manifest.sha256Hex(snapshot.files[0].bytes))
    }

    @Test func secretsAndTokensAppearNowhere() throws {
        let snapshot = Self.build()
        for file in snapshot.files {
            let content = text(file.bytes)
            for secret in [Self.secret, Self.accessToken, Self.basic] {
                #expect(!content.contains(secret), "\(file.relativePath) holds a secret")
            }
        }
        // The token reply keeps what replay needs.
        let token = try #require(snapshot.index.exchanges.first { $0.key == "POST /oauth/token" })
        let tokenBody = try #require(snapshot.files.first { $0.name == token.file })
        #expect(text(tokenBody.bytes) == #"{"access_token":"<redacted>","token_type":"Bearer","expires_in":3600}"#)
        #expect(token.headers == [RecordedHeader(name: "Content-Type", value: "application/json")])
        // The echoing page: body scrubbed, credential headers dropped, harmless ones kept.
        let page = try #require(snapshot.index.exchanges.first { $0.key == "GET /payouts?limit=100" && $0.occurrence == 2 })
        let pageBody = try #require(snapshot.files.first { $0.name == page.file })
        #expect(text(pageBody.bytes) == #"{"data":[],"echo":"<redacted> <redacted> <redacted>"}"#)
        #expect(page.headers == [RecordedHeader(name: "Content-Type", value: "application/json"), RecordedHeader(name: "Content-Length", value: "53"),
                                 RecordedHeader(name: "X-Request-Id", value: "r1")])
        #expect(pageBody.bytes.count == 53)
        #expect(page.sha256 == Manifest.sha256Hex(pageBody.bytes))
        #expect(page.bytes == pageBody.bytes.count)
    }

    @Test func aTokenWrittenWithJSONEscapesIsStillRedacted() {
        let body = Array(#"{"access_token":"a\/b\u0063","expires_in":60}"#.utf8)
        let redacted = SnapshotRedaction.redactTokenReply(body, secrets: ["zzz-not-present"])
        #expect(text(redacted) == #"{"access_token":"<redacted>","expires_in":60}"#)
    }

    @Test func indexRoundTripsThroughTheDisk() throws {
        let snapshot = Self.build()
        let folder = try Self.publish(snapshot, manifestDigest: .some(snapshot.digest))
        let loaded = try SnapshotReader.load(folder)
        #expect(loaded.index == snapshot.index)
        #expect(loaded.digest == snapshot.digest)
        #expect(loaded.index.run == Self.parameters)
        #expect(loaded.bodies.count == 4)
        for file in snapshot.files.dropFirst() { #expect(loaded.bodies[file.name] == file.bytes) }
        let index = text(snapshot.files[0].bytes)
        #expect(index.hasPrefix("{\n  \"exchanges\" : [\n"))
        #expect(index.contains("\"format\" : \"ap-reconcile-snapshot\""))
        #expect(index.contains("\"format_version\" : 2"))
        #expect(index.contains("\"transport_error\" : {\n        \"curl_code\" : 18,"))
    }

    @Test func oneChangedByteIsRefused() throws {
        let snapshot = Self.build()
        let folder = try Self.publish(snapshot)
        var bytes = try #require(FileManager.default.contents(atPath: folder + "/000003.body"))
        bytes[bytes.startIndex + 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: folder + "/000003.body"))
        let expected = Manifest.sha256Hex(Array(bytes))
        #expect(throws: SnapshotError.self) { try SnapshotReader.load(folder) }
        do {
            _ = try SnapshotReader.load(folder)
        } catch {
            let listed = snapshot.index.exchanges[3].sha256 ?? ""
            #expect(error.description == "snapshot \(folder) refused: 000003.body (GET /payouts?limit=100) has SHA-256 \(expected) and \(bytes.count) bytes, "
                + "but the index lists \(listed) and \(bytes.count) bytes: the file was changed after it was recorded")
        }
    }

    /// Statement files: kept as read under plain names, listed with their statement names and
    /// the matching's settings, read back exactly; a changed, missing or oddly named one is refused.
    @Test func bankStatementsAreFiledNamedAndVerified() throws {
        let settings = BankSettings(files: ["/srv/bank/a/s.xml", "/srv/bank/b/s.xml", "/gone.sta"], settlementDays: 5,
                                    providerNames: ["ALT PAY"])
        #expect(settings.names == ["a/s.xml", "b/s.xml", "gone.sta"])
        let recorded = [RecordedBankFile(name: "a/s.xml", bytes: Array("first".utf8)), RecordedBankFile(name: "b/s.xml", bytes: Array("second".utf8)),
                        RecordedBankFile(name: "gone.sta", bytes: nil)]
        let snapshot = Snapshot.build(Self.exchanges, run: Self.parameters, toolVersion: "0.3.0",
                                      secrets: SnapshotRedaction.credentialSecrets(clientID: Self.clientID, clientSecret: Self.secret),
                                      bank: (settings, recorded))
        #expect(snapshot.index.bank == SnapshotBank(settlementDays: 5, providerNames: ["ALT PAY"], csvMapping: nil, statements: [
            SnapshotBankStatement(name: "a/s.xml", file: "bank-001.statement", sha256: Manifest.sha256Hex(Array("first".utf8)), bytes: 5),
            SnapshotBankStatement(name: "b/s.xml", file: "bank-002.statement", sha256: Manifest.sha256Hex(Array("second".utf8)), bytes: 6),
            SnapshotBankStatement(name: "gone.sta", file: nil, sha256: nil, bytes: nil),
        ]))
        let folder = try Self.publish(snapshot)
        #expect(try SnapshotReader.load(folder).bankFiles == recorded)

        try Data("firsT".utf8).write(to: URL(fileURLWithPath: folder + "/bank-001.statement"))
        #expect(problem(folder) == "bank-001.statement (bank statement a/s.xml) has SHA-256 \(Manifest.sha256Hex(Array("firsT".utf8))) and 5 bytes, "
            + "but the index lists \(Manifest.sha256Hex(Array("first".utf8))) and 5 bytes: the file was changed after it was recorded")
        let missing = try Self.publish(snapshot)
        try FileManager.default.removeItem(atPath: missing + "/bank-002.statement")
        #expect(problem(missing) == "bank-002.statement (bank statement b/s.xml) is missing or unreadable: the snapshot is incomplete")

        var odd = snapshot.index
        odd.bank?.statements[0].file = "../s.xml"
        let oddFolder = try Self.publish(snapshot)
        try Data(odd.encoded()).write(to: URL(fileURLWithPath: oddFolder + "/" + SnapshotIndex.fileName))
        #expect(problem(oddFolder) == #"index.json names bank statement file "../s.xml" that is not a plain bank-NNN.statement name (or names it twice)"#)
    }

    @Test func aVersionOneIndexStillReadsAndAFutureOneIsRefused() throws {
        var old = Self.build().index
        old.formatVersion = 1
        let oldFolder = try Self.publish(Self.build())
        try Data(old.encoded()).write(to: URL(fileURLWithPath: oldFolder + "/" + SnapshotIndex.fileName))
        #expect(try SnapshotReader.load(oldFolder).index.formatVersion == 1)
        var future = old
        future.formatVersion = 3
        let futureFolder = try Self.publish(Self.build())
        try Data(future.encoded()).write(to: URL(fileURLWithPath: futureFolder + "/" + SnapshotIndex.fileName))
        #expect(problem(futureFolder) == "format version 3 is not supported (this ap-reconcile reads versions 1 to 2); use the ap-reconcile version that recorded it, 0.3.0")
    }

    @Test func missingAndExtraFilesAreRefused() throws {
        let missing = try Self.publish(Self.build())
        try FileManager.default.removeItem(atPath: missing + "/000004.body")
        #expect(problem(missing) == "000004.body (POST /oauth/token) is missing or unreadable: the snapshot is incomplete")

        let extra = try Self.publish(Self.build())
        try Data("{}".utf8).write(to: URL(fileURLWithPath: extra + "/000009.body"))
        #expect(problem(extra) == "000009.body is not listed in index.json: the snapshot was changed after it was recorded")

        let noIndex = try Self.publish(Self.build())
        try FileManager.default.removeItem(atPath: noIndex + "/index.json")
        #expect(problem(noIndex) == "index.json is missing or unreadable; pass the snapshot folder (the run's output folder/snapshot)")
    }

    @Test func anIndexTheManifestDoesNotNameIsRefused() throws {
        let snapshot = Self.build()
        let other = String(repeating: "ab", count: 32)
        let folder = try Self.publish(snapshot, manifestDigest: .some(other))
        #expect(problem(folder) == "index.json has SHA-256 \(snapshot.digest) but manifest.json beside it names \(other): the index was changed after it was recorded")

        let unnamed = try Self.publish(snapshot, manifestDigest: .some(nil))
        let parent = (unnamed as NSString).deletingLastPathComponent
        #expect(problem(unnamed) == "\(parent)/manifest.json beside it names no snapshot: these reports were not produced with this snapshot")

        let loose = try Self.publish(snapshot)
        #expect(throws: Never.self) { try SnapshotReader.load(loose, expectedDigest: snapshot.digest.uppercased()) }
        #expect(problem(loose, expected: other) == "index.json has SHA-256 \(snapshot.digest), not the expected \(other): it was changed after it was recorded")
    }

    func problem(_ folder: String, expected: String? = nil) -> String? {
        do {
            _ = try SnapshotReader.load(folder, expectedDigest: expected)
            return nil
        } catch {
            #expect(error.path == folder)
            return error.problem
        }
    }

    @Test func replayServesEachRequestsAnswersInOrder() async throws {
        let folder = try Self.publish(Self.build())
        let transport = ReplayTransport(snapshot: try SnapshotReader.load(folder))
        let payouts = HTTPRequest(url: "https://api.example/payouts?limit=100")
        let first = try await transport.send(payouts)
        #expect(first.status == 429)
        #expect(first.retryAfter == .seconds(1))
        let second = try await transport.send(payouts)
        #expect(second.status == 200)
        #expect(String(decoding: second.body, as: UTF8.self) == #"{"data":[],"echo":"<redacted> <redacted> <redacted>"}"#)

        let lines = HTTPRequest(url: "https://api.example/payouts/po_1/transactions?limit=100")
        await #expect(throws: TransportError(kind: .truncatedBody, curlCode: 18, detail: "transfer closed with 10 bytes remaining",
                                             request: "GET /payouts/po_1/transactions?limit=100")) {
            try await transport.send(lines)
        }
        #expect(try await transport.send(lines).status == 200)

        // Token replies may be served again; nothing else is.
        let token = HTTPRequest(method: .post, url: "https://api.example/oauth/token")
        for _ in 0..<2 {
            #expect(String(decoding: try await transport.send(token).body, as: UTF8.self)
                == #"{"access_token":"<redacted>","token_type":"Bearer","expires_in":3600}"#)
        }
        await #expect(throws: TransportError.self) { try await transport.send(payouts) }
        await #expect(throws: TransportError.self) { try await transport.send(HTTPRequest(url: "https://api.example/invoices?limit=100")) }
        #expect(transport.misses == [
            "GET /payouts?limit=100 (request 3 of it; the snapshot holds 2)",
            "GET /invoices?limit=100 (request 1 of it; the snapshot holds 0)",
        ])
        #expect(transport.unusedCount == 0)
    }

    @Test func theJobFileTurnsRecordingOn() throws {
        #expect(try JobFile.parse(Data(#"{"record": true}"#.utf8), path: "job.json").record == true)
        #expect(try JobFile.parse(Data("{}".utf8), path: "job.json").record == nil)
        #expect(throws: SettingsError.self) { try JobFile.parse(Data(#"{"record": "yes"}"#.utf8), path: "job.json") }
    }
}

import APSandbox
import APTransport
import Crypto
import Foundation
import Logging
import Testing

/// POST /sandbox/webhooks verifies deliveries as docs/notifications.md tells a receiver to.
@Suite struct WebhookReceiverTests {
    static let secret = "whsec-receiver-test"

    func sign(_ body: String, t: Int64, secret: String = WebhookReceiverTests.secret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(t).\(body)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return "t=\(t),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    @Test func verifiesSignatureTimestampAndReplays() async throws {
        var configuration = SandboxConfiguration(environment: [:])
        configuration.webhookSecret = Self.secret
        let sandbox = try await SandboxServer.start(configuration: configuration, dataset: SandboxDataset(),
                                                    logger: Logger(label: "s", factory: { _ in SwiftLogNoOpLogHandler() }))
        let transport = CurlTransport()
        let url = sandbox.baseURL + "/sandbox/webhooks"
        func post(_ body: String, signature: String?) async throws -> Int {
            var headers = [HTTPHeader("Content-Type", "application/json")]
            if let signature { headers.append(HTTPHeader("AP-Recon-Signature", signature)) }
            return try await transport.send(HTTPRequest(method: .post, url: url, headers: headers, body: Data(body.utf8))).status
        }
        let now = Int64(Date().timeIntervalSince1970)
        let body = #"{"id":"evt_a","type":"reconciliation.completed"}"#

        let good = try await post(body, signature: sign(body, t: now))
        let replay = try await post(body, signature: sign(body, t: now))
        let tampered = try await post(#"{"id":"evt_b","type":"reconciliation.completed"}"#, signature: sign(body, t: now))
        let stale = try await post(#"{"id":"evt_c"}"#, signature: sign(#"{"id":"evt_c"}"#, t: now - 3600))
        let wrongKey = try await post(#"{"id":"evt_d"}"#, signature: sign(#"{"id":"evt_d"}"#, t: now, secret: "other"))
        let missing = try await post(#"{"id":"evt_e"}"#, signature: nil)
        let malformed = try await post(#"{"id":"evt_f"}"#, signature: "v1=zz")
        let noID = try await post(#"{"type":"x"}"#, signature: sign(#"{"type":"x"}"#, t: now))
        let listed = try await transport.send(HTTPRequest(url: url))
        transport.shutdown()
        let verified = sandbox.verifiedWebhooks
        let rejected = sandbox.rejectedWebhooks
        await sandbox.stop()

        let statuses: [Int] = [good, replay, tampered, stale, wrongKey, missing, malformed, noID]
        #expect(statuses == [204, 409, 401, 401, 401, 401, 401, 400])
        #expect(verified.map(\.id) == ["evt_a"])
        #expect(verified.first?.timestamp == now)
        #expect(rejected == ["replayed_event": 1, "signature_mismatch": 2, "timestamp_outside_tolerance": 1,
                             "missing_signature": 1, "malformed_signature": 1, "malformed_event": 1])
        let json = try #require(try JSONSerialization.jsonObject(with: listed.body) as? [String: Any])
        let events = try #require(json["verified"] as? [[String: Any]])
        #expect(events.map { $0["id"] as? String } == ["evt_a"])
        #expect((events.first?["event"] as? [String: String])?["type"] == "reconciliation.completed")
        #expect(json["rejected"] as? [String: Int] == rejected)
    }

    @Test func withoutASecretEveryDeliveryIsRefused() async throws {
        let sandbox = try await SandboxServer.start(configuration: SandboxConfiguration(environment: [:]), dataset: SandboxDataset(),
                                                    logger: Logger(label: "s", factory: { _ in SwiftLogNoOpLogHandler() }))
        let transport = CurlTransport()
        let body = #"{"id":"evt_a"}"#
        let response = try await transport.send(HTTPRequest(method: .post, url: sandbox.baseURL + "/sandbox/webhooks",
                                                            headers: [HTTPHeader("AP-Recon-Signature", sign(body, t: Int64(Date().timeIntervalSince1970)))],
                                                            body: Data(body.utf8)))
        transport.shutdown()
        let rejected = sandbox.rejectedWebhooks
        await sandbox.stop()
        #expect(response.status == 401)
        #expect(rejected == ["not_configured": 1])
    }
}

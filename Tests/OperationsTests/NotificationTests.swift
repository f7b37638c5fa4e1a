import APClient
import APTransport
import Foundation
import JobSettings
@testable import Operations
import RunPipeline
import Testing

@Suite struct NotificationTests {
    @Test func signatureIsHMACSHA256OverTimestampDotBody() {
        // Reference value from Python: hmac.new(b"whsec_test", b'1700000000.{"id":"evt_1"}', sha256).hexdigest()
        let header = WebhookSignature.sign(body: Array(#"{"id":"evt_1"}"#.utf8), timestamp: 1_700_000_000, secret: "whsec_test")
        #expect(header == "t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925")
    }

    @Test func completedEventBodyHasEveryFieldInOrder() {
        let event = NotificationEvent(id: "evt_1", createdAt: Timestamp(epochSeconds: 86_400 + 3600), account: "acme", outcome: completeOutcome())
        let text = String(decoding: event.body, as: UTF8.self)
        #expect(text == """
        {
          "id": "evt_1",
          "type": "reconciliation.completed",
          "created_at": "1970-01-02T01:00:00Z",
          "tool_version": "\(ToolVersion.current)",
          "account": "acme",
          "window": {
            "since": "1970-01-01T00:00:00Z",
            "until": "1970-01-02T00:00:00Z"
          },
          "outcome": "diagnostics",
          "exit_code": 1,
          "headline": "reconciled 1 payouts",
          "payouts": 1,
          "lines": 1,
          "diagnostics": {
            "error": 1,
            "warning": 0,
            "info": 0
          },
          "open_items": null,
          "open_diagnostics": {
            "error": 1,
            "warning": 0,
            "info": 0
          },
          "acknowledged": {
            "error": 0,
            "warning": 0,
            "info": 0
          },
          "at_stake": [
            {
              "currency": "USD",
              "open": 10,
              "new": null,
              "acknowledged": 0
            }
          ],
          "reports": {
            "directory": "/reports/x",
            "files": [
              {
                "name": "manifest.json",
                "sha256": "bb22"
              },
              {
                "name": "report.json",
                "sha256": "aa11"
              }
            ]
          }
        }

        """)
    }

    @Test func failedRunEventHasNoCountsAndNoFiles() throws {
        let event = NotificationEvent(id: "evt_2", createdAt: Timestamp(epochSeconds: 0), account: nil, outcome: failedOutcome())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.body)) as? [String: Any])
        #expect(object["outcome"] as? String == "failed")
        #expect(object["exit_code"] as? Int == 69)
        #expect(object["account"] is NSNull)
        #expect(object["payouts"] is NSNull)
        #expect(object["diagnostics"] is NSNull)
        #expect((object["reports"] as? [String: Any])?["files"] as? [Any] != nil)
        #expect(((object["reports"] as? [String: Any])?["files"] as? [Any])?.count == 0)
    }

    func notifier(_ transport: ScriptedWebhookTransport) -> Notifier {
        Notifier(transport: transport, secret: "whsec_test",
                 retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2), budget: .seconds(5)),
                 logger: quietLogger, now: { Date(timeIntervalSince1970: 1_700_000_000) }, sleep: { _ in })
    }

    @Test func retriesServerErrorsThenDeliversSignedBody() async throws {
        let transport = ScriptedWebhookTransport([.status(503), .failure(.connectionReset), .status(204)])
        let event = NotificationEvent(id: "evt_1", createdAt: Timestamp(epochSeconds: 0), account: nil, outcome: completeOutcome())
        let result = await notifier(transport).send(event, to: "https://hooks.example.com/recon")
        #expect(result == .delivered(attempts: 3, status: 204))
        #expect(transport.sent.count == 3)
        let last = try #require(transport.sent.last)
        #expect(last.method == .post)
        #expect(last.url == "https://hooks.example.com/recon")
        let body = try #require(last.body)
        #expect(Array(body) == event.body)
        let signature = last.headers.first { $0.name == "AP-Recon-Signature" }?.value
        #expect(signature == WebhookSignature.sign(body: event.body, timestamp: 1_700_000_000, secret: "whsec_test"))
        #expect(last.headers.contains(HTTPHeader("AP-Recon-Event-Id", "evt_1")))
    }

    @Test func clientErrorIsNotRetried() async {
        let transport = ScriptedWebhookTransport([.status(400)])
        let event = NotificationEvent(id: "evt_1", createdAt: Timestamp(epochSeconds: 0), account: nil, outcome: completeOutcome())
        let result = await notifier(transport).send(event, to: "https://hooks.example.com/recon")
        #expect(result == .failed(attempts: 1, reason: "HTTP 400 (not retryable)"))
    }

    @Test func failedDeliveryKeepsTheOutcomeUnlessRequired() async {
        let url = "https://hooks.example.com/T0123/secret-path?token=abc"
        let optional = await notifier(ScriptedWebhookTransport([.status(500), .status(500), .status(500)]))
            .notify(completeOutcome(), account: nil, settings: NotifySettings(url: url, required: false))
        #expect(optional.status == .diagnosticsFound)
        #expect(optional.headline == "reconciled 1 payouts; notification to https://hooks.example.com/… failed after 3 attempt(s): HTTP 500 (gave up after 3 attempts)")
        #expect(!optional.headline.contains("secret-path"))

        let required = await notifier(ScriptedWebhookTransport([.status(500), .status(500), .status(500)]))
            .notify(completeOutcome(), account: nil, settings: NotifySettings(url: url, required: true))
        #expect(required.status == .notificationFailed)
        #expect(required.status.rawValue == 74)
        #expect(required.files == ["report.json", "manifest.json"])

        // A failed run stays the failure it was: its own code says more than 74 would.
        let failed = await notifier(ScriptedWebhookTransport([.status(500), .status(500), .status(500)]))
            .notify(failedOutcome(), account: nil, settings: NotifySettings(url: url, required: true))
        #expect(failed.status == .unavailable)
    }

    @Test func notifyURLMustBeHTTP() {
        #expect(throws: SettingsError.self) { try NotifySettings.validate(url: "ftp://x/y", what: "--notify") }
        #expect(throws: SettingsError.self) { try NotifySettings.validate(url: "not a url", what: "--notify") }
        #expect(throws: Never.self) { try NotifySettings.validate(url: "http://127.0.0.1:8080/hook", what: "--notify") }
    }
}

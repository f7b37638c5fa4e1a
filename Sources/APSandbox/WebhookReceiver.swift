import HTTPTypes
import Hummingbird
import Crypto
import Foundation
import NIOConcurrencyHelpers

/// A webhook event the sandbox accepted at POST /sandbox/webhooks.
public struct ReceivedWebhook: Sendable, Equatable {
    /// The event's `id`.
    public var id: String
    /// `t` of the signature header.
    public var timestamp: Int64
    /// The body exactly as received.
    public var body: [UInt8]
}

/// Why the receiver refused a delivery (the key counted in `rejected`).
public enum WebhookRejection: String, Error, Sendable, CaseIterable {
    /// The sandbox was started without a webhook secret.
    case notConfigured = "not_configured"
    case missingSignature = "missing_signature"
    case malformedSignature = "malformed_signature"
    /// `t` is more than the tolerance away from the receiver's clock (old or replayed).
    case timestampOutsideTolerance = "timestamp_outside_tolerance"
    case signatureMismatch = "signature_mismatch"
    /// Valid signature, but not a JSON object with a string `id`.
    case malformedEvent = "malformed_event"
    /// An event id already accepted: a replay (or a retry of a delivered event).
    case replayedEvent = "replayed_event"
}

/// Verifies `reconciliation.completed` deliveries the way docs/notifications.md tells a
/// receiver to: HMAC-SHA256 over `"<t>.<body>"` compared in constant time, `t` within a
/// tolerance of the receiver's clock, and each event id accepted once.
final class WebhookReceiver: Sendable {
    private struct Log {
        var accepted: [ReceivedWebhook] = []
        var rejected: [String: Int] = [:]
        var seenIDs: Set<String> = []
    }

    let secret: String?
    let toleranceSeconds: Int64
    let clock: @Sendable () -> Date
    private let log = NIOLockedValueBox(Log())

    init(secret: String?, toleranceSeconds: Int64 = 300, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.secret = secret
        self.toleranceSeconds = toleranceSeconds
        self.clock = clock
    }

    var accepted: [ReceivedWebhook] { log.withLockedValue { $0.accepted } }
    var rejected: [String: Int] { log.withLockedValue { $0.rejected } }

    /// Verifies one delivery; records it as accepted or rejected.
    func receive(signature header: String?, body: [UInt8]) -> Result<ReceivedWebhook, WebhookRejection> {
        let result = verify(signature: header, body: body)
        return log.withLockedValue { log in
            switch result {
            case .success(let event):
                guard log.seenIDs.insert(event.id).inserted else {
                    log.rejected[WebhookRejection.replayedEvent.rawValue, default: 0] += 1
                    return .failure(.replayedEvent)
                }
                log.accepted.append(event)
                return result
            case .failure(let why):
                log.rejected[why.rawValue, default: 0] += 1
                return result
            }
        }
    }

    private func verify(signature header: String?, body: [UInt8]) -> Result<ReceivedWebhook, WebhookRejection> {
        guard let secret, !secret.isEmpty else { return .failure(.notConfigured) }
        guard let header, !header.isEmpty else { return .failure(.missingSignature) }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return .failure(.malformedSignature) }
            let key = pair[0].trimmingCharacters(in: .whitespaces), value = pair[1].trimmingCharacters(in: .whitespaces)
            if key == "t" { timestamp = Int64(value) }
            if key == "v1", let bytes = Self.bytes(hex: value) { signatures.append(bytes) }
        }
        guard let timestamp, !signatures.isEmpty else { return .failure(.malformedSignature) }
        let now = Int64(clock().timeIntervalSince1970)
        guard abs(now - timestamp) <= toleranceSeconds else { return .failure(.timestampOutsideTolerance) }
        let key = SymmetricKey(data: Array(secret.utf8))
        let message = Array("\(timestamp).".utf8) + body
        // isValidAuthenticationCode compares in constant time.
        guard signatures.contains(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: message, using: key) }) else {
            return .failure(.signatureMismatch)
        }
        guard case .object(let object)? = try? JSON.parse(body), let id = object["id"]?.stringValue, !id.isEmpty else {
            return .failure(.malformedEvent)
        }
        return .success(ReceivedWebhook(id: id, timestamp: timestamp, body: body))
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0, !digits.isEmpty else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    /// GET /sandbox/webhooks: accepted events (id, t, the event itself) and rejections by reason.
    var json: JSON {
        let (accepted, rejected) = log.withLockedValue { ($0.accepted, $0.rejected) }
        return .object([
            "verified": .array(accepted.map { event in
                .object(["id": .string(event.id), "t": .integer(event.timestamp), "event": (try? JSON.parse(event.body)) ?? .null])
            }),
            "rejected": .object(JSONObject(rejected.keys.sorted().map { JSONField($0, .integer(Int64(rejected[$0] ?? 0))) })),
        ])
    }
}

extension RunningSandbox {
    /// Webhook events POST /sandbox/webhooks accepted, in arrival order.
    public var verifiedWebhooks: [ReceivedWebhook] { webhooks.accepted }
    /// Deliveries refused, by `WebhookRejection` raw value.
    public var rejectedWebhooks: [String: Int] { webhooks.rejected }
}

extension SandboxResponder {
    /// POST: 204 when the signature verifies, else 401 (400 for a malformed event) naming the reason.
    /// GET: what was accepted and rejected so far.
    func webhookResponse(_ route: Route, request: Request, body: [UInt8]) -> Response {
        guard route == .receiveWebhook else { return Self.json(webhooks.json) }
        let header = request.headers[HTTPField.Name("AP-Recon-Signature")!]
        switch webhooks.receive(signature: header, body: body) {
        case .success:
            return Response(status: .noContent)
        case .failure(let why):
            let status = why == .malformedEvent ? 400 : (why == .replayedEvent ? 409 : 401)
            return Self.json(APIError(status: status, code: why.rawValue, message: "webhook rejected: \(why.rawValue)"))
        }
    }
}

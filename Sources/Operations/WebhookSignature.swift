import Crypto
import Foundation
import JobSettings
import Reports
import RunPipeline

/// The `AP-Recon-Signature` header: `t=<unix seconds>,v1=<lowercase hex HMAC-SHA256>` where
/// the MAC covers `"<t>.<body>"` under the shared webhook secret. Signing the timestamp with
/// the body lets a receiver refuse old (replayed) deliveries without trusting any clock but its own.
/// The secret comes from `WebhookSecret` (settings).
public enum WebhookSignature {
    public static let headerName = "AP-Recon-Signature"

    public static func sign(body: [UInt8], timestamp: Int64, secret: String) -> String {
        "t=\(timestamp),v1=\(Manifest.hex(mac(body: body, timestamp: timestamp, secret: secret)))"
    }

    static func mac(body: [UInt8], timestamp: Int64, secret: String) -> [UInt8] {
        var message = Array("\(timestamp).".utf8)
        message += body
        let key = SymmetricKey(data: Array(secret.utf8))
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }
}

import APClient
import Crypto
import Foundation

/// The `AP-Recon-Signature` header: `t=<unix seconds>,v1=<lowercase hex HMAC-SHA256>` where
/// the MAC covers `"<t>.<body>"` under the shared webhook secret. Signing the timestamp with
/// the body lets a receiver refuse old (replayed) deliveries without trusting any clock but its own.
public enum WebhookSignature {
    public static let headerName = "AP-Recon-Signature"
    /// Environment variable holding the shared secret. Never a flag, never logged.
    public static let secretVariable = "AP_RECON_WEBHOOK_SECRET"
    /// Or a file holding only the secret (systemd LoadCredential=, a mounted Kubernetes Secret).
    public static let secretFileVariable = "AP_RECON_WEBHOOK_SECRET_FILE"

    /// The shared secret from `AP_RECON_WEBHOOK_SECRET`, else the file `AP_RECON_WEBHOOK_SECRET_FILE`
    /// names; one trailing line ending trimmed from either, a file open to other accounts refused
    /// (`SecretText`, `SecretFilePolicy`). Missing or empty: a configuration error (78).
    public static func secret(environment: [String: String]) throws(SettingsError) -> String {
        if let value = SecretText.secret(environment[secretVariable]) { return value }
        if let path = environment[secretFileVariable], !path.isEmpty {
            switch SecretFile.readSecret(path: path, what: secretFileVariable) {
            case .success(let value): return value
            case .failure(let failure): throw SettingsError(.configuration, failure.message)
            }
        }
        throw SettingsError(.configuration, "--notify / notify_url needs the signing secret in \(secretVariable) (or a file named by \(secretFileVariable)); neither is set")
    }

    public static func sign(body: [UInt8], timestamp: Int64, secret: String) -> String {
        "t=\(timestamp),v1=\(hex(mac(body: body, timestamp: timestamp, secret: secret)))"
    }

    static func mac(body: [UInt8], timestamp: Int64, secret: String) -> [UInt8] {
        var message = Array("\(timestamp).".utf8)
        message += body
        let key = SymmetricKey(data: Array(secret.utf8))
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

import APClient
import Foundation

/// The shared secret that signs webhook notifications: from the environment or a file, never a
/// flag (the process list shows flags) and never logged.
public enum WebhookSecret {
    /// Environment variable holding the shared secret.
    public static let variable = "AP_RECON_WEBHOOK_SECRET"
    /// Or a file holding only the secret (systemd LoadCredential=, a mounted Kubernetes Secret).
    public static let fileVariable = "AP_RECON_WEBHOOK_SECRET_FILE"

    /// The secret from `AP_RECON_WEBHOOK_SECRET`, else the file `AP_RECON_WEBHOOK_SECRET_FILE`
    /// names; one trailing line ending trimmed from either, a file open to other accounts refused
    /// (`SecretText`, `SecretFilePolicy`). Missing or empty: a configuration error (78).
    public static func resolve(environment: [String: String], readFile: FileReader = FileReader.disk) throws(SettingsError) -> String {
        if let value = SecretText.secret(environment[variable]) { return value }
        if let path = environment[fileVariable], !path.isEmpty {
            switch readFile.secret(path, what: fileVariable) {
            case .success(let value): return value
            case .failure(let failure): throw SettingsError(.configuration, failure.message)
            }
        }
        throw SettingsError(.configuration, "--notify / notify_url needs the signing secret in \(variable) (or a file named by \(fileVariable)); neither is set")
    }
}

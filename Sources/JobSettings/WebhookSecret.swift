import Foundation

/// The shared secret that signs webhook notifications: from the environment or a file, never a
/// flag (the process list shows flags) and never logged.
public enum WebhookSecret {
    /// Environment variable holding the shared secret.
    public static let variable = "AP_RECON_WEBHOOK_SECRET"
    /// Or a file holding only the secret (systemd LoadCredential=, a mounted Kubernetes Secret).
    public static let fileVariable = "AP_RECON_WEBHOOK_SECRET_FILE"

    /// The secret from `AP_RECON_WEBHOOK_SECRET`, else the file `AP_RECON_WEBHOOK_SECRET_FILE`
    /// names (trailing newline trimmed). Missing or empty: a configuration error (78).
    public static func resolve(environment: [String: String], readFile: FileReader = FileReader.disk) throws(SettingsError) -> String {
        if let value = environment[variable], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return value
        }
        if let path = environment[fileVariable], !path.isEmpty {
            guard let data = readFile(path), let text = String(data: data, encoding: .utf8) else {
                throw SettingsError(.configuration, "cannot read \(fileVariable) \(path)")
            }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw SettingsError(.configuration, "\(fileVariable) \(path) is empty") }
            return value
        }
        throw SettingsError(.configuration, "--notify / notify_url needs the signing secret in \(variable) (or a file named by \(fileVariable)); neither is set")
    }
}

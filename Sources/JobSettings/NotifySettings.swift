import APTransport
import Foundation

/// Where and how to send the notification of a run.
public struct NotifySettings: Sendable, Equatable {
    public var url: String
    /// A delivery that still fails after retries fails the run with exit 74.
    public var required: Bool

    public init(url: String, required: Bool = false) {
        self.url = url
        self.required = required
    }

    /// The URL from the environment: `AP_RECON_NOTIFY_URL`, else the file `AP_RECON_NOTIFY_URL_FILE`
    /// names. A webhook URL often carries a token, and a flag is visible to every user in the
    /// process list; the environment and a file are not.
    public static let variable = "AP_RECON_NOTIFY_URL"
    public static let fileVariable = "AP_RECON_NOTIFY_URL_FILE"

    /// The URL a file holds: its only content, surrounding whitespace and the trailing newline
    /// trimmed. Unreadable or empty: a configuration error (78) naming the file, never its content.
    public static func readURL(path: String, what: String, readFile: FileReader) throws(SettingsError) -> String {
        guard let data = readFile(path), let text = String(data: data, encoding: .utf8) else {
            throw SettingsError(.configuration, "cannot read \(what) \(path)")
        }
        let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty else { throw SettingsError(.configuration, "\(what) \(path) is empty") }
        return url
    }

    /// Checks the URL before the run starts; `what` names where it came from in the error.
    public static func validate(url: String, what: String) throws(SettingsError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parsed.host, !host.isEmpty else {
            throw SettingsError(.configuration, "\(what) must be an absolute http or https URL (got \"\(redacted(url))\")")
        }
        guard CleartextPolicy.permits(scheme: scheme, host: host) else {
            throw SettingsError(.configuration, "\(what) is plain http to a host that is not loopback (got \"\(redacted(url))\"): \(CleartextPolicy.rule)")
        }
    }

    /// Scheme and host only: webhook URLs often carry a token in their path or query.
    public static func redacted(_ url: String) -> String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return "<unparseable URL>" }
        let port = parsed.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host)\(port)/…"
    }
}

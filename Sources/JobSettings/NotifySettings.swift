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

import APClient
import Foundation
import Reconciliation

/// A problem with what the user asked for. `status` says whether it is a usage error (64)
/// or a configuration error (78); the message says what to change.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public var status: ExitStatus
    public var message: String
    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
    public var description: String { message }
}

public enum WindowParser {
    /// Parses `--since` / `--until` / `--as-of`: RFC 3339, or a date meaning its UTC midnight.
    public static func instant(_ text: String, option: String) throws(SettingsError) -> Timestamp {
        guard let t = Timestamp.parse(text.trimmingCharacters(in: .whitespaces), allowDateOnly: true) else {
            throw SettingsError(.usage, "\(option) \"\(text.prefix(40))\" is neither an RFC 3339 time (2026-11-03T00:00:00Z) nor a date (2026-11-03)")
        }
        return t
    }

    /// The half-open window [since, until). Without flags: the previous UTC day of `now`.
    /// With only `--since`: until the start of `now`'s UTC day. With only `--until`: the UTC day before it.
    public static func window(since: String?, until: String?, now: Timestamp) throws(SettingsError) -> ReportWindow {
        let today = now.startOfUTCDay
        let end = try until.map { text throws(SettingsError) in try instant(text, option: "--until") } ?? today
        let start = try since.map { text throws(SettingsError) in try instant(text, option: "--since") } ?? end.startOfUTCDay.adding(seconds: -86_400)
        guard start < end else {
            throw SettingsError(.usage, "the window is empty: --since \(start.rfc3339) is not before --until \(end.rfc3339)")
        }
        return ReportWindow(since: start, until: end)
    }
}

/// A job file (JSON) from jobs/: the settings a scheduler would otherwise pass as flags.
/// Flags override it. Unknown keys are refused so a typo cannot silently change a run.
public struct JobFile: Sendable, Equatable, Decodable {
    public var baseURL: String?
    public var out: String?
    public var since: String?
    public var until: String?
    public var failOn: String?
    public var concurrency: Int?
    /// A JSON file {"client_id": …, "client_secret": …} (e.g. a mounted Kubernetes secret).
    public var credentialsFile: String?
    /// A file with one expected payment request id per line.
    public var expectedPaymentRequestsFile: String?
    /// An extra CA bundle (PEM) to trust, for a private CA. Verification stays on.
    public var caBundle: String?
    /// Attempts per request before the run gives up (retry policy).
    public var maxAttempts: Int?
    /// Total time, in seconds, one request may spend retrying before the run gives up.
    public var retryBudgetSeconds: Int?
    // Operations (docs/notifications.md, docs/monitoring.md, docs/accounts.md).
    public var notifyURL: String?
    public var notifyRequired: Bool?
    public var metricsFile: String?
    public var logFormat: String?
    public var accounts: [Account]?
    /// `--state`: the state folder (watermark, lock, open items); `out` is then a root of run folders.
    public var state: String?
    /// `--lookback-days`: days before the watermark a run with state starts at (default 3).
    public var lookbackDays: Int?

    /// `--record`: save every API response into snapshot/ beside the reports (docs/audit.md).
    public var record: Bool?

    static let keys: Set<String> = ["base_url", "out", "since", "until", "fail_on", "concurrency", "credentials_file",
                                    "expected_payment_requests_file", "ca_bundle", "max_attempts", "retry_budget_seconds",
                                    "description", "notify_url", "notify_required", "metrics_file", "log_format", "accounts",
                                    "state", "lookback_days", "record"]

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url", out, since, until, failOn = "fail_on", concurrency
        case credentialsFile = "credentials_file", expectedPaymentRequestsFile = "expected_payment_requests_file"
        case caBundle = "ca_bundle", maxAttempts = "max_attempts", retryBudgetSeconds = "retry_budget_seconds"
        case notifyURL = "notify_url", notifyRequired = "notify_required", metricsFile = "metrics_file", logFormat = "log_format", accounts
        case state, lookbackDays = "lookback_days"
        case record
    }

    public init(baseURL: String? = nil, out: String? = nil, since: String? = nil, until: String? = nil, failOn: String? = nil,
                concurrency: Int? = nil, credentialsFile: String? = nil, expectedPaymentRequestsFile: String? = nil, caBundle: String? = nil) {
        self.baseURL = baseURL
        self.out = out
        self.since = since
        self.until = until
        self.failOn = failOn
        self.concurrency = concurrency
        self.credentialsFile = credentialsFile
        self.expectedPaymentRequestsFile = expectedPaymentRequestsFile
        self.caBundle = caBundle
    }

    /// Parses a job file's bytes; `path` only names it in errors.
    public static func parse(_ data: Data, path: String) throws(SettingsError) -> JobFile {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SettingsError(.configuration, "job file \(path) is not valid JSON: \((error as NSError).localizedDescription)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw SettingsError(.configuration, "job file \(path) must be a JSON object of settings")
        }
        let unknown = Set(dictionary.keys).subtracting(keys).sorted()
        guard unknown.isEmpty else {
            throw SettingsError(.configuration, "job file \(path) has unknown setting(s) \(unknown.joined(separator: ", ")); known: \(keys.sorted().joined(separator: ", "))")
        }
        if let accounts = dictionary["accounts"] { try Account.validate(accounts, path: path) }
        do {
            return try JSONDecoder().decode(JobFile.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw SettingsError(.configuration, "job file \(path): setting \(key) has the wrong type (\(context.debugDescription))")
        } catch {
            throw SettingsError(.configuration, "job file \(path) cannot be read: \(error)")
        }
    }

    public static func load(path: String) throws(SettingsError) -> JobFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError(.configuration, "cannot read job file \(path) (missing or not readable)")
        }
        return try parse(data, path: path)
    }
}

/// Where the client id and secret come from: the environment, or a secret file. Never flags.
public enum CredentialSource {
    /// `AP_CLIENT_ID` + `AP_CLIENT_SECRET`, or `AP_CLIENT_ID` + `AP_CLIENT_SECRET_FILE` (a file
    /// holding only the secret), or a JSON credentials file {"client_id","client_secret"} named by
    /// the job file or `AP_CREDENTIALS_FILE`. The environment wins over the files.
    public static func resolve(environment: [String: String], credentialsFile: String?) throws(SettingsError) -> ClientCredentials {
        func nonEmpty(_ key: String) -> String? {
            environment[key].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        }
        var id = nonEmpty("AP_CLIENT_ID")
        var secret = nonEmpty("AP_CLIENT_SECRET")
        if secret == nil, let file = nonEmpty("AP_CLIENT_SECRET_FILE") {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw SettingsError(.configuration, "cannot read AP_CLIENT_SECRET_FILE \(file)")
            }
            secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if id == nil || secret == nil, let file = credentialsFile ?? nonEmpty("AP_CREDENTIALS_FILE") {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SettingsError(.configuration, "cannot read credentials file \(file)")
            }
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  let fileID = object["client_id"] as? String, let fileSecret = object["client_secret"] as? String else {
                // Never echo the file's content: it holds the secret.
                throw SettingsError(.configuration, "credentials file \(file) must be a JSON object with string fields client_id and client_secret")
            }
            id = id ?? fileID
            secret = secret ?? fileSecret
        }
        guard let id, !id.isEmpty, let secret, !secret.isEmpty else {
            throw SettingsError(.configuration, "no API credentials: set AP_CLIENT_ID and AP_CLIENT_SECRET (or AP_CLIENT_SECRET_FILE, or credentials_file in the job file)")
        }
        return ClientCredentials(clientID: id, clientSecret: secret)
    }
}

/// Reads an expected-payment-requests file: one id per line; blank lines and `#` comments ignored.
public func loadExpectedPaymentRequests(path: String) throws(SettingsError) -> [String] {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        throw SettingsError(.configuration, "cannot read expected payment requests file \(path)")
    }
    return text.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

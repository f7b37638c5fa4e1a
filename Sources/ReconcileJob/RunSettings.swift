import APClient
import Foundation
import JobConfig
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

/// The job file format lives in JobConfig (Foundation only), so the job-file fuzz target
/// builds without NIO or crypto; here it gains the job's error type and file reading.
public typealias JobFile = JobConfig.JobFile

extension JobFile {
    /// Parses a job file's bytes; `path` only names it in errors.
    public static func parse(_ data: Data, path: String) throws(SettingsError) -> JobFile {
        do {
            return try decode(data, path: path)
        } catch {
            throw SettingsError(.configuration, error.message)
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
    /// the job file or `AP_CREDENTIALS_FILE`. The environment wins over the files. Secrets and
    /// secret files follow `SecretText` (one trailing line ending trimmed) and `SecretFilePolicy`
    /// (a file other accounts can read is refused).
    public static func resolve(environment: [String: String], credentialsFile: String?) throws(SettingsError) -> ClientCredentials {
        func nonEmpty(_ key: String) -> String? {
            environment[key].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        }
        var id = nonEmpty("AP_CLIENT_ID")
        var secret = SecretText.secret(environment["AP_CLIENT_SECRET"])
        if secret == nil, let file = nonEmpty("AP_CLIENT_SECRET_FILE") {
            switch SecretFile.readSecret(path: file, what: "AP_CLIENT_SECRET_FILE") {
            case .success(let value): secret = value
            case .failure(let failure): throw SettingsError(.configuration, failure.message)
            }
        }
        if id == nil || secret == nil, let file = credentialsFile ?? nonEmpty("AP_CREDENTIALS_FILE") {
            let data: Data
            switch SecretFile.read(path: file, what: "credentials file") {
            case .success(let bytes): data = bytes
            case .failure(let failure): throw SettingsError(.configuration, failure.message)
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

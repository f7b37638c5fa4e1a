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
/// builds without the rest of the job; here it gains the job's error type and file reading.
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

    public static func load(path: String, readFile: FileReader = FileReader.disk) throws(SettingsError) -> JobFile {
        guard let data = readFile(path) else {
            throw SettingsError(.configuration, "cannot read job file \(path) (missing or not readable)")
        }
        return try parse(data, path: path)
    }
}

/// Where the client id and secret come from: the environment, or a secret file. Never flags.
public enum CredentialSource {
    /// `AP_CLIENT_ID` + `AP_CLIENT_SECRET`, or `AP_CLIENT_ID` + `AP_CLIENT_SECRET_FILE` (a file
    /// holding only the secret), or a JSON credentials file {"client_id","client_secret"} named by
    /// the job file or `AP_CREDENTIALS_FILE`. The environment wins over the files: it is how
    /// schedulers inject secrets (systemd credentials, Kubernetes Secrets), and a job file that
    /// names a credentials file is often shared between machines that each set their own.
    /// Secrets and secret files follow `SecretText` (one trailing line ending trimmed) and
    /// `SecretFilePolicy` (a file other accounts can read is refused).
    public static func resolve(environment: [String: String], credentialsFile: String?,
                               readFile: FileReader = FileReader.disk) throws(SettingsError) -> ClientCredentials {
        func nonEmpty(_ key: String) -> String? {
            environment[key].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        }
        var id = nonEmpty("AP_CLIENT_ID")
        var secret = SecretText.secret(environment["AP_CLIENT_SECRET"])
        if secret == nil, let file = nonEmpty("AP_CLIENT_SECRET_FILE") {
            switch readFile.secret(file, what: "AP_CLIENT_SECRET_FILE") {
            case .success(let value): secret = value
            case .failure(let failure): throw SettingsError(.configuration, failure.message)
            }
        }
        if id == nil || secret == nil, let file = credentialsFile ?? nonEmpty("AP_CREDENTIALS_FILE") {
            let data: Data
            switch readFile.secretFile(file, what: "credentials file") {
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
public func loadExpectedPaymentRequests(path: String, readFile: FileReader = FileReader.disk) throws(SettingsError) -> [String] {
    guard let data = readFile(path), let text = String(data: data, encoding: .utf8) else {
        throw SettingsError(.configuration, "cannot read expected payment requests file \(path)")
    }
    return text.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

/// How settings read the files they name (job file, credentials, secrets, expected ids): the
/// disk in the job, a dictionary in tests, so every precedence rule is tested without a disk.
/// Files holding secrets go through `secretFile`, which on disk is `SecretFile.read` (mode and
/// owner checked, size capped).
public struct FileReader: Sendable {
    let read: @Sendable (String) -> Data?
    let readSecretFile: @Sendable (String, String) -> Result<Data, SecretFile.Failure>

    /// A reader of plain bytes; secret files are read the same way (for tests).
    public init(_ read: @escaping @Sendable (String) -> Data?) {
        self.read = read
        self.readSecretFile = { path, what in
            read(path).map { .success($0) } ?? .failure(SecretFile.Failure(message: "cannot read \(what) \(path)"))
        }
    }

    init(read: @escaping @Sendable (String) -> Data?,
         readSecretFile: @escaping @Sendable (String, String) -> Result<Data, SecretFile.Failure>) {
        self.read = read
        self.readSecretFile = readSecretFile
    }

    public func callAsFunction(_ path: String) -> Data? { read(path) }

    /// A file that holds a secret; `what` names it in errors, which never quote the content.
    public func secretFile(_ path: String, what: String) -> Result<Data, SecretFile.Failure> {
        readSecretFile(path, what)
    }

    /// A file that holds only a secret: UTF-8, one trailing line ending removed, not empty.
    public func secret(_ path: String, what: String) -> Result<String, SecretFile.Failure> {
        secretFile(path, what: what).flatMap { data in
            guard let text = String(data: data, encoding: .utf8) else {
                return .failure(SecretFile.Failure(message: "\(what) \(path) is not UTF-8 text"))
            }
            guard let secret = SecretText.secret(text) else {
                return .failure(SecretFile.Failure(message: "\(what) \(path) is empty"))
            }
            return .success(secret)
        }
    }

    public static let disk = FileReader(read: { path in FileManager.default.contents(atPath: path) },
                                        readSecretFile: { path, what in SecretFile.read(path: path, what: what) })
}

import Foundation

/// Why a job file cannot be used; the message names the file and the setting.
/// JobSettings turns it into a configuration error (exit 78).
public struct JobFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
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
    /// A file holding only the webhook URL (which often carries a token), instead of `notify_url`.
    public var notifyURLFile: String?
    public var notifyRequired: Bool?
    public var metricsFile: String?
    /// `--metrics-push`: a Prometheus Pushgateway's base URL (docs/monitoring.md).
    public var metricsPushURL: String?
    public var logFormat: String?
    public var accounts: [Account]?
    /// `--state`: the state folder (watermark, lock, open items); `out` is then a root of run folders.
    public var state: String?
    /// `--lookback-days`: days before the watermark a run with state starts at (default 3).
    public var lookbackDays: Int?
    /// `--record`: save every API response into snapshot/ beside the reports (docs/audit.md).
    public var record: Bool?
    /// `--acknowledgements`: the acknowledgements file (docs/acknowledgements.md).
    public var acknowledgements: String?
    /// `--bank-statement`: statement files or globs (docs/bank.md); an account's own list replaces it.
    public var bankStatements: [String]?
    /// Business days a payout may take to reach the bank (default 3).
    public var bankSettlementDays: Int?
    /// Names that mark a bank credit as coming from the provider (default "Alternative Payments").
    public var bankProviderNames: [String]?
    /// The CSV column mapping, as the JSON object the job file holds; `BankStatements.CSVMapping`
    /// decodes it in JobSettings, so this module stays Foundation only.
    public var bankCSV: Data?

    public static let keys: Set<String> = ["base_url", "out", "since", "until", "fail_on", "concurrency", "credentials_file",
                                           "expected_payment_requests_file", "ca_bundle", "max_attempts", "retry_budget_seconds",
                                           "description", "notify_url", "notify_url_file", "notify_required", "metrics_file", "metrics_push_url", "log_format", "accounts",
                                           "state", "lookback_days", "record", "acknowledgements",
                                           "bank_statements", "bank_settlement_days", "bank_provider_names", "bank_csv"]

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url", out, since, until, failOn = "fail_on", concurrency
        case credentialsFile = "credentials_file", expectedPaymentRequestsFile = "expected_payment_requests_file"
        case caBundle = "ca_bundle", maxAttempts = "max_attempts", retryBudgetSeconds = "retry_budget_seconds"
        case notifyURL = "notify_url", notifyURLFile = "notify_url_file", notifyRequired = "notify_required", metricsFile = "metrics_file", logFormat = "log_format", accounts
        case metricsPushURL = "metrics_push_url"
        case state, lookbackDays = "lookback_days"
        case record, acknowledgements
        case bankStatements = "bank_statements", bankSettlementDays = "bank_settlement_days", bankProviderNames = "bank_provider_names"
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
    public static func decode(_ data: Data, path: String) throws(JobFileError) -> JobFile {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw JobFileError("job file \(path) is not valid JSON: \((error as NSError).localizedDescription)")
        }
        guard let dictionary = object as? [String: Any] else {
            throw JobFileError("job file \(path) must be a JSON object of settings")
        }
        let unknown = Set(dictionary.keys).subtracting(keys).sorted()
        guard unknown.isEmpty else {
            throw JobFileError("job file \(path) has unknown setting(s) \(unknown.joined(separator: ", ")); known: \(keys.sorted().joined(separator: ", "))")
        }
        if let accounts = dictionary["accounts"] { try Account.validate(accounts, path: path) }
        let bankCSV = try rawObject(dictionary["bank_csv"], key: "bank_csv", path: path)
        if let accounts = dictionary["accounts"] as? [[String: Any]] {
            for (index, account) in accounts.enumerated() {
                _ = try rawObject(account["bank_csv"], key: "accounts[\(index)].bank_csv", path: path)
            }
        }
        do {
            var job = try JSONDecoder().decode(JobFile.self, from: data)
            job.bankCSV = bankCSV
            if let accounts = dictionary["accounts"] as? [[String: Any]], job.accounts?.count == accounts.count {
                for (index, account) in accounts.enumerated() {
                    job.accounts?[index].bankCSV = try rawObject(account["bank_csv"], key: "bank_csv", path: path)
                }
            }
            return job
        } catch let error as JobFileError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw JobFileError("job file \(path): setting \(key) has the wrong type (\(context.debugDescription))")
        } catch {
            throw JobFileError("job file \(path) cannot be read: \(error)")
        }
    }

    /// A key holding a JSON object, kept as that object's bytes (sorted keys, so equal objects
    /// compare equal); nil when the key is absent.
    static func rawObject(_ value: Any?, key: String, path: String) throws(JobFileError) -> Data? {
        guard let value, !(value is NSNull) else { return nil }
        guard value is [String: Any], let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else {
            throw JobFileError("job file \(path): \(key) must be a JSON object (the CSV column mapping, docs/bank.md)")
        }
        return data
    }
}

import Foundation

/// One entry of `accounts` in a job file: an Alternative Payments account reconciled on its
/// own, with its own credentials and output folder (docs/accounts.md).
public struct Account: Sendable, Equatable, Decodable {
    /// Names the account in logs, the final line, the webhook and the metrics' `account` label.
    public var name: String
    /// Names of environment variables holding this account's client id and secret (or a file
    /// holding only the secret). The values themselves never go in the job file.
    public var clientIDEnv: String?
    public var clientSecretEnv: String?
    public var clientSecretFileEnv: String?
    /// A JSON credentials file {"client_id","client_secret"}, like the top-level `credentials_file`.
    public var credentialsFile: String?
    /// This account's output folder.
    public var out: String
    /// This account's state folder (for `--state`; the state helper's entry point reads it).
    public var state: String?
    /// Overrides the job's `notify_url` / `notify_url_file` / `notify_required` for this account.
    public var notifyURL: String?
    public var notifyURLFile: String?
    public var notifyRequired: Bool?
    /// This account's acknowledgements file; overrides the job's `acknowledgements`.
    public var acknowledgements: String?
    /// This account's statement files or globs and CSV mapping; override the job's `bank_statements` / `bank_csv`.
    public var bankStatements: [String]?
    public var bankCSV: Data?

    public static let keys: Set<String> = ["name", "client_id_env", "client_secret_env", "client_secret_file_env", "credentials_file",
                                    "out", "state", "notify_url", "notify_url_file", "notify_required", "description",
                                    "acknowledgements", "bank_statements", "bank_csv"]

    enum CodingKeys: String, CodingKey {
        case name, out, state
        case clientIDEnv = "client_id_env", clientSecretEnv = "client_secret_env", clientSecretFileEnv = "client_secret_file_env"
        case credentialsFile = "credentials_file", notifyURL = "notify_url", notifyURLFile = "notify_url_file", notifyRequired = "notify_required"
        case acknowledgements, bankStatements = "bank_statements"
    }

    public init(name: String, out: String, clientIDEnv: String? = nil, clientSecretEnv: String? = nil, clientSecretFileEnv: String? = nil,
                credentialsFile: String? = nil, state: String? = nil, notifyURL: String? = nil, notifyRequired: Bool? = nil,
                notifyURLFile: String? = nil) {
        self.name = name
        self.out = out
        self.clientIDEnv = clientIDEnv
        self.clientSecretEnv = clientSecretEnv
        self.clientSecretFileEnv = clientSecretFileEnv
        self.credentialsFile = credentialsFile
        self.state = state
        self.notifyURL = notifyURL
        self.notifyURLFile = notifyURLFile
        self.notifyRequired = notifyRequired
    }

    /// Checks a job file's `accounts` (as parsed JSON) before decoding: unknown keys, names.
    public static func validate(_ raw: Any, path: String) throws(JobFileError) {
        guard let list = raw as? [Any] else { throw JobFileError("job file \(path): accounts must be an array of objects") }
        var seen = Set<String>()
        for (index, item) in list.enumerated() {
            guard let object = item as? [String: Any] else {
                throw JobFileError("job file \(path): accounts[\(index)] must be an object")
            }
            let unknown = Set(object.keys).subtracting(keys).sorted()
            guard unknown.isEmpty else {
                throw JobFileError("job file \(path): accounts[\(index)] has unknown setting(s) \(unknown.joined(separator: ", ")); known: \(keys.sorted().joined(separator: ", "))")
            }
            guard let name = object["name"] as? String, isValidName(name) else {
                throw JobFileError("job file \(path): accounts[\(index)] needs a name of 1-64 letters, digits, '-' or '_'")
            }
            guard seen.insert(name).inserted else {
                throw JobFileError("job file \(path): account name \(name) appears twice")
            }
            guard object["out"] is String else {
                throw JobFileError("job file \(path): account \(name) needs out (its own output folder)")
            }
        }
    }

    /// Safe in a folder name, a metric label and a log line.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x5f
        }
    }

}

import APClient

/// The job's exit codes: one documented table (README, `ap-reconcile --help`).
/// Values follow BSD sysexits(3) so schedulers and on-call tooling can tell them apart.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Run complete; no diagnostic at or above `--fail-on`.
    case clean = 0
    /// Run complete and reports written; diagnostics at or above `--fail-on`.
    case diagnosticsFound = 1
    /// Bad command line.
    case usage = 64
    /// `replay` refused the snapshot: a file missing, extra or changed, or a request it holds no answer for.
    case dataError = 65
    /// The API stayed unavailable after retries (5xx, 429, network).
    case unavailable = 69
    /// The output could not be created or written.
    case cannotWrite = 73
    /// Reports written, but the notification `--notify-required` asks for could not be delivered.
    case notificationFailed = 74
    /// Another run holds the lock, or the run was interrupted (temporary: run again).
    case temporaryFailure = 75
    /// The API broke its protocol: malformed page, cursor loop, duplicate ids across pages.
    case protocolFault = 76
    /// Authentication or permission refused (401 after a fresh token, 403).
    case permissionDenied = 77
    /// Configuration error: missing credentials, bad job file, bad base URL.
    case configuration = 78
    /// Stopped by SIGINT (Ctrl-C): nothing published. 128 + 2, as a shell reports it.
    case interrupted = 130

    public var meaning: String {
        switch self {
        case .clean: "run complete; no diagnostic at or above --fail-on"
        case .diagnosticsFound: "run complete; diagnostics at or above --fail-on; reports written"
        case .usage: "usage error"
        case .dataError: "replay: snapshot refused (changed, missing or extra file) or incomplete"
        case .unavailable: "API unavailable after retries (5xx, 429, network)"
        case .cannotWrite: "cannot create or write the output"
        case .notificationFailed: "reports written, but the required notification (--notify-required) failed"
        case .temporaryFailure: "another run holds the state lock, or SIGTERM stopped the run; nothing published (temporary)"
        case .protocolFault: "protocol fault: malformed page, cursor loop, duplicate ids across pages"
        case .permissionDenied: "authentication or permission refused (401 after a fresh token, 403)"
        case .configuration: "configuration error (missing credentials, bad job file, bad base URL, unreadable state file)"
        case .interrupted: "stopped by SIGINT (Ctrl-C); nothing published"
        }
    }

    /// The table as `--help` prints it.
    public static var helpTable: String {
        allCases.map { "  \(String($0.rawValue).padding(toLength: 4, withPad: " ", startingAt: 0))\($0.meaning)" }.joined(separator: "\n")
    }

    public init(_ error: APIError) {
        switch error.kind {
        case .authentication, .permission: self = .permissionDenied
        case .rateLimited, .unavailable: self = .unavailable
        // A 404 that reaches the job is a record the API listed and then could not find.
        case .protocolViolation, .clientError, .notFound: self = .protocolFault
        case .configuration: self = .configuration
        }
    }
}

import Foundation

/// What `--state` adds to a run: where the state lives and how far back each run looks again.
public struct StateSettings: Sendable, Equatable {
    /// The state folder (created 0700 if missing): state.json and the lock file.
    public var directory: String
    /// Days before the watermark a run starts at, so late changes to recent payouts are seen again.
    public var lookbackDays: Int
    /// `--since` (or the job file's `since`) was given: the request's window is used as it is.
    public var explicitSince: Bool

    public static let defaultLookbackDays = 3
    public static let lookbackRange = 0...366

    public init(directory: String, lookbackDays: Int = StateSettings.defaultLookbackDays, explicitSince: Bool = false) {
        self.directory = directory
        self.lookbackDays = lookbackDays
        self.explicitSince = explicitSince
    }
}

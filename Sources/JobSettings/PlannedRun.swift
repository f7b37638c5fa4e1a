import Foundation

/// One reconciliation an invocation performs: the request, the account it is for (nil
/// without `accounts` in the job file) and where to notify.
public struct PlannedRun: Sendable {
    public var account: Account?
    public var request: RunRequest
    public var notify: NotifySettings?

    public init(account: Account?, request: RunRequest, notify: NotifySettings?) {
        self.account = account
        self.request = request
        self.notify = notify
    }
}

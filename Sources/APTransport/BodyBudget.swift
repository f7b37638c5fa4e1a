import Synchronization

/// The bytes of response bodies one transport holds at once, across all its transfers.
///
/// `maxBodyBytes` bounds one body, but up to `maxConcurrentRequests` transfers run at once:
/// 256 × 64 MiB would be 16 GiB. Each transfer reserves every chunk before keeping it and gives
/// its whole reservation back when it ends (its response handed over, or failed, or cancelled),
/// so the bodies still arriving never hold more than `limit` bytes together.
///
/// A chunk that does not fit fails its transfer at once (`.bodyTooLarge`, naming the budget)
/// instead of waiting for room: transfers waiting for each other's room could all wait
/// forever, and the budget exists to stop a broken or hostile server, not to schedule normal
/// traffic — a real page is under 1 MiB, so the default budget is never near.
final class BodyBudget: Sendable {
    let limit: Int
    private let used: Mutex<Int>

    init(limit: Int) {
        self.limit = max(0, limit)
        used = Mutex(0)
    }

    /// Bytes reserved now.
    var inUse: Int { used.withLock { $0 } }

    /// Reserves `count` bytes when they fit; false (and nothing reserved) when they do not.
    func reserve(_ count: Int) -> Bool {
        used.withLock { used in
            guard count <= limit - used else { return false }
            used += count
            return true
        }
    }

    /// Gives back bytes reserved earlier.
    func give(_ count: Int) {
        guard count > 0 else { return }
        used.withLock { $0 -= count }
    }
}

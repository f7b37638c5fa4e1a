import Foundation

/// A value shared between threads, reachable only inside `withLock`.
///
/// `Synchronization.Mutex` would do, but it needs macOS 15 and the package targets macOS 14.
final class Locked<State>: @unchecked Sendable {
    // @unchecked: `state` is read and written only while `lock` is held.
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}

/// One call to `send`: its transfer and where it is in its life.
///
/// Every stored property except `transfer` is read and written only while the owning
/// `CurlMultiLoop`'s lock is held; that is what makes it safe to share.
final class PendingRequest: @unchecked Sendable {
    typealias Continuation = CheckedContinuation<Result<HTTPResponse, TransportError>, Never>

    enum Phase {
        /// Created; the caller has not reached `enqueue` yet.
        case created
        /// Cancelled before it was enqueued; `enqueue` answers `.cancelled` at once.
        case cancelledEarly
        /// Waiting in the FIFO for a free slot.
        case queued
        /// Attached to the multi handle, owned by the loop thread.
        case running
        /// Its continuation has been resumed (exactly once).
        case finished
    }

    let transfer: CurlTransfer
    var phase: Phase = .created
    var continuation: Continuation?

    init(transfer: CurlTransfer) {
        self.transfer = transfer
    }
}

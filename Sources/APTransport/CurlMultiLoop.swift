import CCurl
import Foundation
import Synchronization

/// One libcurl multi handle and the thread that drives it.
///
/// Callers never touch the multi handle: they put requests in `shared` under its lock and
/// wake the thread with `curl_multi_wakeup`. The thread admits at most `maxInFlight`
/// transfers (the rest wait in FIFO order), runs `curl_multi_perform` / `curl_multi_poll`,
/// and resumes each caller's continuation when its transfer ends. Transfers therefore
/// never block Swift's cooperative thread pool. See docs/transport.md.
final class CurlMultiLoop: @unchecked Sendable {
    // @unchecked: `multi` is used only by the loop thread, except `curl_multi_wakeup`,
    // which libcurl documents as callable from any thread and which we call only while
    // holding `shared`'s lock and only while `multiAlive` is true (the loop clears it under
    // the same lock before `curl_multi_cleanup`). Everything else mutable is in `shared`.

    private struct Shared {
        var queue: [PendingRequest] = []
        var cancelRequests: [PendingRequest] = []
        var stopping = false
        var multiAlive = true
        var statistics = TransportStatistics()
    }

    private let shared = Mutex(Shared())
    private let multi: UnsafeMutableRawPointer?
    private let maxInFlight: Int
    /// Signalled once when the loop thread has freed everything and is about to exit.
    private let exited = DispatchSemaphore(value: 0)
    private let setupFailure: String?

    init(maxInFlight: Int) {
        self.maxInFlight = max(1, maxInFlight)
        guard CurlGlobal.isReady else {
            multi = nil
            setupFailure = "libcurl failed to initialize (curl_global_init): \(CurlText.describe(CurlGlobal.initResult))"
            shared.withLock { $0.stopping = true; $0.multiAlive = false }
            return
        }
        guard let handle = curl_multi_init() else {
            multi = nil
            setupFailure = "curl_multi_init failed (out of memory?)"
            shared.withLock { $0.stopping = true; $0.multiAlive = false }
            return
        }
        multi = handle
        setupFailure = nil
        // One connection cache for every transfer: keep-alive and HTTP/2 multiplexing.
        // These options only tune the cache; if libcurl refuses one we still work.
        _ = ap_multi_setopt_long(handle, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = ap_multi_setopt_long(handle, CURLMOPT_MAXCONNECTS, self.maxInFlight * 2)
        _ = ap_multi_setopt_long(handle, CURLMOPT_MAX_HOST_CONNECTIONS, self.maxInFlight)

        let thread = Thread { [self] in self.run() }
        thread.name = "ap-transport-curl"
        thread.start()
    }

    var statistics: TransportStatistics {
        shared.withLock { $0.statistics }
    }

    /// Hands `request` to the loop, or answers it at once if it was cancelled first or the
    /// loop is stopped.
    func enqueue(_ request: PendingRequest, _ continuation: PendingRequest.Continuation) {
        let refusal: TransportError? = shared.withLock { state in
            if request.phase == .cancelledEarly {
                request.phase = .finished
                state.statistics.transfersCancelled += 1
                return cancelledError(request, "the task was cancelled before the request was sent")
            }
            if state.stopping {
                request.phase = .finished
                state.statistics.transfersCancelled += 1
                return stoppedError(request)
            }
            request.phase = .queued
            request.continuation = continuation
            state.queue.append(request)
            wakeLocked(state)
            return nil
        }
        if let refusal {
            request.transfer.release()
            continuation.resume(returning: .failure(refusal))
        }
    }

    /// Called from the task's cancellation handler; may race with everything else.
    func cancel(_ request: PendingRequest) {
        let resume: PendingRequest.Continuation? = shared.withLock { state in
            switch request.phase {
            case .created:
                request.phase = .cancelledEarly
                return nil
            case .queued:
                state.queue.removeAll { $0 === request }
                request.phase = .finished
                state.statistics.transfersCancelled += 1
                defer { request.continuation = nil }
                return request.continuation
            case .running:
                state.cancelRequests.append(request)
                wakeLocked(state)
                return nil
            case .cancelledEarly, .finished:
                return nil
            }
        }
        if let resume {
            request.transfer.release()
            resume.resume(returning: .failure(cancelledError(request, "the task was cancelled while the request waited for a free slot")))
        }
    }

    /// Stops the loop: queued requests fail with `.cancelled` now, running ones when the
    /// thread removes them. Returns after the thread has freed the multi handle. Idempotent.
    func shutdown() {
        let (drained, hadThread) = shared.withLock { state -> ([(PendingRequest, PendingRequest.Continuation)], Bool) in
            let hadThread = multi != nil
            guard !state.stopping else { return ([], hadThread) }
            state.stopping = true
            var drained: [(PendingRequest, PendingRequest.Continuation)] = []
            for request in state.queue {
                request.phase = .finished
                state.statistics.transfersCancelled += 1
                if let continuation = request.continuation { drained.append((request, continuation)) }
                request.continuation = nil
            }
            state.queue.removeAll()
            wakeLocked(state)
            return (drained, hadThread)
        }
        for (request, continuation) in drained {
            request.transfer.release()
            continuation.resume(returning: .failure(stoppedError(request)))
        }
        if hadThread {
            // Pass the token on so that every caller of shutdown() returns.
            exited.wait()
            exited.signal()
        }
    }

    /// The error for a request that arrives after shutdown or when libcurl could not start.
    func stoppedError(_ request: PendingRequest) -> TransportError {
        if let setupFailure {
            return TransportError(kind: .other, detail: setupFailure, request: request.transfer.requestDescription)
        }
        return TransportError(kind: .cancelled, detail: "the transport was shut down", request: request.transfer.requestDescription)
    }

    private func cancelledError(_ request: PendingRequest, _ detail: String) -> TransportError {
        TransportError(kind: .cancelled, detail: detail, request: request.transfer.requestDescription)
    }

    /// Must be called with the lock held (the `state` parameter is the proof).
    private func wakeLocked(_ state: Shared) {
        guard state.multiAlive, let multi else { return }
        _ = curl_multi_wakeup(multi)
    }

    // MARK: - Loop thread

    private func run() {
        guard let multi else { return }
        var inFlight: [UnsafeMutableRawPointer: PendingRequest] = [:]

        while true {
            let (admitted, cancels, stopping) = shared.withLock { state -> ([PendingRequest], [PendingRequest], Bool) in
                let cancels = state.cancelRequests
                state.cancelRequests.removeAll()
                if state.stopping { return ([], cancels, true) }
                var admitted: [PendingRequest] = []
                while inFlight.count + admitted.count < maxInFlight, !state.queue.isEmpty {
                    let request = state.queue.removeFirst()
                    request.phase = .running
                    admitted.append(request)
                }
                return (admitted, cancels, false)
            }

            for request in cancels {
                guard let easy = request.transfer.easy, inFlight.removeValue(forKey: easy) != nil else { continue }
                curl_multi_remove_handle(multi, easy)
                finish(request, .failure(cancelledError(request, "the task was cancelled during the transfer")), connections: request.transfer.connectionsOpened())
            }

            if stopping {
                for (easy, request) in inFlight {
                    curl_multi_remove_handle(multi, easy)
                    finish(request, .failure(TransportError(kind: .cancelled, detail: "the transport was shut down during the transfer", request: request.transfer.requestDescription)), connections: request.transfer.connectionsOpened())
                }
                inFlight.removeAll()
                shared.withLock { $0.multiAlive = false }
                curl_multi_cleanup(multi)
                exited.signal()
                return
            }

            for request in admitted {
                guard let easy = request.transfer.easy else {
                    finish(request, .failure(TransportError(kind: .other, detail: "transfer has no easy handle", request: request.transfer.requestDescription)), connections: 0)
                    continue
                }
                let code = curl_multi_add_handle(multi, easy)
                guard code == CURLM_OK else {
                    finish(request, .failure(TransportError(kind: .other, detail: "curl_multi_add_handle failed: \(CurlText.describe(multi: code))", request: request.transfer.requestDescription)), connections: 0)
                    continue
                }
                inFlight[easy] = request
            }

            var running: Int32 = 0
            let performCode = curl_multi_perform(multi, &running)
            if performCode != CURLM_OK {
                // The multi handle is in trouble; fail what is attached rather than spin.
                for (easy, request) in inFlight {
                    curl_multi_remove_handle(multi, easy)
                    finish(request, .failure(TransportError(kind: .other, detail: "curl_multi_perform failed: \(CurlText.describe(multi: performCode))", request: request.transfer.requestDescription)), connections: request.transfer.connectionsOpened())
                }
                inFlight.removeAll()
            }

            var finishedAny = false
            var remaining: Int32 = 0
            while let message = curl_multi_info_read(multi, &remaining) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = ap_msg_result(message)
                guard let request = inFlight.removeValue(forKey: easy) else { continue }
                // Read everything from the handle before it is detached and freed.
                let connections = request.transfer.connectionsOpened()
                let outcome = request.transfer.outcome(code: code)
                curl_multi_remove_handle(multi, easy)
                finish(request, outcome, connections: connections)
                finishedAny = true
            }
            // Freed slots may admit queued requests: go round again before sleeping.
            if finishedAny { continue }

            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }

    /// Records the outcome, frees the transfer and resumes the caller, exactly once.
    /// The transfer must already be detached from the multi handle.
    private func finish(_ request: PendingRequest, _ outcome: Result<HTTPResponse, TransportError>, connections: Int) {
        request.transfer.release()
        let continuation: PendingRequest.Continuation? = shared.withLock { state in
            guard request.phase != .finished else { return nil }
            request.phase = .finished
            state.statistics.connectionsOpened += connections
            switch outcome {
            case .success: state.statistics.transfersCompleted += 1
            case .failure(let error) where error.kind == .cancelled: state.statistics.transfersCancelled += 1
            case .failure: state.statistics.transfersFailed += 1
            }
            defer { request.continuation = nil }
            return request.continuation
        }
        continuation?.resume(returning: outcome)
    }
}

/// `HTTPTransport` over libcurl: one multi handle on a dedicated thread, shared keep-alive
/// connections, HTTP/2 when offered, TLS verification always on.
///
/// Create one per process (or per base URL) and share it; call `shutdown()` when done
/// (deinit does it too). See docs/transport.md for the design and the error table.
public final class CurlTransport: HTTPTransport {
    public let configuration: TransportConfiguration
    private let loop: CurlMultiLoop
    private let budget: BodyBudget

    public init(configuration: TransportConfiguration = TransportConfiguration()) {
        self.configuration = configuration
        loop = CurlMultiLoop(maxInFlight: configuration.maxConcurrentRequests)
        budget = BodyBudget(limit: configuration.maxBodyBytesInFlight)
    }

    deinit {
        loop.shutdown()
    }

    /// Counters since this transport was created.
    public var statistics: TransportStatistics { loop.statistics }

    /// Bytes of response bodies the transfers in flight hold now (at most
    /// `configuration.maxBodyBytesInFlight`).
    public var bodyBytesInFlight: Int { budget.inUse }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let transfer = try CurlTransfer.make(for: request, configuration: configuration, budget: budget)
        let pending = PendingRequest(transfer: transfer)
        let loop = self.loop
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: PendingRequest.Continuation) in
                loop.enqueue(pending, continuation)
            }
        } onCancel: {
            loop.cancel(pending)
        }
        return try result.get()
    }

    /// Stops the transfer thread: waiting and running requests fail with `.cancelled`,
    /// later `send` calls fail with `.cancelled` at once, and every libcurl handle is freed.
    /// Blocks briefly until the thread has exited; safe to call more than once.
    public func shutdown() {
        loop.shutdown()
    }
}

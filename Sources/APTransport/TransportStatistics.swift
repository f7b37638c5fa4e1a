/// Counters for the whole life of one `CurlTransport`.
public struct TransportStatistics: Sendable, Hashable {
    /// Transfers that ended with an HTTP response (any status).
    public var transfersCompleted: Int = 0
    /// Transfers that ended with a `TransportError` other than `.cancelled`.
    public var transfersFailed: Int = 0
    /// Transfers ended by task cancellation or shutdown.
    public var transfersCancelled: Int = 0
    /// New connections opened, summed over all transfers (CURLINFO_NUM_CONNECTS).
    /// With keep-alive working, this stays far below the number of transfers.
    public var connectionsOpened: Int = 0

    public init() {}
}

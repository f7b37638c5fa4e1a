import APModels

/// Where a diagnostic stands compared with the previous run of the same state.
public enum ItemStatus: String, Sendable, Hashable, CaseIterable {
    /// Not open after the previous run.
    case new
    /// Open after the previous run and still found.
    case open
    /// Open after the previous run, re-examined by this run and no longer found.
    case resolved
    /// Open after the previous run but outside what this run looked at (its payout is not in this
    /// run's window, its invoice not touched): still open, carried over unchanged.
    case carried
}

/// One open item as the state remembers it between runs: enough to list it in exceptions.csv
/// when a later run does not re-examine it, and to date it.
public struct OpenItem: Sendable, Hashable {
    public var fingerprint: String
    public var code: String
    public var severity: Severity
    /// The as-of time of the first run that found it.
    public var firstSeen: Timestamp
    /// The as-of time of the last run that found it.
    public var lastSeen: Timestamp
    public var payoutID: String?
    public var transactionID: String?
    public var invoiceID: String?
    public var paymentRequestID: String?
    /// The message of the last run that found it.
    public var message: String

    public init(fingerprint: String, code: String, severity: Severity, firstSeen: Timestamp, lastSeen: Timestamp,
                payoutID: String? = nil, transactionID: String? = nil, invoiceID: String? = nil,
                paymentRequestID: String? = nil, message: String) {
        self.fingerprint = fingerprint
        self.code = code
        self.severity = severity
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.payoutID = payoutID
        self.transactionID = transactionID
        self.invoiceID = invoiceID
        self.paymentRequestID = paymentRequestID
        self.message = message
    }

    /// Whole days from `firstSeen` to `asOf` (0 on the day it was first found).
    public func ageDays(asOf: Timestamp) -> Int {
        let seconds = asOf.epochSeconds - firstSeen.epochSeconds
        return seconds <= 0 ? 0 : Int(seconds / 86_400)
    }
}

/// This run's diagnostics set against the open items the previous run left. Pure.
public struct OpenItems: Sendable {
    /// The status of each of this run's diagnostics, by fingerprint: `.new` or `.open`.
    public var statusByFingerprint: [String: ItemStatus]
    /// Every item open after this run (new, open and carried), by fingerprint order; what the
    /// state keeps for the next run, and the rows of exceptions.csv.
    public var openAfterRun: [OpenItem]
    /// Items open before this run that this run re-examined and did not find, by fingerprint order.
    public var resolved: [OpenItem]
    public var newCount: Int
    public var openCount: Int
    public var resolvedCount: Int { resolved.count }
    public var carriedCount: Int
    /// Position in `openAfterRun` by fingerprint: reports look an item up once per diagnostic.
    private var positions: [String: Int]

    public init(statusByFingerprint: [String: ItemStatus], openAfterRun: [OpenItem], resolved: [OpenItem],
                newCount: Int, openCount: Int, carriedCount: Int) {
        self.statusByFingerprint = statusByFingerprint
        self.openAfterRun = openAfterRun
        self.resolved = resolved
        self.newCount = newCount
        self.openCount = openCount
        self.carriedCount = carriedCount
        var positions: [String: Int] = [:]
        for (i, item) in openAfterRun.enumerated() where positions[item.fingerprint] == nil { positions[item.fingerprint] = i }
        self.positions = positions
    }

    /// An item open after this run (new, open or carried), by fingerprint.
    public func item(fingerprint: String) -> OpenItem? { positions[fingerprint].map { openAfterRun[$0] } }

    /// Compares `result.diagnostics` with `previous` (the items open after the last successful run).
    /// A previous item missing now is `resolved` only if this run re-examined it: its payout is in
    /// this run's result, or (no payout) its invoice or payment request is; otherwise it is carried.
    public static func compare(previous: [OpenItem], result: ReconciliationResult, asOf: Timestamp) -> OpenItems {
        var before: [String: OpenItem] = [:]
        for item in previous where before[item.fingerprint] == nil { before[item.fingerprint] = item }

        var statuses: [String: ItemStatus] = [:]
        var after: [String: OpenItem] = [:]
        var newCount = 0, openCount = 0
        for d in result.diagnostics where statuses[d.fingerprint] == nil {
            let earlier = before[d.fingerprint]
            statuses[d.fingerprint] = earlier == nil ? .new : .open
            if earlier == nil { newCount += 1 } else { openCount += 1 }
            after[d.fingerprint] = OpenItem(
                fingerprint: d.fingerprint, code: d.code.rawValue, severity: d.severity,
                firstSeen: earlier.map { min($0.firstSeen, asOf) } ?? asOf, lastSeen: asOf,
                payoutID: d.payoutID, transactionID: d.transactionID, invoiceID: d.invoiceID,
                paymentRequestID: d.paymentRequestID, message: d.message)
        }

        let payouts = Set(result.payouts.map(\.payout.id))
        let invoices = Set(result.invoices.map(\.invoice.id))
        let paymentRequests = Set(result.paymentRequests.map(\.paymentRequest.id))
        func reexamined(_ item: OpenItem) -> Bool {
            if let payout = item.payoutID { return payouts.contains(payout) }
            if let invoice = item.invoiceID { return invoices.contains(invoice) }
            if let request = item.paymentRequestID { return paymentRequests.contains(request) }
            return true
        }

        var resolved: [OpenItem] = []
        var carriedCount = 0
        // `before`, not `previous`: a fingerprint listed twice is still one item, resolved or carried once.
        for item in before.values where after[item.fingerprint] == nil {
            if reexamined(item) {
                resolved.append(item)
            } else {
                after[item.fingerprint] = item
                carriedCount += 1
            }
        }
        return OpenItems(
            statusByFingerprint: statuses,
            openAfterRun: after.values.sorted { $0.fingerprint < $1.fingerprint },
            resolved: resolved.sorted { $0.fingerprint < $1.fingerprint },
            newCount: newCount, openCount: openCount, carriedCount: carriedCount)
    }
}

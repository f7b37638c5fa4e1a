import APClient
import Foundation
import JobSettings
import Logging
import Publishing
import Reconciliation
import RunState
import Snapshots
import Synchronization

/// The fetch stage: asks the API for everything one run needs and hands it to the engine
/// as a `ReconciliationInput`. It decides nothing about the reconciliation itself.
///
/// The request plan (docs/fetching.md), in dependency order, each step as concurrent as its
/// inputs allow:
/// 1. `GET /payouts?created_at_start&created_at_end` — the window (filtered half-open here too).
/// 2. `GET /payouts/{id}/transactions` for every payout in the window, all at once.
/// 3. For lines of a kind that links (`TransactionType.canLink`) without a link: `GET /payments?customer_id=C` once per
///    distinct customer named on such lines, and one unfiltered `GET /payments` only if some
///    such line names no customer (the API offers no filter by transaction id).
/// 4. `GET /invoices?status=PAID&created_at_start&created_at_end` — PAID invoices of the window,
///    a long listing split into created_at slices fetched concurrently (`SplitListing`);
///    `GET /invoices?status=OPEN` and `?status=OVERDUE` — only when a line of a kind the engine
///    searches candidates for (`TransactionType.needsLink`) is still unlinked.
/// 5. `GET /invoices/{id}` for linked invoices not already listed in step 4, and
///    `GET /payments/request/{id}` for linked and expected payment requests (no list endpoint):
///    one request per id, concurrently; a 404 becomes `Lookup.notFound`.
/// 6. `GET /payments?invoice_id=X` for each PAID invoice in scope with no succeeded payment in the
///    payouts seen, to tell "paid but not paid out" from "paid without any payment".
public struct Fetcher: Sendable {
    public let client: APIClient
    public let logger: Logger
    /// Upper bound of requests this stage keeps in flight (the transport has its own limit too).
    public let concurrency: Int
    /// Called after each payout's lines and each page of a listing; for progress displays.
    public let progress: (@Sendable (FetchProgress) -> Void)?

    public init(client: APIClient, logger: Logger, concurrency: Int, progress: (@Sendable (FetchProgress) -> Void)? = nil) {
        self.client = client
        self.logger = logger
        self.concurrency = max(1, concurrency)
        self.progress = progress
    }

    public func fetch(window: ReportWindow, expectedPaymentRequestIDs: [String] = []) async throws -> ReconciliationInput {
        // 4 (started first). The PAID listing needs nothing but the window. A cursor chain is
        // sequential, one page per round trip, so a long one is split into created_at slices
        // fetched as parallel chains (SplitListing); started beside steps 1-3 and 5b, its length
        // overlaps theirs instead of adding to the run (docs/performance.md).
        let client = client
        async let paidListing = SplitListing.fetch(window, levels: SplitListing.levels(concurrency: concurrency)) { slice in
            client.invoices(InvoiceFilter(status: .paid, createdAtStart: slice.since, createdAtEnd: slice.until))
        }

        // 1. payouts of the window
        let listed = try await client.payouts(createdAtStart: window.since, createdAtEnd: window.until).collect()
        let payouts = listed.filter { fetched in
            guard case .record(let payout) = fetched else { return true } // unreadable: the engine reports it
            return window.contains(payout.createdAt)
        }
        let payoutIDs = payouts.compactMap { $0.record?.id }.orderedUnique()
        logger.info("payouts listed", metadata: ["window": "\(window.since.rfc3339)..\(window.until.rfc3339)", "payouts": "\(payoutIDs.count)"])

        // 2. every payout's lines
        let done = Counter()
        let lineLists: [(String, [Fetched<PayoutTransaction>])] = try await concurrentMap(payoutIDs, limit: concurrency) { id in
            let lines = try await client.payoutTransactions(payoutID: id).collect()
            progress?(FetchProgress(payoutsTotal: payoutIDs.count, payoutsFetched: done.increment(), requestsSent: client.statistics.totalRequests))
            return (id, lines)
        }
        var payoutLines: [String: [Fetched<PayoutTransaction>]] = [:]
        for (id, lines) in lineLists { payoutLines[id] = lines }
        let lines = lineLists.flatMap { $0.1 }.compactMap(\.record)

        // 3. links for unlinked payment-like lines, from GET /payments
        let unlinked = lines.filter { $0.type.canLink && $0.invoiceID == nil && $0.paymentRequestID == nil }
        let customers = unlinked.compactMap(\.customerID).orderedUnique()
        var payments: [Fetched<Transaction>] = []
        let byCustomer = try await concurrentMap(customers, limit: concurrency) { customer in
            try await client.payments(PaymentFilter(customerID: customer)).collect()
        }
        payments += byCustomer.flatMap { $0 }
        if unlinked.contains(where: { $0.customerID == nil }) {
            payments += try await client.payments().collect()
        }
        let paymentsByID = Dictionary(payments.compactMap(\.record).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let stillUnlinked = unlinked.contains { line in
            guard line.type.needsLink else { return false }
            guard let learned = paymentsByID[line.id] else { return true }
            return learned.invoiceID == nil && learned.paymentRequestID == nil
        }

        // 4b. candidate invoices, beside 5b: they depend only on step 3.
        async let candidateListing: [Fetched<Invoice>] = stillUnlinked
            ? client.invoices(InvoiceFilter(status: .open)).collect() + client.invoices(InvoiceFilter(status: .overdue)).collect()
            : []

        // 5. linked records by id
        var linkedInvoices: [String] = []
        var linkedRequests: [String] = []
        for line in lines {
            let learned = paymentsByID[line.id]
            if let id = line.invoiceID ?? (line.paymentRequestID == nil ? learned?.invoiceID : nil) { linkedInvoices.append(id) }
            if let id = line.paymentRequestID ?? (line.invoiceID == nil ? learned?.paymentRequestID : nil) { linkedRequests.append(id) }
        }
        // 5b. payment requests need only the lines: looked up while the listings above run.
        let requestIDs = (linkedRequests + expectedPaymentRequestIDs).orderedUnique().sorted()
        let requestLookups = try await concurrentMap(requestIDs, limit: concurrency) { id in
            (id, try await lookup { try await client.paymentRequest(id: id) })
        }

        let paidListed = try await paidListing
        let paidInWindow = paidListed.filter { fetched in
            guard case .record(let invoice) = fetched, let created = invoice.createdAt else { return true }
            return window.contains(created)
        }
        let candidates = try await candidateListing

        // Only what the window's lines link to is in scope: payments fetched for a customer may
        // link to invoices of other periods, which the run must not look up.
        let listedInvoices = Dictionary((paidInWindow + candidates).compactMap(\.record).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let invoiceIDs = linkedInvoices.orderedUnique().filter { listedInvoices[$0] == nil }.sorted()
        let invoiceLookups = try await concurrentMap(invoiceIDs, limit: concurrency) { id in
            (id, try await lookup { try await client.invoice(id: id) })
        }
        var invoices: [String: Lookup<Invoice>] = [:]
        let linkedInvoiceSet = Set(linkedInvoices)
        for (id, invoice) in listedInvoices where linkedInvoiceSet.contains(id) { invoices[id] = .found(.record(invoice)) }
        for (id, found) in invoiceLookups { invoices[id] = found }
        var paymentRequests: [String: Lookup<PaymentRequest>] = [:]
        for (id, found) in requestLookups { paymentRequests[id] = found }

        // 6. PAID invoices without a succeeded payment in the payouts seen
        let paidOut = Set(lines.filter { $0.status == .succeeded && $0.type == .payment }.compactMap { line in
            line.invoiceID ?? paymentsByID[line.id]?.invoiceID
        })
        var paidInScope: [String] = paidInWindow.compactMap { $0.record }.filter { $0.status == .paid }.map(\.id)
        for case .found(.record(let invoice)) in invoices.values where invoice.status == .paid { paidInScope.append(invoice.id) }
        let toCheck = paidInScope.orderedUnique().filter { !paidOut.contains($0) }.sorted()
        let perInvoice = try await concurrentMap(toCheck, limit: concurrency) { id in
            try await client.payments(PaymentFilter(invoiceID: id)).collect()
        }
        payments += perInvoice.flatMap { $0 }

        return ReconciliationInput(
            window: window,
            payouts: payouts,
            payoutLines: payoutLines,
            payments: payments,
            invoices: invoices,
            paymentRequests: paymentRequests,
            paidInvoicesInWindow: paidInWindow,
            candidateInvoices: candidates,
            expectedPaymentRequestIDs: expectedPaymentRequestIDs)
    }

    /// A by-id GET whose 404 is an answer, not a failure.
    private func lookup<T: Sendable>(_ get: () async throws -> Fetched<T>) async throws -> Lookup<T> {
        do {
            return .found(try await get())
        } catch let error as APIError where error.kind == .notFound {
            return .notFound
        }
    }
}

public struct FetchProgress: Sendable {
    public var payoutsTotal: Int
    public var payoutsFetched: Int
    /// Requests sent so far (pages and records, the token included), retries included.
    public var requestsSent: Int

    public init(payoutsTotal: Int, payoutsFetched: Int, requestsSent: Int = 0) {
        self.payoutsTotal = payoutsTotal
        self.payoutsFetched = payoutsFetched
        self.requestsSent = requestsSent
    }
}

/// A thread-safe counter for progress callbacks from concurrent tasks.
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}

/// Runs `transform` over `items` with at most `limit` running at once; results in input order.
/// The first error cancels the rest and is rethrown.
func concurrentMap<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ transform: @escaping @Sendable (T) async throws -> R) async throws -> [R] {
    guard !items.isEmpty else { return [] }
    return try await withThrowingTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        func start() {
            let index = next
            let item = items[index]
            group.addTask { (index, try await transform(item)) }
            next += 1
        }
        while next < min(limit, items.count) { start() }
        while let (index, value) = try await group.next() {
            results[index] = value
            if next < items.count { start() }
        }
        return results.compactMap { $0 }
    }
}

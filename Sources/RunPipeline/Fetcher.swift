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
/// 1. `GET /payouts?created_at_start&created_at_end` — the window (filtered half-open here too),
///    a long listing split into created_at slices like step 4's (`SplitListing`).
/// 2. `GET /payouts/{id}/transactions` for every payout in the window, all at once.
/// 3. For lines of a kind that links (`TransactionType.canLink`) without a link: `GET /payments?customer_id=C` once per
///    distinct customer named on such lines, and one unfiltered `GET /payments` only if some
///    such line names no customer (the API offers no filter by transaction id).
/// 4. `GET /invoices?status=PAID&created_at_start&created_at_end` — PAID invoices of the window,
///    a long listing split into created_at slices fetched concurrently (`SplitListing`);
///    `GET /invoices?status=OPEN` and `?status=OVERDUE` — only when a line of a kind the engine
///    searches candidates for (`TransactionType.needsLink`) is still unlinked.
/// 5. Linked invoices not already listed in step 4, by `invoicePlan` (`InvoiceFetchPlan`): a
///    hashed sample by `GET /invoices/{id}`, then `GET /invoices?created_at_start&created_at_end`
///    (any status) over the `created_at` slices the sample says are dense, each a chain that stops
///    when its pages stop paying off, then `GET /invoices/{id}` for the rest; listed invoices no
///    line links to are dropped. `GET /payments/request/{id}` for linked and expected payment
///    requests (no list endpoint), one request per distinct id, each started as soon as a line,
///    the expected list or step 3 names it. By-id lookups run concurrently; a 404 becomes
///    `Lookup.notFound`.
/// 6. `GET /payments?invoice_id=X` for each PAID invoice in scope with no succeeded payment in the
///    payouts seen, to tell "paid but not paid out" from "paid without any payment".
public struct Fetcher: Sendable {
    public let client: APIClient
    public let logger: Logger
    /// Upper bound of requests this stage keeps in flight (the transport has its own limit too).
    public let concurrency: Int
    /// Called after each payout's lines and each page of a listing; for progress displays.
    public let progress: (@Sendable (FetchProgress) -> Void)?
    /// How step 5 gets linked invoices the PAID listing did not contain.
    public let invoicePlan: InvoiceFetchPlan

    public init(client: APIClient, logger: Logger, concurrency: Int, invoicePlan: InvoiceFetchPlan = .adaptive,
                progress: (@Sendable (FetchProgress) -> Void)? = nil) {
        self.client = client
        self.logger = logger
        self.concurrency = max(1, concurrency)
        self.invoicePlan = invoicePlan
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
        let listed = try await SplitListing.fetch(window, levels: SplitListing.levels(concurrency: concurrency)) { slice in
            client.payouts(createdAtStart: slice.since, createdAtEnd: slice.until)
        }
        let payouts = listed.filter { fetched in
            guard case .record(let payout) = fetched else { return true } // unreadable: the engine reports it
            return window.contains(payout.createdAt)
        }
        let payoutIDs = payouts.compactMap { $0.record?.id }.orderedUnique()
        logger.info("payouts listed", metadata: ["window": "\(window.since.rfc3339)..\(window.until.rfc3339)", "payouts": "\(payoutIDs.count)"])

        // 5b (started here). Payment requests have no list endpoint: each is looked up as soon as
        // a line (or the expected list, or step 3) names it, once per distinct id, so the lookups
        // overlap steps 2-4 instead of waiting for every line. The set of ids does not depend on
        // the order they arrive in.
        let (requestIDStream, requestIDs) = AsyncStream.makeStream(of: String.self)
        defer { requestIDs.finish() }
        async let requestLookups = distinctLookups(requestIDStream, limit: concurrency) { [self] id in
            try await lookup { try await client.paymentRequest(id: id) }
        }
        for id in expectedPaymentRequestIDs { requestIDs.yield(id) }

        // 2. every payout's lines
        let done = Counter()
        let lineLists: [(String, [Fetched<PayoutTransaction>])] = try await concurrentMap(payoutIDs, limit: concurrency) { id in
            let lines = try await client.payoutTransactions(payoutID: id).collect()
            for case .record(let line) in lines { if let request = line.paymentRequestID { requestIDs.yield(request) } }
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
        // 5b. the links step 3 learned; no id arrives after this.
        for id in linkedRequests { requestIDs.yield(id) }
        requestIDs.finish()

        let paidListed = try await paidListing
        let paidInWindow = paidListed.filter { fetched in
            guard case .record(let invoice) = fetched, let created = invoice.createdAt else { return true }
            return window.contains(created)
        }
        let candidates = try await candidateListing

        // Only what the window's lines link to is in scope: payments fetched for a customer may
        // link to invoices of other periods, which the run must not look up.
        let listedInvoices = Dictionary((paidInWindow + candidates).compactMap(\.record).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let missing = linkedInvoices.orderedUnique().filter { listedInvoices[$0] == nil }.sorted()
        let invoiceLookups = try await fetchInvoices(missing)
        var invoices: [String: Lookup<Invoice>] = [:]
        let linkedInvoiceSet = Set(linkedInvoices)
        for (id, invoice) in listedInvoices where linkedInvoiceSet.contains(id) { invoices[id] = .found(.record(invoice)) }
        for (id, found) in invoiceLookups { invoices[id] = found }
        let paymentRequests = try await requestLookups

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

    /// Step 5 for invoices: the answer for each of `missing` (sorted ids), by `invoicePlan`.
    /// Listed invoices that are not missing are dropped page by page, so neither the engine's
    /// input nor memory grows with the history a slice covers.
    func fetchInvoices(_ missing: [String], round: Int = 1) async throws -> [(String, Lookup<Invoice>)] {
        let client = client, plan = invoicePlan
        let byID = { (ids: [String]) in
            try await concurrentMap(ids, limit: concurrency) { id in (id, try await lookup { try await client.invoice(id: id) }) }
        }
        let sampleIDs = plan.sample(of: missing)
        let sampled = try await byID(sampleIDs)
        let created: [Timestamp] = sampled.compactMap { _, found in
            if case .found(.record(let invoice)) = found { return invoice.createdAt }
            return nil
        }
        let slices = plan.slices(sampleCreated: created, chains: concurrency)
        let sampleSet = Set(sampleIDs)
        let wanted = Set(missing).subtracting(sampleSet)
        let chains: [[Invoice]] = try await concurrentMap(slices, limit: concurrency) { slice in
            var pages = client.invoices(InvoiceFilter(createdAtStart: slice.since, createdAtEnd: slice.until)).pages()
            var kept: [Invoice] = []
            var pageCount = 0
            // Only readable records: an unreadable one is left to its by-id request, which
            // reports it exactly as the one-by-one plan would.
            while let page = try await pages.next() {
                pageCount += 1
                for case .record(let invoice) in page where wanted.contains(invoice.id) { kept.append(invoice) }
                guard pages.hasMore, plan.keepsListing(found: kept.count, pages: pageCount) else { break }
            }
            logger.debug("invoice slice listed", metadata: [
                "since": "\(slice.since.rfc3339)", "until": "\(slice.until.rfc3339)", "pages": "\(pageCount)",
                "found": "\(kept.count)", "complete": "\(!pages.hasMore)",
            ])
            return kept
        }
        var listed: [String: Invoice] = [:]
        for invoice in chains.joined() where listed[invoice.id] == nil { listed[invoice.id] = invoice }
        let rest = missing.filter { !sampleSet.contains($0) && listed[$0] == nil }
        if !slices.isEmpty {
            logger.info("linked invoices outside the listings", metadata: [
                "round": "\(round)", "missing": "\(missing.count)", "sampled": "\(sampleIDs.count)", "slices": "\(slices.count)",
                "listed": "\(listed.count)", "rest": "\(rest.count)",
            ])
        }
        // What the slices left (the sparse ends of a range, a second cluster) gets the plan again
        // while enough remains for a sample; the last round fetches the rest by id.
        let restLookups = !slices.isEmpty && round < plan.rounds && !plan.sample(of: rest).isEmpty
            ? try await fetchInvoices(rest, round: round + 1)
            : try await byID(rest)
        return sampled + listed.sorted { $0.key < $1.key }.map { ($0.key, Lookup.found(.record($0.value))) } + restLookups
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

/// Runs `transform` once per distinct id of `ids` as they arrive, at most `limit` at once,
/// until the stream finishes. The first error cancels the rest and is rethrown.
func distinctLookups<R: Sendable>(_ ids: AsyncStream<String>, limit: Int,
                                  _ transform: @escaping @Sendable (String) async throws -> R) async throws -> [String: R] {
    try await withThrowingTaskGroup(of: (String, R).self) { group in
        var seen = Set<String>(), results: [String: R] = [:], running = 0
        for await id in ids where seen.insert(id).inserted {
            if running >= max(1, limit), let (finished, value) = try await group.next() {
                results[finished] = value
                running -= 1
            }
            group.addTask { (id, try await transform(id)) }
            running += 1
        }
        while let (finished, value) = try await group.next() { results[finished] = value }
        return results
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

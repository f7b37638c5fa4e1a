/// The fewest requests a run of the job over `dataset` needs, computed from the data alone,
/// independently of the fetcher, so a benchmark can set what the job made against what the
/// data needs. Pages hold `pageSize` records; a listing costs ⌈n ÷ pageSize⌉ pages and at least
/// one request even when empty. Counted per endpoint (the sandbox's route names):
///
/// - `POST /oauth/token`: 1.
/// - `GET /payouts`: the pages of the payouts created in [since, until).
/// - `GET /payouts/{id}/transactions`: each of those payouts' line pages.
/// - `GET /payments`: for lines of a kind that links (payment, refund, chargeback) with neither
///   `invoice_id` nor `payment_request_id`, the pages of each named customer's transactions, plus
///   every transaction's pages when such a line names no customer; then, per PAID invoice in
///   scope (the window's PAID listing and the PAID linked invoices) that no succeeded payment
///   line pays, the pages of its `invoice_id` listing.
/// - `GET /invoices`: the window's PAID listing (created_at in [since, until], the API's ends
///   inclusive) as `splitListingRequests` counts it, the OPEN and OVERDUE listings when a
///   payment or refund line stays unlinked after the customers' transactions, and the older
///   listing below.
/// - `GET /invoices/{id}` and the older listing: R is the linked invoices the PAID listing
///   does not hold. For a created_at cutoff c ≤ since, listing every invoice created in
///   [c, since), any status, costs ⌈n(c) ÷ pageSize⌉ pages (0 when c = since) and leaves the
///   members of R outside [c, since) to one `GET /invoices/{id}` each. The plan takes the c
///   with the fewest of the two together (in hindsight: only the data knows it); ties go to
///   the latest c, the shortest listing. Only c = since and the created_at of R's members
///   before since can be best: moving c down to the next such time adds listing pages and
///   covers nothing more.
/// - `GET /payments/request/{id}`: one per linked payment request (no list endpoint).
public struct FewestRequests: Sendable, Equatable {
    public var byEndpoint: [String: Int]
    /// Pages of the window's PAID listing as one cursor chain, for comparison with the split.
    public var paidListingAsOneChain: Int
    /// The chosen cutoff (epoch seconds), nil when listing nothing before the window is best.
    public var cutoff: Int64?
    /// Pages listing [cutoff, since), and the linked invoices then left to by-id requests.
    public var olderListingPages: Int
    public var invoicesByID: Int
    public var total: Int { byEndpoint.values.reduce(0, +) }

    public init(dataset: SandboxDataset, since: Int64, until: Int64, pageSize: Int, concurrency: Int) {
        let pageSize = max(pageSize, 1)
        func pages(_ n: Int) -> Int { max(1, (n + pageSize - 1) / pageSize) }
        func time(_ record: JSONObject) -> Int64? { record.string("created_at").flatMap { SandboxTime.parse($0) } }
        func type(_ line: JSONObject) -> String { (line.string("type") ?? "").lowercased() }

        var plan: [String: Int] = ["POST /oauth/token": 1]
        let payouts = dataset.payouts.filter { time($0).map { since <= $0 && $0 < until } ?? false }
        plan["GET /payouts"] = pages(payouts.count)
        let lines = payouts.map { ($0["lines"]?.arrayValue ?? []).compactMap(\.objectValue) }
        plan["GET /payouts/{id}/transactions"] = lines.reduce(0) { $0 + pages($1.count) }
        let allLines = lines.flatMap { $0 }

        // Links learned from the customers' transactions.
        let unlinked = allLines.filter {
            ["payment", "refund", "chargeback"].contains(type($0)) && $0.string("invoice_id") == nil && $0.string("payment_request_id") == nil
        }
        var paymentPages = 0
        var learnedFrom: [JSONObject] = []
        var customersSeen = Set<String>()
        for customer in unlinked.compactMap({ $0.string("customer_id") }) where customersSeen.insert(customer).inserted {
            let theirs = dataset.transactions.filter { $0.string("customer_id") == customer }
            paymentPages += pages(theirs.count)
            learnedFrom += theirs
        }
        if unlinked.contains(where: { $0.string("customer_id") == nil }) {
            paymentPages += pages(dataset.transactions.count)
            learnedFrom = dataset.transactions
        }
        var learned: [String: JSONObject] = [:]
        for transaction in learnedFrom { if let id = transaction.id, learned[id] == nil { learned[id] = transaction } }
        let stillUnlinked = unlinked.contains { line in
            guard ["payment", "refund"].contains(type(line)) else { return false }
            guard let found = line.id.flatMap({ learned[$0] }) else { return true }
            return found.string("invoice_id") == nil && found.string("payment_request_id") == nil
        }

        var linkedInvoices = Set<String>()
        var linkedRequests = Set<String>()
        var paidOut = Set<String>()
        for line in allLines {
            let found = line.id.flatMap { learned[$0] }
            let invoice = line.string("invoice_id") ?? (line.string("payment_request_id") == nil ? found?.string("invoice_id") : nil)
            let request = line.string("payment_request_id") ?? (line.string("invoice_id") == nil ? found?.string("payment_request_id") : nil)
            if let invoice {
                linkedInvoices.insert(invoice)
                if line.string("status") == "succeeded", type(line) == "payment" { paidOut.insert(invoice) }
            }
            if let request { linkedRequests.insert(request) }
        }

        let paid = dataset.invoices.filter { $0.string("status") == "PAID" && (time($0).map { since <= $0 && $0 <= until } ?? false) }
        let paidIDs = Set(paid.compactMap(\.id))
        paidListingAsOneChain = pages(paid.count)
        var invoicePages = Self.splitListingRequests(times: paid.compactMap(time).sorted(), since: since, until: until,
                                                     levels: Self.levels(concurrency: concurrency), pageSize: pageSize)
        if stillUnlinked {
            invoicePages += pages(dataset.invoices.filter { $0.string("status") == "OPEN" }.count)
            invoicePages += pages(dataset.invoices.filter { $0.string("status") == "OVERDUE" }.count)
        }

        // The best created_at cutoff for the linked invoices the PAID listing leaves out.
        let invoicesByID = Dictionary(dataset.invoices.compactMap { record in record.id.map { ($0, record) } }, uniquingKeysWith: { a, _ in a })
        let rest = linkedInvoices.subtracting(paidIDs)
        let restBefore = rest.compactMap { invoicesByID[$0].flatMap(time) }.filter { $0 < since }.sorted()
        let allBefore = dataset.invoices.compactMap(time).filter { $0 < since }.sorted()
        var best = (cost: rest.count, cutoff: Int64?.none, pages: 0)
        var k = restBefore.count - 1
        while k >= 0 {
            let c = restBefore[k]
            while k > 0, restBefore[k - 1] == c { k -= 1 }
            let covered = restBefore.count - k
            let listed = allBefore.count - Self.firstIndex(allBefore) { $0 >= c }
            let listing = pages(listed)
            if listing + rest.count - covered < best.cost { best = (listing + rest.count - covered, c, listing) }
            k -= 1
        }
        cutoff = best.cutoff
        olderListingPages = best.pages
        self.invoicesByID = best.cost - best.pages
        plan["GET /invoices"] = invoicePages + best.pages
        if self.invoicesByID > 0 { plan["GET /invoices/{id}"] = self.invoicesByID }
        if !linkedRequests.isEmpty { plan["GET /payments/request/{id}"] = linkedRequests.count }

        var paidInScope = paidIDs
        for id in linkedInvoices where invoicesByID[id]?.string("status") == "PAID" { paidInScope.insert(id) }
        var paymentsByInvoice: [String: Int] = [:]
        for transaction in dataset.transactions {
            if let invoice = transaction.string("invoice_id") { paymentsByInvoice[invoice, default: 0] += 1 }
        }
        for id in paidInScope.subtracting(paidOut) { paymentPages += pages(paymentsByInvoice[id] ?? 0) }
        if paymentPages > 0 { plan["GET /payments"] = paymentPages }
        byEndpoint = plan
    }

    /// The first index of sorted `values` where `isAfter` holds (false, then true).
    static func firstIndex(_ values: [Int64], _ isAfter: (Int64) -> Bool) -> Int {
        var low = 0, high = values.count
        while low < high {
            let mid = low + (high - low) / 2
            if isAfter(values[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// SplitListing's rule, restated: a chain that ends within 8 pages is not split; otherwise
    /// halve (dropping the pages looked at: 8 for the whole window, 1 for a half) while splits
    /// are left and the window is two hours wide or more; halves `[since, mid + 1]` and
    /// `[mid, until]` as the sandbox reads them (both ends inclusive).
    public static func splitListingRequests(times: [Int64], since: Int64, until: Int64, levels: Int, pageSize: Int, look: Int = 8) -> Int {
        let count = firstIndex(times) { $0 > until } - firstIndex(times) { $0 >= since }
        let chain = max(1, (count + pageSize - 1) / pageSize)
        if chain <= look { return chain }
        guard levels > 0, until - since >= 7_200 else { return chain }
        let mid = since + (until - since) / 2
        return look + splitListingRequests(times: times, since: since, until: mid + 1, levels: levels - 1, pageSize: pageSize, look: 1)
            + splitListingRequests(times: times, since: mid, until: until, levels: levels - 1, pageSize: pageSize, look: 1)
    }

    /// log2(concurrency), as `SplitListing.levels(concurrency:)`.
    public static func levels(concurrency: Int) -> Int {
        var levels = 0
        while levels < 10, 1 << (levels + 1) <= concurrency { levels += 1 }
        return levels
    }
}

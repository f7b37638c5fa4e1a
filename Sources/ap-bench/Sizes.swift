import APSandbox
import Foundation

/// A dataset size of the benchmark. Lines per payout include one fee line; of the payment lines,
/// `invoiceShare` pay an invoice in full and the rest pay payment requests (one GET each: the API
/// has no list endpoint for them).
struct BenchSize: Sendable {
    var name: String
    var payouts: Int
    var linesPerPayout: Int
    static let invoiceShare = 0.9

    static let all: [BenchSize] = [
        BenchSize(name: "S", payouts: 100, linesPerPayout: 100),
        BenchSize(name: "M", payouts: 1_000, linesPerPayout: 100),
        BenchSize(name: "L", payouts: 10_000, linesPerPayout: 100),
    ]

    static func named(_ name: String) -> BenchSize? { all.first { $0.name == name.uppercased() } }

    var lines: Int { payouts * linesPerPayout }
    var paymentLines: Int { payouts * (linesPerPayout >= 2 ? linesPerPayout - 1 : linesPerPayout) }
    var invoices: Int { Int((Double(paymentLines) * Self.invoiceShare).rounded(.down)) }

    /// 2024-01-01T00:00:00Z, where the generator starts counting.
    static let start: Int64 = 1_704_067_200
    var since: String { "2024-01-01T00:00:00Z" }
    /// The day after the last payout: the generator puts payout p at start + p days.
    var until: String { BenchSize.rfc3339(BenchSize.start + Int64(payouts + 1) * 86_400) }

    func dataset() -> SandboxDataset {
        SandboxDataset.generate(seed: 1, customers: 200, invoices: invoices, payouts: payouts, linesPerPayout: linesPerPayout)
    }

    static func rfc3339(_ epoch: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }
}

/// The fewest requests a run over `dataset` can make with `pageSize` records per page: every
/// listing page once, every record without a list endpoint once, nothing else — except that the
/// PAID listing, when longer than 8 pages, is split into created_at slices at `concurrency` > 1
/// (docs/fetching.md), which costs the pages dropped at each split and a part-filled page per slice. Computed from the
/// data, independently of the fetcher (the split rule is restated below), so the two can be compared.
struct MinimumPlan: Sendable {
    var byEndpoint: [String: Int]
    /// Pages of the PAID listing as one cursor chain, for comparison with the split plan.
    var paidListingAsOneChain: Int
    var total: Int { byEndpoint.values.reduce(0, +) }

    init(dataset: SandboxDataset, since: Int64, until: Int64, pageSize: Int, concurrency: Int) {
        func pages(_ n: Int) -> Int { max(1, (n + pageSize - 1) / pageSize) }
        func epoch(_ value: JSON?) -> Int64? {
            guard let text = value?.stringValue, let date = ISO8601DateFormatter().date(from: text) else { return nil }
            return Int64(date.timeIntervalSince1970)
        }
        var plan: [String: Int] = ["POST /oauth/token": 1]
        let payouts = dataset.payouts.filter { epoch($0["created_at"]).map { since <= $0 && $0 < until } ?? false }
        plan["GET /payouts"] = pages(payouts.count)
        var linePages = 0
        var linkedInvoices = Set<String>()
        var linkedRequests = Set<String>()
        var paidOut = Set<String>()
        for payout in payouts {
            let lines = payout["lines"]?.arrayValue ?? []
            linePages += pages(lines.count)
            for case .object(let line) in lines {
                if let invoice = line["invoice_id"]?.stringValue {
                    linkedInvoices.insert(invoice)
                    if line["status"]?.stringValue == "succeeded", line["type"]?.stringValue == "payment" { paidOut.insert(invoice) }
                }
                if let request = line["payment_request_id"]?.stringValue { linkedRequests.insert(request) }
            }
        }
        plan["GET /payouts/{id}/transactions"] = linePages
        // The API's created_at_end is inclusive; the job drops the end instant itself.
        let paid = dataset.invoices.filter {
            $0["status"]?.stringValue == "PAID" && (epoch($0["created_at"]).map { since <= $0 && $0 <= until } ?? false)
        }
        let paidIDs = Set(paid.compactMap { $0["id"]?.stringValue })
        let paidTimes = paid.compactMap { epoch($0["created_at"]) }.sorted()
        paidListingAsOneChain = pages(paid.count)
        plan["GET /invoices"] = Self.splitListingRequests(times: paidTimes, since: since, until: until,
                                                          levels: Self.levels(concurrency: concurrency), pageSize: pageSize)
        let lookups = linkedInvoices.subtracting(paidIDs).count
        if lookups > 0 { plan["GET /invoices/{id}"] = lookups }
        if !linkedRequests.isEmpty { plan["GET /payments/request/{id}"] = linkedRequests.count }
        // Step 6: PAID invoices in scope with no succeeded payment line (one page each at these sizes).
        let unpaidOut = paidIDs.union(linkedInvoices).subtracting(paidOut).count
        if unpaidOut > 0 { plan["GET /payments"] = unpaidOut }
        byEndpoint = plan
    }
}

extension MinimumPlan {
    /// SplitListing's rule, restated: a chain that ends within 8 pages is not split; otherwise
    /// halve (dropping the pages looked at: 8 for the whole window, 1 for a half) while splits
    /// are left and the window is two hours wide or more; halves `[since, mid + 1]` and
    /// `[mid, until]` as the sandbox reads them (both ends inclusive).
    static func splitListingRequests(times: [Int64], since: Int64, until: Int64, levels: Int, pageSize: Int, look: Int = 8) -> Int {
        let count = times.filter { since <= $0 && $0 <= until }.count
        let chain = max(1, (count + pageSize - 1) / pageSize)
        if chain <= look { return chain }
        guard levels > 0, until - since >= 7_200 else { return chain }
        let mid = since + (until - since) / 2
        return look + splitListingRequests(times: times, since: since, until: mid + 1, levels: levels - 1, pageSize: pageSize, look: 1)
            + splitListingRequests(times: times, since: mid, until: until, levels: levels - 1, pageSize: pageSize, look: 1)
    }

    /// log2(concurrency), as `SplitListing.levels(concurrency:)`.
    static func levels(concurrency: Int) -> Int {
        var levels = 0
        while levels < 10, 1 << (levels + 1) <= concurrency { levels += 1 }
        return levels
    }
}

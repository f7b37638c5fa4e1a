import APSandbox
import Foundation

/// A dataset size of the benchmark. Lines per payout include one fee line; of the payment lines,
/// `invoiceShare` pay an invoice in full and the rest pay payment requests (one GET each: the API
/// has no list endpoint for them). S, M and L create each invoice inside the window; the shapes
/// `month`, `nightly` and `tail` give invoices the times real merchants' invoices have
/// (docs/performance.md, "Data shapes").
struct BenchSize: Sendable {
    var name: String
    var payouts: Int
    var linesPerPayout: Int
    var shape: DatasetShape = .plain
    static let invoiceShare = 0.9

    static let all: [BenchSize] = [
        BenchSize(name: "S", payouts: 100, linesPerPayout: 100),
        BenchSize(name: "M", payouts: 1_000, linesPerPayout: 100),
        BenchSize(name: "L", payouts: 10_000, linesPerPayout: 100),
        // 1,000 payouts in 30 days; each linked invoice created 49–59 days before the payment
        // (a day before its payout), so 20–60 days before the window.
        BenchSize(name: "month", payouts: 1_000, linesPerPayout: 100,
                  shape: DatasetShape(invoiceLeadDays: 49...59, payoutSpacingSeconds: 2_592)),
        // One night: 100 payouts in a day, each linked invoice created 20–60 days before its
        // payment (net terms), over an account with 300,000 older invoices (1–730 days old) no
        // line pays.
        BenchSize(name: "nightly", payouts: 100, linesPerPayout: 100,
                  shape: DatasetShape(invoiceLeadDays: 20...60, historyInvoices: 300_000, historyAgeDays: 1...730,
                                      payoutSpacingSeconds: 864)),
        // Three nights: 300 payouts, net terms of 20–60 days, 100,000 older invoices (1–1,095 days
        // old), and 5 % of the linked invoices created 1–3 years before their payment.
        BenchSize(name: "tail", payouts: 300, linesPerPayout: 100,
                  shape: DatasetShape(invoiceLeadDays: 20...60, historyInvoices: 100_000, historyAgeDays: 1...1095,
                                      tailPerMille: 50, tailAgeDays: 365...1095, payoutSpacingSeconds: 864)),
    ]

    static func named(_ name: String) -> BenchSize? { all.first { $0.name.lowercased() == name.lowercased() } }

    var lines: Int { payouts * linesPerPayout }
    var paymentLines: Int { payouts * (linesPerPayout >= 2 ? linesPerPayout - 1 : linesPerPayout) }
    var invoices: Int { Int((Double(paymentLines) * Self.invoiceShare).rounded(.down)) }

    /// 2024-01-01T00:00:00Z, where the generator starts counting.
    static let start: Int64 = 1_704_067_200
    var since: String { "2024-01-01T00:00:00Z" }
    /// One spacing after the last payout: the generator puts payout p at start + p × spacing.
    var untilEpoch: Int64 { BenchSize.start + Int64(payouts + 1) * shape.payoutSpacingSeconds }
    var until: String { BenchSize.rfc3339(untilEpoch) }

    func dataset() -> SandboxDataset {
        SandboxDataset.generate(seed: 1, customers: 200, invoices: invoices, payouts: payouts, linesPerPayout: linesPerPayout, shape: shape)
    }

    static func rfc3339(_ epoch: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
    }
}

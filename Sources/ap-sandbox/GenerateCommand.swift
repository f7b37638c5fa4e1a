import APSandbox
import ArgumentParser
import Foundation

struct GenerateOptions: ParsableArguments {
    @Option(help: "Seed of the generator: the same seed and sizes give the same bytes.")
    var seed: UInt64 = 1
    @Option(help: "Number of customers.")
    var customers: Int = 20
    @Option(help: "Number of invoices.")
    var invoices: Int = 100
    @Option(help: "Number of payouts.")
    var payouts: Int = 10
    @Option(help: "Lines (transactions) per payout; with 2 or more the last one is a fee.")
    var linesPerPayout: Int = 10
    @Option(help: "First timestamp of the data, RFC 3339 (default 2024-01-01T00:00:00Z).")
    var start: String?
    @Option(help: "Net terms: each invoice a line pays is created N-M days before that payment, e.g. 30-60 (default: inside the payouts' span).")
    var invoiceLeadDays: String?
    @Option(help: "Invoices no line pays, created before --start (default 0).")
    var historyInvoices: Int = 0
    @Option(help: "Age of those invoices in days before --start, N-M (default 1-730).")
    var historyAgeDays = "1-730"
    @Option(help: "Per mille of the invoices lines pay that are old: created --tail-age-days before their payment (default 0).")
    var tailPerMille: Int = 0
    @Option(help: "Age of the long tail's invoices in days before their payment, N-M (default 365-1095).")
    var tailAgeDays = "365-1095"
    @Option(help: "Seconds between payouts (default 86400; 2592 puts 1,000 payouts into 30 days).")
    var payoutSpacingSeconds: Int64 = 86_400

    func validate() throws {
        for (name, value) in [("customers", customers), ("invoices", invoices), ("payouts", payouts), ("lines-per-payout", linesPerPayout)]
        where value < 0 || value > 1_000_000 {
            throw ValidationError("--\(name) must be from 0 to 1000000 (got \(value))")
        }
        if let start, ISO8601DateFormatter().date(from: start) == nil {
            throw ValidationError("--start must be an RFC 3339 timestamp such as 2024-01-01T00:00:00Z (got \(start))")
        }
        if historyInvoices < 0 || historyInvoices > 10_000_000 {
            throw ValidationError("--history-invoices must be from 0 to 10000000 (got \(historyInvoices))")
        }
        if tailPerMille < 0 || tailPerMille > 1000 {
            throw ValidationError("--tail-per-mille must be from 0 to 1000 (got \(tailPerMille))")
        }
        if payoutSpacingSeconds < 1 || payoutSpacingSeconds > 31_536_000 {
            throw ValidationError("--payout-spacing-seconds must be from 1 to 31536000 (got \(payoutSpacingSeconds))")
        }
        _ = try Self.days(invoiceLeadDays, "invoice-lead-days")
        _ = try Self.days(historyAgeDays, "history-age-days")
        _ = try Self.days(tailAgeDays, "tail-age-days")
    }

    /// "N-M" (or "N") as a range of days, 0 ≤ N ≤ M ≤ 36500.
    static func days(_ text: String?, _ name: String) throws -> ClosedRange<Int>? {
        guard let text else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil,
              0 <= low, low <= high, high <= 36_500 else {
            throw ValidationError("--\(name) must be N-M days with 0 ≤ N ≤ M ≤ 36500, e.g. 30-60 (got \(text))")
        }
        return low...high
    }

    /// The options as a shape; `validate()` has already rejected unreadable ranges.
    var shape: DatasetShape {
        let plain = DatasetShape.plain
        return DatasetShape(invoiceLeadDays: try? Self.days(invoiceLeadDays, "invoice-lead-days"),
                            historyInvoices: historyInvoices,
                            historyAgeDays: (try? Self.days(historyAgeDays, "history-age-days")) ?? plain.historyAgeDays,
                            tailPerMille: tailPerMille,
                            tailAgeDays: (try? Self.days(tailAgeDays, "tail-age-days")) ?? plain.tailAgeDays,
                            payoutSpacingSeconds: payoutSpacingSeconds)
    }

    func dataset() -> SandboxDataset {
        let startDate = start.flatMap { ISO8601DateFormatter().date(from: $0) } ?? SandboxDataset.defaultGenerationStart
        return SandboxDataset.generate(seed: seed, customers: customers, invoices: invoices, payouts: payouts,
                                       linesPerPayout: linesPerPayout, start: startDate, shape: shape)
    }
}

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a generated dataset directory (customers.json, invoices.json, …)."
    )

    @OptionGroup var sizes: GenerateOptions
    @Option(help: "Directory to write (created if missing; existing dataset files are replaced).")
    var out: String

    func run() async throws {
        let dataset = sizes.dataset()
        do {
            try dataset.write(to: URL(fileURLWithPath: out))
        } catch {
            throw ValidationError("cannot write the dataset to \(out): \(error.localizedDescription)")
        }
        print("wrote \(dataset.customers.count) customers, \(dataset.invoices.count) invoices, \(dataset.paymentRequests.count) payment requests, \(dataset.transactions.count) transactions, \(dataset.payouts.count) payouts to \(out)")
    }
}

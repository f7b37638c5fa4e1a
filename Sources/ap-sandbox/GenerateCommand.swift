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

    func validate() throws {
        for (name, value) in [("customers", customers), ("invoices", invoices), ("payouts", payouts), ("lines-per-payout", linesPerPayout)]
        where value < 0 || value > 1_000_000 {
            throw ValidationError("--\(name) must be from 0 to 1000000 (got \(value))")
        }
        if let start, ISO8601DateFormatter().date(from: start) == nil {
            throw ValidationError("--start must be an RFC 3339 timestamp such as 2024-01-01T00:00:00Z (got \(start))")
        }
    }

    func dataset() -> SandboxDataset {
        let startDate = start.flatMap { ISO8601DateFormatter().date(from: $0) } ?? SandboxDataset.defaultGenerationStart
        return SandboxDataset.generate(seed: seed, customers: customers, invoices: invoices, payouts: payouts,
                                       linesPerPayout: linesPerPayout, start: startDate)
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

import APSandbox
import ArgumentParser
import Foundation

struct StatementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statements",
        abstract: "Write bank statements for a dataset's payouts in every format, with realistic faults.",
        discussion: """
        Writes camt.053/, camt.054/, bai2/, mt940/ and csv/ (with csv/mapping.json, the CSV column \
        mapping) under --out: three consecutive statements and one that overlaps them, per format. \
        Planted: a payout that never arrives, one less a wire fee, two credited as one, a provider \
        credit of unknown origin, an MT940 NONREF line, and a third statement whose opening balance \
        does not chain. See docs/bank.md.
        """
    )

    @Option(help: "Dataset directory whose payouts.json the statements pay out. Default: a generated dataset (see the size options).")
    var dataset: String?
    @OptionGroup(title: "Generated dataset") var sizes: GenerateOptions
    @Option(help: "Directory to write (created if missing; existing statement files are replaced).")
    var out: String

    func run() async throws {
        let data: SandboxDataset
        if let dataset {
            do {
                data = try SandboxDataset.load(directory: URL(fileURLWithPath: dataset))
            } catch {
                throw ValidationError("\(error)")
            }
        } else {
            data = sizes.dataset()
        }
        let output = BankStatementGenerator.generate(dataset: data)
        guard !output.files.isEmpty else {
            throw ValidationError("the dataset has no payout that must arrive (succeeded or paid, positive amount): nothing to write")
        }
        let root = URL(fileURLWithPath: out)
        do {
            for file in output.files {
                let url = root.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url, options: .atomic)
            }
        } catch {
            throw ValidationError("cannot write the statements to \(out): \(error.localizedDescription)")
        }
        let f = output.faults
        print("wrote \(output.files.count) files to \(out)")
        print("planted: never arrives \(f.missingPayoutID ?? "-"); wire fee on \(f.feePayoutID ?? "-"); "
            + "credited as one \(f.batchedPayoutIDs.isEmpty ? "-" : f.batchedPayoutIDs.joined(separator: " + ")); "
            + "unknown provider credit \(f.unknownCreditReference ?? "-"); MT940 NONREF line \"\(f.nonrefText ?? "-")\"; "
            + "overlapping statement *-overlap; balances break at statement-3")
    }
}

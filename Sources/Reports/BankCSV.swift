import APModels
import BankStatements
import Reconciliation

/// bank.csv: one row per bank statement entry (counted once across overlapping statements), by
/// statement file and position, with how it was explained. Written by every run, header only
/// without statements, so the set of files never depends on the job's inputs. The texts come
/// from the bank's files and go through the same neutralising as every other cell.
public enum BankCSV {
    public static let fileName = "bank.csv"
    public static let header = [
        "statement_file", "bank_entry_id", "booking_date", "value_date", "direction", "currency",
        "amount_minor", "amount", "reference", "match", "payout_ids",
    ]

    public static func render(_ result: ReconciliationResult) -> ReportFile {
        stream(result).file()
    }

    public static func stream(_ result: ReconciliationResult) -> ReportStream {
        ReportStream(name: fileName) { out in
            out.csvHeader(header)
            let entries = result.bank?.entries ?? []
            for match in entries {
                try out.csvRow { row, out in
                    for field in fields(match) { row.field(field, into: &out) }
                }
            }
            return entries.count
        }
    }

    static func fields(_ match: BankEntryMatch) -> [CSVField] {
        let e = match.entry
        return [
            .text(e.statementFile),
            .text(e.id),
            .text(e.bookingDate.description),
            .text(e.valueDate?.description),
            .text(e.direction.rawValue),
            .text(e.currency.code),
            .integer(e.amount.minorUnits),
            .decimal(e.amount.minorUnits, e.currency),
            .text(e.reference),
            .text(match.kind.rawValue),
            // Space-separated, as finance tools split a cell of ids; the other id lists use `;`.
            .text(match.payoutIDs.isEmpty ? nil : match.payoutIDs.joined(separator: " ")),
        ]
    }
}

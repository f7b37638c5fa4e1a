import BankStatements
import Foundation
import JobSettings
import Reconciliation

/// Reads the run's statement files (the effect) and hands their bytes to the pure readers.
enum BankLoading {
    /// The statements of `settings`, read now, in the order of its files. A file that cannot
    /// be read is a `BANK_ENTRY_UNREADABLE` naming it as a whole (`FILE#0`); the run goes on.
    static func input(_ settings: BankSettings, read: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) -> BankInput {
        let files = settings.files.map { path in
            guard let data = read(path) else {
                return BankStatementFile(file: path, format: nil, statements: [], unreadable: [
                    BankUnreadable(file: path, position: 0, reason: "the file cannot be read (missing, a folder, or not readable by the job's user)"),
                ])
            }
            return BankStatementReader.read([UInt8](data), file: path, csvMapping: settings.csvMapping)
        }
        return BankInput(statements: BankStatementSet.combine(files), settlementDays: settings.settlementDays,
                         providerNames: settings.providerNames)
    }
}

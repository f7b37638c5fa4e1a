import BankStatements
import Foundation
import JobSettings
import Reconciliation
import Snapshots
import Synchronization

/// Reads the run's statement files (the effect) and hands their bytes to the pure readers.
enum BankLoading {
    /// The statements of `settings`, read now, in the order of its files, each under its name
    /// (`settings.names`). A file that cannot be read is a `BANK_ENTRY_UNREADABLE` naming it as
    /// a whole (`FILE#0`); the run goes on. `log` (a recorded run) keeps the bytes as read.
    static func input(_ settings: BankSettings, log: BankFileLog? = nil,
                      read: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) -> BankInput {
        let files = zip(settings.files, settings.names).enumerated().map { offset, pair in
            let (path, name) = pair
            let data = settings.recordedContents.map { contents in
                contents.indices.contains(offset) ? contents[offset].map { Data($0) } : nil
            } ?? read(path)
            log?.add(name: name, bytes: data.map { [UInt8]($0) })
            guard let data else {
                return BankStatementFile(file: name, format: nil, statements: [], unreadable: [
                    BankUnreadable(file: name, position: 0, reason: "the file cannot be read (missing, a folder, or not readable by the job's user)"),
                ])
            }
            return BankStatementReader.read([UInt8](data), file: name, csvMapping: settings.csvMapping)
        }
        return BankInput(statements: BankStatementSet.combine(files), settlementDays: settings.settlementDays,
                         providerNames: settings.providerNames)
    }
}

/// The statement files a recorded run read, as it read them, for its snapshot.
public final class BankFileLog: Sendable {
    private let files = Mutex<[RecordedBankFile]>([])

    func add(name: String, bytes: [UInt8]?) {
        files.withLock { $0.append(RecordedBankFile(name: name, bytes: bytes)) }
    }

    var recorded: [RecordedBankFile] { files.withLock { $0 } }
}

/// The statements of a run, read from several files that may overlap, with every entry counted once.
public struct BankStatementSet: Sendable, Hashable {
    /// Every statement of every file, in the order of the files.
    public var statements: [BankStatement]
    /// The entries after deduplication, in the order of the files and then of their positions.
    public var entries: [BankEntry]
    public var unreadable: [BankUnreadable]

    public init(statements: [BankStatement], entries: [BankEntry], unreadable: [BankUnreadable]) {
        self.statements = statements
        self.entries = entries
        self.unreadable = unreadable
    }

    /// Combines files read in the given order.
    ///
    /// - An entry with a bank reference counts once however many files carry it (the first one read
    ///   is kept). The account is not part of the key: one account's statements in two formats
    ///   name the account differently (an IBAN, a bank code and number).
    /// - An entry without one is identified by date, direction, amount, currency and text; a file
    ///   may rightly hold two identical ones (two equal card payments on one day), so each such
    ///   key counts as many times as the file that holds it most often: the files' counts are
    ///   combined by maximum, not sum. The occurrences kept are the first file's, then the extra
    ///   ones of any file that has more.
    public static func combine(_ files: [BankStatementFile]) -> BankStatementSet {
        var seenReferences: Set<String> = []
        var keptByContent: [ContentKey: Int] = [:]
        var entries: [BankEntry] = []
        for file in files {
            var inThisFile: [ContentKey: Int] = [:]
            for entry in file.entries {
                if let reference = entry.bankReference {
                    if seenReferences.insert(reference).inserted { entries.append(entry) }
                    continue
                }
                let key = ContentKey(entry)
                let n = inThisFile[key, default: 0] + 1
                inThisFile[key] = n
                if n > keptByContent[key, default: 0] {
                    keptByContent[key] = n
                    entries.append(entry)
                }
            }
        }
        return BankStatementSet(statements: files.flatMap(\.statements), entries: entries,
                                unreadable: files.flatMap(\.unreadable))
    }

    struct ContentKey: Hashable {
        var date: BankDate
        var direction: BankDirection
        var minor: Int64
        var currency: String
        var text: [String]

        init(_ e: BankEntry) {
            date = e.bookingDate
            direction = e.direction
            minor = e.amount.minorUnits
            currency = e.amount.currency.code
            text = e.descriptiveTexts
        }
    }
}

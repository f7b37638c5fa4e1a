import BankStatements
import Foundation
import Reconciliation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bank statements of one run (docs/bank.md): the files to read, resolved from the flags'
/// and job file's paths and globs, and how to match them. The files are read by the pipeline
/// after fetching; here they are only found.
public struct BankSettings: Sendable, Equatable {
    /// Every statement file, in the order given (a glob's matches sorted), each once.
    public var files: [String]
    /// What the reports call each file, in the order of `files` (`BankStatementNames`); a
    /// replay reads the snapshot's copies under the recorded names.
    public var names: [String]
    public var settlementDays: Int
    public var providerNames: [String]
    /// Needed only for CSV exports.
    public var csvMapping: CSVMapping?
    /// A replay: each file's bytes as the recorded run read them (nil: it could not), in the
    /// order of `names`; `files` is then not read. nil: read `files` from disk.
    public var recordedContents: [[UInt8]?]? = nil

    /// What `bank_settlement_days` accepts: the matcher adds business days one at a time.
    public static let settlementDaysRange = 0...30

    public init(files: [String], names: [String]? = nil, settlementDays: Int = BankMatchingInput.defaultSettlementDays,
                providerNames: [String] = BankMatchingInput.defaultProviderNames, csvMapping: CSVMapping? = nil) {
        self.files = files
        self.names = names ?? BankStatementNames.names(for: files)
        self.settlementDays = settlementDays
        self.providerNames = providerNames
        self.csvMapping = csvMapping
    }
}

/// Expands a path or glob (`*`, `?`, `[…]`) into the existing files it names, sorted; a plain
/// path gives itself when it exists, nothing when not. The disk in the job, a list in tests.
public struct FileGlob: Sendable {
    let expand: @Sendable (String) -> [String]

    public init(_ expand: @escaping @Sendable (String) -> [String]) { self.expand = expand }

    public func callAsFunction(_ pattern: String) -> [String] { expand(pattern) }

    public static let disk = FileGlob { pattern in
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }
}

extension SettingsResolver {
    /// The bank settings of one run, nil without statements. `--bank-statement` replaces the
    /// job file's list, an account's `bank_statements` the job's; likewise `bank_csv`. A path or
    /// glob that names no file is a configuration error (exit 78), like the other input files
    /// the settings name; an out-of-range `bank_settlement_days` is a usage error (exit 64),
    /// like the other bounded numbers.
    static func bank(_ flags: RunFlags, job: JobFile, account: Account?, sources: SettingsSources) throws(SettingsError) -> BankSettings? {
        let days = job.bankSettlementDays ?? BankMatchingInput.defaultSettlementDays
        guard BankSettings.settlementDaysRange.contains(days) else {
            throw SettingsError(.usage, "bank_settlement_days \(days) must be between 0 and 30 (business days a payout may take to reach the bank)")
        }
        let names = job.bankProviderNames ?? BankMatchingInput.defaultProviderNames
        guard !names.isEmpty, names.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw SettingsError(.configuration, "bank_provider_names must list at least one non-empty name (default [\"Alternative Payments\"])")
        }
        let patterns: [String]
        let what: String
        if !flags.bankStatements.isEmpty {
            (patterns, what) = (flags.bankStatements, "--bank-statement")
        } else if let own = account?.bankStatements {
            (patterns, what) = (own, "account \(account?.name ?? ""): bank_statements")
        } else {
            (patterns, what) = (job.bankStatements ?? [], "bank_statements")
        }
        var mapping: CSVMapping?
        if let raw = account?.bankCSV ?? job.bankCSV {
            let where_ = account?.bankCSV != nil ? "account \(account?.name ?? ""): bank_csv" : "bank_csv"
            do {
                mapping = try JSONDecoder().decode(CSVMapping.self, from: raw)
            } catch {
                throw SettingsError(.configuration, "\(where_) is not a CSV column mapping: it needs date and amount (or debit and credit) column names, and currency or fixed_currency (docs/bank.md § The CSV mapping)")
            }
            if let problem = mapping?.problem { throw SettingsError(.configuration, "\(where_): \(problem)") }
        }
        guard !patterns.isEmpty else { return nil }
        var files: [String] = []
        for pattern in patterns {
            guard !pattern.isEmpty else { throw SettingsError(.configuration, "\(what): an empty path") }
            let matches = sources.glob(pattern)
            guard !matches.isEmpty else {
                let kind = pattern.contains(where: { "*?[".contains($0) }) ? "the glob \(pattern) matches no file" : "the statement file \(pattern) does not exist"
                throw SettingsError(.configuration, "\(what): \(kind) (paths are relative to the working directory, like the job file's other paths)")
            }
            files += matches
        }
        // A file named twice (also as `./a.xml` beside `a.xml`) is read once.
        var seen = Set<String>()
        files = files.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
        return BankSettings(files: files, settlementDays: days, providerNames: names, csvMapping: mapping)
    }
}

import APModels
import BankStatements
import Foundation
import JobSettings
import Reconciliation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The bank statements' flag and job keys (docs/bank.md § Running with statements): precedence,
/// globs, defaults, bounds and the errors that name what is wrong.
@Suite struct BankSettingsTests {
    static let now = Timestamp.parse("2026-11-23T03:15:42Z")!
    static let credentials = ["AP_CLIENT_ID": "env_id", "AP_CLIENT_SECRET": "env_secret"]
    static let existing = ["/bank/a.xml", "/bank/b.xml", "/bank/day/1.sta", "/bank/export.csv", "/acme/s.bai"]

    /// `files` are readable; `existing` is what the fake glob finds (fnmatch over the list, sorted).
    func sources(files: [String: String] = [:]) -> SettingsSources {
        let bytes = files.mapValues { Data($0.utf8) }
        let existing = Self.existing
        return SettingsSources(environment: Self.credentials, now: Self.now, readFile: FileReader { bytes[$0] },
                               glob: FileGlob { pattern in existing.filter { fnmatch(pattern, $0, FNM_PATHNAME) == 0 }.sorted() })
    }

    func flags(_ edit: (inout RunFlags) -> Void = { _ in }) -> RunFlags {
        var flags = RunFlags()
        flags.baseURL = "https://flag.example"
        flags.out = "/out/flag"
        edit(&flags)
        return flags
    }

    func bank(_ flags: RunFlags, job: String? = nil) throws -> BankSettings? {
        var flags = flags
        var files: [String: String] = [:]
        if let job {
            flags.config = "/job.json"
            files["/job.json"] = job
        }
        let settings = try SettingsResolver.resolve(flags, sources: sources(files: files))
        try #require(settings.plan.count == 1)
        return settings.plan[0].request.bank
    }

    func failure(_ flags: RunFlags, job: String) -> SettingsError? {
        var flags = flags
        flags.config = "/job.json"
        do {
            _ = try SettingsResolver.resolve(flags, sources: sources(files: ["/job.json": job]))
            return nil
        } catch {
            return error
        }
    }

    @Test func withoutStatementsThereIsNoBank() throws {
        #expect(try bank(flags()) == nil)
        #expect(try bank(flags(), job: #"{"bank_settlement_days": 5, "bank_provider_names": ["AP"]}"#) == nil)
    }

    @Test func theFlagGivesFilesWithTheDefaults() throws {
        let settings = try #require(try bank(flags { $0.bankStatements = ["/bank/b.xml", "/bank/a.xml"] }))
        #expect(settings == BankSettings(files: ["/bank/b.xml", "/bank/a.xml"], settlementDays: 3,
                                         providerNames: ["Alternative Payments"], csvMapping: nil))
    }

    @Test func globsExpandSortedAndAFileNamedTwiceCountsOnce() throws {
        let settings = try #require(try bank(flags { $0.bankStatements = ["/bank/b.xml", "/bank/*.xml", "/bank/day/*"] }))
        #expect(settings.files == ["/bank/b.xml", "/bank/a.xml", "/bank/day/1.sta"])
    }

    @Test func theFlagReplacesTheJobFilesList() throws {
        let job = #"{"bank_statements": ["/bank/a.xml"], "bank_settlement_days": 0, "bank_provider_names": ["ALT PAY", "Alternative Payments Inc"]}"#
        let fromJob = try #require(try bank(flags(), job: job))
        #expect(fromJob == BankSettings(files: ["/bank/a.xml"], settlementDays: 0, providerNames: ["ALT PAY", "Alternative Payments Inc"]))
        let fromFlag = try #require(try bank(flags { $0.bankStatements = ["/bank/b.xml"] }, job: job))
        #expect(fromFlag == BankSettings(files: ["/bank/b.xml"], settlementDays: 0, providerNames: ["ALT PAY", "Alternative Payments Inc"]))
    }

    @Test func anAccountsOwnStatementsAndMappingReplaceTheJobs() throws {
        let job = #"""
        {"base_url": "https://job.example", "bank_statements": ["/bank/*.xml"], "bank_settlement_days": 30,
         "bank_csv": {"date": "Date", "amount": "Amount", "fixed_currency": "EUR"},
         "accounts": [
           {"name": "acme", "out": "/out/acme", "client_id_env": "A_ID", "client_secret_env": "A_SECRET",
            "bank_statements": ["/acme/s.bai"], "bank_csv": {"date": "Booked", "debit": "Out", "credit": "In", "currency": "Ccy", "date_format": "dd/MM/yyyy"}},
           {"name": "globex", "out": "/out/globex", "client_id_env": "G_ID", "client_secret_env": "G_SECRET"}]}
        """#
        var environment = Self.credentials
        for key in ["A_ID", "A_SECRET", "G_ID", "G_SECRET"] { environment[key] = "x" }
        var flags = RunFlags()
        flags.config = "/job.json"
        var sources = sources(files: ["/job.json": job])
        sources.environment = environment
        let plan = try SettingsResolver.resolve(flags, sources: sources).plan
        #expect(plan.map { $0.request.bank?.files } == [["/acme/s.bai"], ["/bank/a.xml", "/bank/b.xml"]])
        #expect(plan.map { $0.request.bank?.settlementDays } == [30, 30])
        #expect(plan[0].request.bank?.csvMapping == CSVMapping(date: "Booked", debit: "Out", credit: "In", currency: "Ccy", dateFormat: "dd/MM/yyyy"))
        #expect(plan[1].request.bank?.csvMapping == CSVMapping(date: "Date", amount: "Amount", fixedCurrency: "EUR"))
    }

    @Test func aPathOrGlobThatNamesNoFileIsAConfigurationError() {
        let missing = failure(flags { $0.bankStatements = ["/bank/a.xml", "/bank/missing.xml"] }, job: "{}")
        #expect(missing?.status == .configuration)
        #expect(missing?.message == "--bank-statement: the statement file /bank/missing.xml does not exist (paths are relative to the working directory, like the job file's other paths)")
        let empty = failure(flags(), job: #"{"bank_statements": ["/bank/*.mt940"]}"#)
        #expect(empty?.status == .configuration)
        #expect(empty?.message == "bank_statements: the glob /bank/*.mt940 matches no file (paths are relative to the working directory, like the job file's other paths)")
    }

    @Test func settlementDaysAreBounded() throws {
        #expect(try bank(flags { $0.bankStatements = ["/bank/a.xml"] }, job: #"{"bank_settlement_days": 30}"#)?.settlementDays == 30)
        for days in [-1, 31, 1_000_000_000] {
            let error = failure(flags { $0.bankStatements = ["/bank/a.xml"] }, job: #"{"bank_settlement_days": \#(days)}"#)
            #expect(error?.status == .usage)
            #expect(error?.message == "bank_settlement_days \(days) must be between 0 and 30 (business days a payout may take to reach the bank)")
        }
    }

    @Test func aRunWithStatementsCanBeRecorded() throws {
        let settings = try #require(try bank(flags { $0.bankStatements = ["/bank/a.xml"]; $0.record = true }, job: "{}"))
        #expect(settings.names == ["a.xml"])
    }

    @Test func providerNamesMustBeNonEmpty() {
        for names in ["[]", #"["AP", " "]"#] {
            let error = failure(flags(), job: #"{"bank_provider_names": \#(names)}"#)
            #expect(error?.status == .configuration)
            #expect(error?.message == #"bank_provider_names must list at least one non-empty name (default ["Alternative Payments"])"#)
        }
    }

    @Test func aBadCSVMappingNamesWhatIsMissing() {
        let noCurrency = failure(flags(), job: #"{"bank_csv": {"date": "D", "amount": "A"}}"#)
        #expect(noCurrency?.status == .configuration)
        #expect(noCurrency?.message == "bank_csv: the CSV mapping needs a currency column or a fixed_currency")
        let notAMapping = failure(flags(), job: #"{"bank_csv": {"amount": "A"}}"#)
        #expect(notAMapping?.status == .configuration)
        #expect(notAMapping?.message == "bank_csv is not a CSV column mapping: it needs date and amount (or debit and credit) column names, and currency or fixed_currency (docs/bank.md § The CSV mapping)")
        let notAnObject = failure(flags(), job: #"{"bank_csv": "mapping.json"}"#)
        #expect(notAnObject?.status == .configuration)
        #expect(notAnObject?.message == "job file /job.json: bank_csv must be a JSON object (the CSV column mapping, docs/bank.md)")
    }

    @Test func wrongTypesAndUnknownAccountKeysAreRefused() {
        let wrongType = failure(flags(), job: #"{"bank_statements": "/bank/a.xml"}"#)
        #expect(wrongType?.status == .configuration)
        #expect(wrongType?.message.hasPrefix("job file /job.json: setting bank_statements has the wrong type") == true)
    }

    @Test func theDiskGlobFindsFilesAndNotFolders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bank-glob-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/sub.xml", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["b.xml", "a.xml", "c.txt"] {
            #expect(FileManager.default.createFile(atPath: "\(folder)/\(name)", contents: Data()))
        }
        #expect(FileGlob.disk("\(folder)/*.xml") == ["\(folder)/a.xml", "\(folder)/b.xml"])
        #expect(FileGlob.disk("\(folder)/c.txt") == ["\(folder)/c.txt"])
        #expect(FileGlob.disk("\(folder)/none.txt") == [])
    }
}

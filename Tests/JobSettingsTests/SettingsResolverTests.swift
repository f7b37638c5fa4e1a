import APModels
import Foundation
import JobSettings
import Reconciliation
import Testing

/// `SettingsResolver` without a process or a disk: files are a dictionary, the clock a value.
/// One test per precedence rule of its doc comment.
@Suite struct SettingsResolverTests {
    static let now = Timestamp.parse("2026-11-23T03:15:42Z")!
    static let credentials = ["AP_CLIENT_ID": "env_id", "AP_CLIENT_SECRET": "env_secret"]

    func sources(_ environment: [String: String] = credentials, files: [String: String] = [:]) -> SettingsSources {
        let bytes = files.mapValues { Data($0.utf8) }
        return SettingsSources(environment: environment, now: Self.now, readFile: FileReader { bytes[$0] })
    }

    func flags(_ edit: (inout RunFlags) -> Void = { _ in }) -> RunFlags {
        var flags = RunFlags()
        flags.baseURL = "https://flag.example"
        flags.out = "/out/flag"
        edit(&flags)
        return flags
    }

    func only(_ settings: InvocationSettings) throws -> RunRequest {
        try #require(settings.plan.count == 1)
        return settings.plan[0].request
    }

    func error(_ body: () throws(SettingsError) -> InvocationSettings) -> SettingsError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    // MARK: flag > job file > environment > default

    @Test func aFlagWinsOverTheJobFileWhichWinsOverTheEnvironment() throws {
        let job = #"{"base_url": "https://job.example", "out": "/out/job", "fail_on": "never", "concurrency": 4}"#
        var environment = Self.credentials
        environment["AP_BASE_URL"] = "https://env.example"
        let files = ["/job.json": job]

        let fromFlags = try only(try SettingsResolver.resolve(flags { $0.config = "/job.json"; $0.failOn = .warning; $0.concurrency = 2 },
                                                              sources: sources(environment, files: files)))
        #expect(fromFlags.baseURL == "https://flag.example")
        #expect(fromFlags.outputDirectory == "/out/flag")
        #expect(fromFlags.failOn == .warning)
        #expect(fromFlags.concurrency == 2)

        var noFlags = RunFlags()
        noFlags.config = "/job.json"
        let fromJob = try only(try SettingsResolver.resolve(noFlags, sources: sources(environment, files: files)))
        #expect(fromJob.baseURL == "https://job.example")
        #expect(fromJob.outputDirectory == "/out/job")
        #expect(fromJob.failOn == .never)
        #expect(fromJob.concurrency == 4)

        var onlyOut = RunFlags()
        onlyOut.out = "/o"
        let fromEnvironment = try only(try SettingsResolver.resolve(onlyOut, sources: sources(environment)))
        #expect(fromEnvironment.baseURL == "https://env.example")
    }

    @Test func defaults() throws {
        let request = try only(try SettingsResolver.resolve(flags(), sources: sources()))
        #expect(request.failOn == .error)
        #expect(request.concurrency == RunRequest.defaultConcurrency)
        #expect(request.retryPolicy.maxAttempts == 6)
        #expect(request.retryPolicy.budget == .seconds(120))
        #expect(request.window.since.rfc3339 == "2026-11-22T00:00:00Z")
        #expect(request.window.until.rfc3339 == "2026-11-23T00:00:00Z")
        #expect(request.asOf == Self.now)
        #expect(request.state == nil)
        #expect(request.snapshot == .off)
        #expect(request.expectedPaymentRequestIDs.isEmpty)
    }

    @Test func asOfFixesTheClockAndTheDefaultWindow() throws {
        let request = try only(try SettingsResolver.resolve(flags { $0.asOf = "2026-11-08T06:00:00Z" }, sources: sources()))
        #expect(request.asOf.rfc3339 == "2026-11-08T06:00:00Z")
        #expect(request.window.since.rfc3339 == "2026-11-07T00:00:00Z")
        #expect(request.window.until.rfc3339 == "2026-11-08T00:00:00Z")
    }

    @Test func retrySettingsFromFlagsThenJobFile() throws {
        let files = ["/j.json": #"{"max_attempts": 3, "retry_budget_seconds": 30}"#]
        let fromJob = try only(try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(files: files)))
        #expect(fromJob.retryPolicy.maxAttempts == 3)
        #expect(fromJob.retryPolicy.budget == .seconds(30))
        let fromFlags = try only(try SettingsResolver.resolve(flags { $0.config = "/j.json"; $0.maxAttempts = 9; $0.retryBudget = 0 },
                                                              sources: sources(files: files)))
        #expect(fromFlags.retryPolicy.maxAttempts == 9)
        #expect(fromFlags.retryPolicy.budget == .seconds(0))
    }

    // MARK: credentials: the environment wins over a credentials file; never flags or the job file

    @Test func environmentCredentialsWinOverTheJobFilesCredentialsFile() throws {
        let files = ["/j.json": #"{"credentials_file": "/creds.json"}"#,
                     "/creds.json": #"{"client_id": "file_id", "client_secret": "file_secret"}"#]
        let request = try only(try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(files: files)))
        #expect(request.credentials.clientID == "env_id")
        #expect(request.credentials.clientSecret == "env_secret")

        let fromFile = try only(try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources([:], files: files)))
        #expect(fromFile.credentials.clientID == "file_id")
        #expect(fromFile.credentials.clientSecret == "file_secret")
    }

    @Test func theJobFilesCredentialsFileWinsOverAPCredentialsFile() throws {
        let files = ["/j.json": #"{"credentials_file": "/job-creds.json"}"#,
                     "/job-creds.json": #"{"client_id": "job_id", "client_secret": "job_secret"}"#,
                     "/env-creds.json": #"{"client_id": "envfile_id", "client_secret": "envfile_secret"}"#]
        let environment = ["AP_CREDENTIALS_FILE": "/env-creds.json"]
        let request = try only(try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(environment, files: files)))
        #expect(request.credentials.clientID == "job_id")
        let without = try only(try SettingsResolver.resolve(flags(), sources: sources(environment, files: files)))
        #expect(without.credentials.clientID == "envfile_id")
    }

    @Test func aSecretFileFillsInForAMissingSecretVariable() throws {
        let environment = ["AP_CLIENT_ID": "id", "AP_CLIENT_SECRET_FILE": "/secret"]
        let request = try only(try SettingsResolver.resolve(flags(), sources: sources(environment, files: ["/secret": "s3cr3t\n"])))
        #expect(request.credentials.clientSecret == "s3cr3t")
    }

    @Test func noCredentialsIsAConfigurationError() {
        let failure = error { () throws(SettingsError) in try SettingsResolver.resolve(flags(), sources: sources([:])) }
        #expect(failure?.status == .configuration)
        #expect(failure?.message == "no API credentials: set AP_CLIENT_ID and AP_CLIENT_SECRET (or AP_CLIENT_SECRET_FILE, or credentials_file in the job file)")
    }

    // MARK: accounts: the account's own key before the job-wide one

    static let accountsJob = #"""
    {"base_url": "https://job.example", "state": "/state", "notify_url": "https://hooks.example/job",
     "accounts": [
       {"name": "acme", "out": "/out/acme", "client_id_env": "ACME_ID", "client_secret_env": "ACME_SECRET"},
       {"name": "globex", "out": "/out/globex", "state": "/state-globex", "client_id_env": "GLOBEX_ID",
        "client_secret_env": "GLOBEX_SECRET", "notify_url": "https://hooks.example/globex", "notify_required": true}
     ]}
    """#

    var accountsEnvironment: [String: String] {
        ["ACME_ID": "a", "ACME_SECRET": "as", "GLOBEX_ID": "g", "GLOBEX_SECRET": "gs",
         "AP_CLIENT_ID": "shared", "AP_CLIENT_SECRET": "shared", "AP_RECON_WEBHOOK_SECRET": "whsec"]
    }

    @Test func eachAccountGetsItsOwnSettingsAndOnlyItsOwnCredentials() throws {
        var flags = RunFlags()
        flags.config = "/j.json"
        let settings = try SettingsResolver.resolve(flags, sources: sources(accountsEnvironment, files: ["/j.json": Self.accountsJob]))
        #expect(settings.plan.map { $0.account?.name } == ["acme", "globex"])
        let acme = settings.plan[0], globex = settings.plan[1]
        #expect(acme.request.outputDirectory == "/out/acme")
        #expect(acme.request.credentials.clientID == "a")
        #expect(acme.request.state?.directory == "/state/acme")
        #expect(acme.notify == NotifySettings(url: "https://hooks.example/job", required: false))
        #expect(globex.request.credentials.clientID == "g")
        #expect(globex.request.state?.directory == "/state-globex")
        #expect(globex.notify == NotifySettings(url: "https://hooks.example/globex", required: true))
        #expect(settings.webhookSecret == "whsec")
    }

    @Test func acknowledgementsFromFlagThenAccountThenJobFile() throws {
        let entry = #"{"fingerprint": "PAYOUT_FAILED|po_1|||", "reason": "r", "by": "b", "at": "2026-11-01T00:00:00Z"}"#
        let files = [
            "/j.json": #"{"base_url": "https://job.example", "acknowledgements": "/job-acks.json", "accounts": [{"name": "acme", "out": "/out/acme", "client_id_env": "ACME_ID", "client_secret_env": "ACME_SECRET", "acknowledgements": "/acme-acks.json"}, {"name": "globex", "out": "/out/globex", "client_id_env": "GLOBEX_ID", "client_secret_env": "GLOBEX_SECRET"}]}"#,
            "/job-acks.json": #"{"acknowledgements": [\#(entry)]}"#,
            "/acme-acks.json": #"{"acknowledgements": []}"#,
            "/flag-acks.json": #"{"acknowledgements": [\#(entry), {"fingerprint": "PAYOUT_EMPTY|po_2|||", "reason": "r", "by": "b", "at": "2026-11-01T00:00:00Z"}]}"#,
        ]
        var flags = RunFlags()
        flags.config = "/j.json"
        let settings = try SettingsResolver.resolve(flags, sources: sources(accountsEnvironment, files: files))
        #expect(settings.plan.map { $0.request.acknowledgements?.path } == ["/acme-acks.json", "/job-acks.json"])
        #expect(settings.plan.map { $0.request.acknowledgements?.acknowledgements.entries.count } == [0, 1])
        #expect(settings.plan[1].request.acknowledgements?.bytes == Array(files["/job-acks.json"]!.utf8))
        flags.acknowledgements = "/flag-acks.json"
        let fromFlag = try SettingsResolver.resolve(flags, sources: sources(accountsEnvironment, files: files))
        #expect(fromFlag.plan.map { $0.request.acknowledgements?.acknowledgements.entries.count } == [2, 2])
        // An unreadable or malformed file is a configuration error naming it.
        flags.acknowledgements = "/missing.json"
        let missing = error { () throws(SettingsError) in try SettingsResolver.resolve(flags, sources: sources(accountsEnvironment, files: files)) }
        #expect(missing?.status == .configuration)
        #expect(missing?.message == "cannot read acknowledgements file /missing.json; check --acknowledgements (job key acknowledgements)")
    }

    @Test func outWithSeveralAccountsIsAUsageError() {
        let failure = error { () throws(SettingsError) in
            try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(accountsEnvironment, files: ["/j.json": Self.accountsJob]))
        }
        #expect(failure?.status == .usage)
    }

    @Test func pickingOneAccountLetsOutOverrideItsFolder() throws {
        let settings = try SettingsResolver.resolve(flags { $0.config = "/j.json"; $0.account = "globex" },
                                                    sources: sources(accountsEnvironment, files: ["/j.json": Self.accountsJob]))
        #expect(settings.plan.map { $0.account?.name } == ["globex"])
        #expect(settings.plan[0].request.outputDirectory == "/out/flag")
        #expect(settings.plan[0].request.baseURL == "https://flag.example")
    }

    // MARK: operations settings

    @Test func notifyNeedsTheSecretAndTheFlagWins() throws {
        var environment = Self.credentials
        let missing = error { () throws(SettingsError) in
            try SettingsResolver.resolve(flags { $0.notify = "https://hooks.example/x" }, sources: sources(environment))
        }
        #expect(missing?.status == .configuration)
        #expect(missing?.message.hasPrefix("--notify / notify_url needs the signing secret in AP_RECON_WEBHOOK_SECRET") == true)

        environment["AP_RECON_WEBHOOK_SECRET_FILE"] = "/wh"
        let files = ["/wh": "from-file\n", "/j.json": #"{"notify_url": "https://hooks.example/job", "notify_required": true}"#]
        let settings = try SettingsResolver.resolve(flags { $0.config = "/j.json"; $0.notify = "https://hooks.example/flag" },
                                                    sources: sources(environment, files: files))
        #expect(settings.plan[0].notify == NotifySettings(url: "https://hooks.example/flag", required: true))
        #expect(settings.webhookSecret == "from-file")
    }

    /// The webhook URL without a flag: the job file's `notify_url_file` (an account's before the
    /// job's), else `AP_RECON_NOTIFY_URL`, else the file `AP_RECON_NOTIFY_URL_FILE` names.
    /// Flag > job file > environment, as for every setting.
    @Test func notifyURLFromAFileOrTheEnvironment() throws {
        var environment = Self.credentials
        environment["AP_RECON_WEBHOOK_SECRET"] = "s"
        let urlFiles = ["/url-env": "https://hooks.example/env-file?token=t1\n", "/url-job": "  https://hooks.example/job-file?token=t2\n\n",
                        "/url-acme": "https://hooks.example/acme-file\n"]
        func notify(_ env: [String: String], job: String? = nil, edit: (inout RunFlags) -> Void = { _ in }) throws -> [NotifySettings?] {
            var files = urlFiles
            if let job { files["/j.json"] = job }
            return try SettingsResolver.resolve(flags { if job != nil { $0.config = "/j.json" }; edit(&$0) },
                                                sources: sources(env, files: files)).plan.map(\.notify)
        }
        var withFile = environment
        withFile["AP_RECON_NOTIFY_URL_FILE"] = "/url-env"
        #expect(try notify(withFile) == [NotifySettings(url: "https://hooks.example/env-file?token=t1")])
        var withBoth = withFile
        withBoth["AP_RECON_NOTIFY_URL"] = "https://hooks.example/env"
        #expect(try notify(withBoth) == [NotifySettings(url: "https://hooks.example/env")])
        // The job file wins over the environment, and its file is read and trimmed.
        #expect(try notify(withBoth, job: #"{"notify_url_file": "/url-job"}"#) == [NotifySettings(url: "https://hooks.example/job-file?token=t2")])
        // The flag wins over both.
        #expect(try notify(withBoth, job: #"{"notify_url_file": "/url-job"}"#, edit: { $0.notify = "https://hooks.example/flag" })
                == [NotifySettings(url: "https://hooks.example/flag")])
        // An account's own file before the job-wide URL.
        let accounts = #"{"notify_url": "https://hooks.example/job", "accounts": [{"name": "acme", "out": "/o/a", "notify_url_file": "/url-acme", "client_id_env": "AP_CLIENT_ID", "client_secret_env": "AP_CLIENT_SECRET"}, {"name": "globex", "out": "/o/g", "client_id_env": "AP_CLIENT_ID", "client_secret_env": "AP_CLIENT_SECRET"}]}"#
        #expect(try notify(environment, job: accounts, edit: { $0.out = nil })
                == [NotifySettings(url: "https://hooks.example/acme-file"), NotifySettings(url: "https://hooks.example/job")])
        // Without any, no notification and no secret needed.
        #expect(try notify(Self.credentials) == [nil])
    }

    @Test func notifyURLFileProblemsAreConfigurationErrorsThatNeverEchoTheURL() {
        var environment = Self.credentials
        environment["AP_RECON_WEBHOOK_SECRET"] = "s"
        func failure(_ env: [String: String], files: [String: String]) -> SettingsError? {
            error { () throws(SettingsError) in
                try SettingsResolver.resolve(flags { if files["/j.json"] != nil { $0.config = "/j.json" } }, sources: sources(env, files: files))
            }
        }
        var missing = environment
        missing["AP_RECON_NOTIFY_URL_FILE"] = "/nope"
        #expect(failure(missing, files: [:])?.message == "cannot read AP_RECON_NOTIFY_URL_FILE /nope")
        #expect(failure(missing, files: ["/nope": " \n"])?.message == "AP_RECON_NOTIFY_URL_FILE /nope is empty")
        let bad = failure(missing, files: ["/nope": "ftp://hooks.example/secret-token\n"])
        #expect(bad?.status == .configuration)
        #expect(bad?.message == #"AP_RECON_NOTIFY_URL_FILE /nope must be an absolute http or https URL (got "ftp://hooks.example/…")"#)
        let both = failure(environment, files: ["/j.json": #"{"notify_url": "https://a.example", "notify_url_file": "/u"}"#])
        #expect(both?.status == .configuration)
        #expect(both?.message == "notify_url and notify_url_file are both set; keep one")
    }

    @Test func noNotificationNeedsNoSecret() throws {
        let settings = try SettingsResolver.resolve(flags(), sources: sources())
        #expect(settings.webhookSecret == nil)
        #expect(settings.plan[0].notify == nil)
    }

    @Test func logFormatAndMetricsFileFromFlagThenJobFile() throws {
        let files = ["/j.json": #"{"log_format": "json", "metrics_file": "/m/job.prom"}"#]
        let fromJob = try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(files: files))
        #expect(fromJob.logFormat == .json)
        #expect(fromJob.metricsFile == "/m/job.prom")
        let fromFlags = try SettingsResolver.resolve(flags { $0.config = "/j.json"; $0.logFormat = .text; $0.metricsFile = "/m/f.prom" },
                                                     sources: sources(files: files))
        #expect(fromFlags.logFormat == .text)
        #expect(fromFlags.metricsFile == "/m/f.prom")

        let bad = ["/j.json": #"{"log_format": "xml"}"#]
        let failure = error { () throws(SettingsError) in try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(files: bad)) }
        #expect(failure?.status == .configuration)
        #expect(failure?.message == "log_format \"xml\" must be text or json")
        #expect(SettingsResolver.logFormat(forErrorsOf: flags { $0.config = "/j.json" }, sources: sources(files: files)) == .json)
        #expect(SettingsResolver.logFormat(forErrorsOf: flags { $0.config = "/missing.json" }, sources: sources()) == .text)
    }

    @Test func metricsPushFromFlagThenJobFileAndPlainHTTPIsAllowed() throws {
        let files = ["/j.json": #"{"metrics_push_url": "http://pushgateway.monitoring:9091"}"#]
        #expect(try SettingsResolver.resolve(flags(), sources: sources()).metricsPush == nil)
        #expect(try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(files: files)).metricsPush
            == "http://pushgateway.monitoring:9091")
        #expect(try SettingsResolver.resolve(flags { $0.config = "/j.json"; $0.metricsPush = "https://pg.example" },
                                             sources: sources(files: files)).metricsPush == "https://pg.example")
        let failure = error { () throws(SettingsError) in
            try SettingsResolver.resolve(flags { $0.metricsPush = "pushgateway:9091" }, sources: sources())
        }
        #expect(failure?.status == .configuration)
        #expect(failure?.message == "--metrics-push must be the Pushgateway's base URL, absolute http or https without user, query or fragment (e.g. http://pushgateway:9091; got \"<unparseable URL>\")")
    }

    @Test func aDryRunCannotRecord() throws {
        #expect(try SettingsResolver.resolve(flags { $0.dryRun = true }, sources: sources()).dryRun)
        let failure = error { () throws(SettingsError) in
            try SettingsResolver.resolve(flags { $0.dryRun = true; $0.record = true }, sources: sources())
        }
        #expect(failure?.status == .usage)
    }

    // MARK: state and record

    @Test func stateFromFlagThenJobFileAndLookbackNeedsState() throws {
        let files = ["/j.json": #"{"state": "/state-job", "lookback_days": 5, "record": true}"#]
        let request = try only(try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(files: files)))
        #expect(request.state == StateSettings(directory: "/state-job", lookbackDays: 5, explicitSince: false))
        #expect(request.snapshot == .record)
        let flagged = try only(try SettingsResolver.resolve(flags { $0.config = "/j.json"; $0.state = "/s"; $0.lookbackDays = 0; $0.since = "2026-11-01" },
                                                            sources: sources(files: files)))
        #expect(flagged.state == StateSettings(directory: "/s", lookbackDays: 0, explicitSince: true))

        let failure = error { () throws(SettingsError) in try SettingsResolver.resolve(flags { $0.lookbackDays = 2 }, sources: sources()) }
        #expect(failure?.status == .usage)
    }

    // MARK: validation

    @Test(arguments: [
        (#"{"fail_on": "sometimes"}"#, JobSettings.ExitStatus.configuration),
        (#"{"concurrency": 0}"#, JobSettings.ExitStatus.usage),
        (#"{"concurrency": 257}"#, JobSettings.ExitStatus.usage),
        (#"{"max_attempts": 21}"#, JobSettings.ExitStatus.usage),
        (#"{"lookback_days": 400, "state": "/s"}"#, JobSettings.ExitStatus.usage),
        (#"{"notify_url": "ftp://x"}"#, JobSettings.ExitStatus.configuration),
        (#"{"nonsense": 1}"#, JobSettings.ExitStatus.configuration),
        (#"[1]"#, JobSettings.ExitStatus.configuration),
    ])
    func invalidJobFilesAreRefusedWithTheirExitCode(job: String, status: JobSettings.ExitStatus) {
        let failure = error { () throws(SettingsError) in
            try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(files: ["/j.json": job]))
        }
        #expect(failure?.status == status, "\(job)")
    }

    @Test func missingBaseURLOutAndJobFile() {
        var noURL = RunFlags()
        noURL.out = "/o"
        #expect(error { () throws(SettingsError) in try SettingsResolver.resolve(noURL, sources: sources()) }?.status == .configuration)
        #expect(error { () throws(SettingsError) in try SettingsResolver.resolve(flags { $0.out = nil }, sources: sources()) }?.status == .usage)
        let missing = error { () throws(SettingsError) in try SettingsResolver.resolve(flags { $0.config = "/none.json" }, sources: sources()) }
        #expect(missing?.status == .configuration)
        #expect(missing?.message == "cannot read job file /none.json (missing or not readable)")
    }

    @Test func expectedPaymentRequestsFromTheFileTheFlagOrJobNames() throws {
        let files = ["/e.txt": "# expected\npr_1\n\n  pr_2  \n", "/j.json": #"{"expected_payment_requests_file": "/e.txt"}"#]
        let request = try only(try SettingsResolver.resolve(flags { $0.config = "/j.json" }, sources: sources(files: files)))
        #expect(request.expectedPaymentRequestIDs == ["pr_1", "pr_2"])
    }
}

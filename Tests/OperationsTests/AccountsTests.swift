import APClient
import Foundation
import JobSettings
@testable import Operations
import RunPipeline
import Testing

@Suite struct AccountsTests {
    static let job = """
    {"base_url": "https://api.example.com", "notify_url": "https://hooks.example.com/x", "metrics_file": "/m/ap.prom", "log_format": "json",
     "accounts": [
       {"name": "acme", "client_id_env": "ACME_ID", "client_secret_env": "ACME_SECRET", "out": "/r/acme", "state": "/s/acme"},
       {"name": "globex", "credentials_file": "/etc/globex.json", "out": "/r/globex", "notify_required": true}
     ]}
    """

    @Test func jobFileWithAccountsParses() throws {
        let job = try JobFile.parse(Data(Self.job.utf8), path: "job.json")
        #expect(job.accounts == [
            Account(name: "acme", out: "/r/acme", clientIDEnv: "ACME_ID", clientSecretEnv: "ACME_SECRET", state: "/s/acme"),
            Account(name: "globex", out: "/r/globex", credentialsFile: "/etc/globex.json", notifyRequired: true),
        ])
        #expect(job.notifyURL == "https://hooks.example.com/x")
        #expect(job.metricsFile == "/m/ap.prom")
        #expect(job.logFormat == "json")
    }

    @Test(arguments: [
        (#"{"accounts": [{"name": "a", "out": "/r", "client_secret": "x"}]}"#, "job file j: accounts[0] has unknown setting(s) client_secret; known: acknowledgements, bank_csv, bank_statements, client_id_env, client_secret_env, client_secret_file_env, credentials_file, description, name, notify_required, notify_url, notify_url_file, out, state"),
        (#"{"accounts": [{"name": "a b", "out": "/r"}]}"#, "job file j: accounts[0] needs a name of 1-64 letters, digits, '-' or '_'"),
        (#"{"accounts": [{"name": "a", "out": "/r"}, {"name": "a", "out": "/q"}]}"#, "job file j: account name a appears twice"),
        (#"{"accounts": [{"name": "a"}]}"#, "job file j: account a needs out (its own output folder)"),
        (#"{"accounts": {"name": "a"}}"#, "job file j: accounts must be an array of objects"),
    ])
    func badAccountsAreConfigurationErrors(json: String, message: String) {
        let error = #expect(throws: SettingsError.self) { try JobFile.parse(Data(json.utf8), path: "j") }
        #expect(error?.status == .configuration)
        #expect(error?.message == message)
    }

    @Test func credentialsComeOnlyFromTheAccountsOwnVariables() throws {
        let acme = Account(name: "acme", out: "/r", clientIDEnv: "ACME_ID", clientSecretEnv: "ACME_SECRET")
        let env = ["ACME_ID": "id-a", "ACME_SECRET": "sec-a", "AP_CLIENT_ID": "global", "AP_CLIENT_SECRET": "global-secret"]
        let own = try acme.credentials(environment: env)
        #expect(own.clientID == "id-a")
        #expect(own.clientSecret == "sec-a")
        // Missing own variable: refused, even though the job-wide variables are set.
        let error = #expect(throws: SettingsError.self) {
            try acme.credentials(environment: ["ACME_ID": "id-a", "AP_CLIENT_ID": "global", "AP_CLIENT_SECRET": "global-secret"])
        }
        #expect(error?.status == .configuration)
        #expect(error?.message.hasPrefix("account acme: no API credentials from the variables ACME_ID, ACME_SECRET: ") == true)
        #expect(error?.message.contains("global-secret") == false)
    }

    @Test func selection() throws {
        let accounts = [Account(name: "a", out: "/a"), Account(name: "b", out: "/b"), Account(name: "c", out: "/c")]
        #expect(try Account.select(accounts, name: nil, index: nil).map(\.name) == ["a", "b", "c"])
        #expect(try Account.select(accounts, name: "b", index: nil).map(\.name) == ["b"])
        #expect(try Account.select(accounts, name: nil, index: 2).map(\.name) == ["c"])
        #expect(try Account.select([], name: nil, index: nil).isEmpty)
        for (name, index) in [("z", nil), (nil, 3), ("a", 0)] as [(String?, Int?)] {
            let error = #expect(throws: SettingsError.self) { try Account.select(accounts, name: name, index: index) }
            #expect(error?.status == .usage)
        }
        let error = #expect(throws: SettingsError.self) { try Account.select([], name: "a", index: nil) }
        #expect(error?.status == .usage)
    }

    @Test func worstOrder() {
        #expect(ExitStatus.worst([]) == .clean)
        #expect(ExitStatus.worst([.clean, .diagnosticsFound]) == .diagnosticsFound)
        #expect(ExitStatus.worst([.diagnosticsFound, .notificationFailed]) == .notificationFailed)
        #expect(ExitStatus.worst([.temporaryFailure, .unavailable, .clean]) == .unavailable)
        #expect(ExitStatus.worst([.protocolFault, .unavailable]) == .protocolFault)
        #expect(ExitStatus.worst([.permissionDenied, .cannotWrite]) == .permissionDenied)
        #expect(ExitStatus.worst([.permissionDenied, .configuration]) == .configuration)
        #expect(ExitStatus.worst([.usage, .interrupted, .clean]) == .interrupted)
        #expect(ExitStatus.worst([.dataError, .protocolFault]) == .dataError)
        // Every status has its own rank.
        #expect(Set(ExitStatus.allCases.map(\.severityRank)).count == ExitStatus.allCases.count)
    }

    @Test func oneFailingAccountDoesNotStopTheOthers() async {
        let request = RunRequest(baseURL: "http://127.0.0.1:1", credentials: ClientCredentials(clientID: "i", clientSecret: "s"),
                                 window: dayWindow, asOf: Timestamp(epochSeconds: 0), outputDirectory: "/unused")
        let plan = ["bad", "good", "diag"].map { name in
            var r = request
            r.outputDirectory = "/r/" + name
            return PlannedRun(account: Account(name: name, out: "/r/" + name), request: r, notify: nil)
        }
        let seen = StringsBox()
        let finished = await AccountRunner.run(plan, notifier: nil, logger: quietLogger) { request, account in
            seen.append("\(account?.name ?? "-") \(request.outputDirectory)")
            switch account?.name {
            case "bad": return RunOutcome(status: .permissionDenied, headline: "no report written: 401")
            case "diag": return completeOutcome()
            default: return RunOutcome(status: .clean, headline: "reconciled 0 payouts", files: ["report.json"], outputDirectory: request.outputDirectory)
            }
        }
        #expect(seen.all == ["bad /r/bad", "good /r/good", "diag /r/diag"])
        #expect(finished.map(\.outcome.status) == [.permissionDenied, .clean, .diagnosticsFound])
        let summary = AccountRunner.summary(finished)
        #expect(summary.status == .permissionDenied)
        #expect(summary.line == "ap-reconcile: FAILED (exit 77): 3 accounts: bad FAILED (exit 77), good OK (exit 0), diag DIAGNOSTICS (exit 1)")

        let allGood = AccountRunner.summary(Array(finished.dropFirst()))
        #expect(allGood.status == .diagnosticsFound)
        #expect(allGood.line == "ap-reconcile: DIAGNOSTICS (exit 1): 2 accounts: good OK (exit 0), diag DIAGNOSTICS (exit 1)")
    }

    @Test func accountsAreNotifiedEachWithTheirName() async throws {
        let transport = ScriptedWebhookTransport([])
        let notifier = Notifier(transport: transport, secret: "k", logger: quietLogger, sleep: { _ in })
        let request = RunRequest(baseURL: "http://127.0.0.1:1", credentials: ClientCredentials(clientID: "i", clientSecret: "s"),
                                 window: dayWindow, asOf: Timestamp(epochSeconds: 0), outputDirectory: "/r")
        let plan = [PlannedRun(account: Account(name: "a", out: "/a"), request: request, notify: NotifySettings(url: "http://127.0.0.1:9/h")),
                    PlannedRun(account: Account(name: "b", out: "/b"), request: request, notify: nil)]
        _ = await AccountRunner.run(plan, notifier: notifier, logger: quietLogger) { _, _ in failedOutcome() }
        #expect(transport.sent.count == 1)
        let body = try #require(transport.sent.first?.body)
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["account"] as? String == "a")
    }
}

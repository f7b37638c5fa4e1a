import APModels
import Foundation
import JobSettings
import Reconciliation
import Testing

@Suite struct WindowTests {
    let now = Timestamp.parse("2026-11-23T03:15:42Z")!

    @Test func noFlagsMeansThePreviousUTCDay() throws {
        let w = try WindowParser.window(since: nil, until: nil, now: now)
        #expect(w.since.rfc3339 == "2026-11-22T00:00:00Z")
        #expect(w.until.rfc3339 == "2026-11-23T00:00:00Z")
    }

    @Test func datesAreUTCMidnightsAndTheWindowIsHalfOpen() throws {
        let w = try WindowParser.window(since: "2026-11-01", until: "2026-11-08", now: now)
        #expect(w.since.rfc3339 == "2026-11-01T00:00:00Z")
        #expect(w.until.rfc3339 == "2026-11-08T00:00:00Z")
        #expect(w.contains(Timestamp.parse("2026-11-01T00:00:00Z")!))
        #expect(w.contains(Timestamp.parse("2026-11-07T23:59:59.999Z")!))
        #expect(!w.contains(Timestamp.parse("2026-11-08T00:00:00Z")!))
    }

    @Test func offsetsAreConvertedToUTC() throws {
        let w = try WindowParser.window(since: "2026-11-01T02:00:00+02:00", until: "2026-11-02T00:00:00Z", now: now)
        #expect(w.since.rfc3339 == "2026-11-01T00:00:00Z")
    }

    @Test func onlySinceRunsToTheStartOfToday() throws {
        let w = try WindowParser.window(since: "2026-11-20", until: nil, now: now)
        #expect(w.until.rfc3339 == "2026-11-23T00:00:00Z")
    }

    @Test func onlyUntilCoversTheDayBefore() throws {
        let w = try WindowParser.window(since: nil, until: "2026-11-10T12:00:00Z", now: now)
        #expect(w.since.rfc3339 == "2026-11-09T00:00:00Z")
        #expect(w.until.rfc3339 == "2026-11-10T12:00:00Z")
    }

    @Test func badAndEmptyWindowsAreUsageErrors() {
        for (since, until) in [("yesterday", "2026-11-02"), ("2026-11-02", "2026-11-02"), ("2026-11-03", "2026-11-02"), ("2026-02-30", "2026-03-01")] {
            #expect(throws: SettingsError.self) { try WindowParser.window(since: since, until: until, now: now) }
            do {
                _ = try WindowParser.window(since: since, until: until, now: now)
            } catch {
                #expect(error.status == .usage)
            }
        }
    }
}

@Suite struct JobFileTests {
    @Test func parsesTheShippedNightlyJob() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../jobs/nightly.json").standardized.path
        let job = try JobFile.load(path: path)
        #expect(job.baseURL == "https://public-api.alternativepayments.io")
        #expect(job.failOn == "error")
        #expect(job.concurrency == 8)
        #expect(job.credentialsFile == "/etc/ap-reconcile/credentials.json")
    }

    @Test func refusesUnknownKeysNamingThem() {
        do {
            _ = try JobFile.parse(Data(#"{"out":"x","concurency":4}"#.utf8), path: "job.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.status == .configuration)
            #expect(error.message.hasPrefix("job file job.json has unknown setting(s) concurency;"))
        }
    }

    @Test func refusesWrongTypesAndNonObjects() {
        let cases: [(String, String)] = [
            (#"{"concurrency":"eight"}"#, "setting concurrency has the wrong type"),
            (#"[1,2]"#, "must be a JSON object of settings"),
            (#"{"out": "#, "is not valid JSON"),
            ("", "is not valid JSON"),
        ]
        for (text, expected) in cases {
            do {
                _ = try JobFile.parse(Data(text.utf8), path: "job.json")
                Issue.record("expected an error for \(text)")
            } catch {
                #expect(error.status == .configuration)
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
    }
}

@Suite struct CredentialTests {
    func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cred-\(UUID().uuidString)")
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path) // secret files are refused otherwise
        return url.path
    }

    @Test func environmentWins() throws {
        let path = try file(#"{"client_id":"file-id","client_secret":"file-secret"}"#)
        let c = try CredentialSource.resolve(environment: ["AP_CLIENT_ID": "env-id", "AP_CLIENT_SECRET": "env-secret"], credentialsFile: path)
        #expect(c.clientID == "env-id")
        #expect(c.clientSecret == "env-secret")
    }

    @Test func secretFileIsTrimmed() throws {
        let path = try file("s3cr3t\n")
        let c = try CredentialSource.resolve(environment: ["AP_CLIENT_ID": "id", "AP_CLIENT_SECRET_FILE": path], credentialsFile: nil)
        #expect(c.clientSecret == "s3cr3t")
    }

    @Test func credentialsFileFillsWhatTheEnvironmentLacks() throws {
        let path = try file(#"{"client_id":"file-id","client_secret":"file-secret"}"#)
        let c = try CredentialSource.resolve(environment: [:], credentialsFile: path)
        #expect(c.clientID == "file-id")
        #expect(c.clientSecret == "file-secret")
    }

    @Test func missingOrMalformedIsAConfigurationErrorThatNeverEchoesTheFile() throws {
        let leaky = try file(#"{"client_id":"id","client_secret":42,"note":"TOPSECRET"}"#)
        for (env, path) in [([String: String](), nil as String?), (["AP_CLIENT_ID": "id"], nil), ([:], leaky), ([:], "/nonexistent/creds.json")] {
            do {
                _ = try CredentialSource.resolve(environment: env, credentialsFile: path)
                Issue.record("expected an error")
            } catch {
                #expect(error.status == .configuration)
                #expect(!error.message.contains("TOPSECRET"))
            }
        }
    }
}

import Foundation
import JobSettings
import Operations
import Publishing
import RunPipeline
import RunState
import Snapshots
import Testing
import Yams

/// Every example in jobs/ parses, has the settings that make it safe to leave running, and
/// uses only `ap-reconcile run` flags that exist (read from the built binary's `run --help`).
@Suite struct JobsExamplesTests {
    static let jobs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../jobs").standardized

    func text(_ name: String) throws -> String {
        try String(contentsOf: Self.jobs.appendingPathComponent(name), encoding: .utf8)
    }

    /// The long options `ap-reconcile run --help` lists.
    func runFlags() async throws -> Set<String> {
        let help = try await RunEndToEndTests().run(["--help"])
        #expect(help.status == 0)
        let flags = Set(help.stdout.matches(of: /--[a-z][a-z0-9-]*/).map { String($0.output) })
        #expect(flags.contains("--config") && flags.contains("--notify") && flags.contains("--account-index"))
        return flags
    }

    /// The `--flags` of an ap-reconcile command line given as words after `run`.
    func checkFlags(_ words: [String], known: Set<String>, in file: String) {
        #expect(words.first == "run", "\(file): the command must be `ap-reconcile run`")
        for word in words where word.hasPrefix("--") {
            let flag = String(word.prefix { $0 != "=" })
            #expect(known.contains(flag), "\(file) uses \(flag), which `ap-reconcile run --help` does not list")
        }
    }

    /// Words after `ap-reconcile` in a shell command line, up to the next shell operator.
    func commandWords(_ line: String) -> [String] {
        let words = line.split(separator: " ").map(String.init)
        guard let start = words.firstIndex(where: { $0.hasSuffix("/ap-reconcile") }) else { return [] }
        return Array(words[(start + 1)...].prefix { !["2>>", ";", "&&", "||", "|", ">"].contains($0) && !$0.hasPrefix("2>") })
    }

    // MARK: job files

    @Test(arguments: ["nightly.json", "accounts.json"])
    func jobFilesParse(name: String) throws {
        let job = try JobFile.parse(Data(try text(name).utf8), path: name)
        #expect(job.baseURL == "https://public-api.alternativepayments.io")
        if name == "accounts.json" {
            #expect(job.accounts?.map(\.name) == ["acme-us", "acme-eu"])
        }
    }

    // MARK: crontab

    @Test func crontab() async throws {
        let known = try await runFlags()
        var environment: [String: String] = [:]
        var jobs: [(schedule: [String], command: String)] = []
        for raw in try text("crontab").split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let eq = line.firstIndex(of: "="), !line[..<eq].contains(" ") {
                environment[String(line[..<eq])] = String(line[line.index(after: eq)...])
                continue
            }
            let fields = line.split(separator: " ", maxSplits: 5).map(String.init)
            try #require(fields.count == 6, "not a crontab entry: \(line)")
            jobs.append((Array(fields[0..<5]), fields[5]))
        }
        #expect(environment["CRON_TZ"] == "UTC")
        #expect(environment["AP_RECON_WEBHOOK_SECRET"] == nil, "no secret in the crontab")
        try #require(jobs.count == 1)
        let job = jobs[0]
        #expect(job.schedule == ["15", "3", "*", "*", "*"])
        #expect(job.command.hasPrefix("flock -n "), "overlapping nights must not pile up")
        #expect(!job.command.contains("%"), "cron turns an unescaped % into a newline")
        #expect(job.command.contains("https://hc-ping.com/"))
        #expect(job.command.hasSuffix("/$?\""), "the healthcheck ping carries the exit status")
        // The comment promises: all of the job's output to the log, none of it to cron mail.
        #expect(job.command.contains(" >>/var/log/ap-reconcile.log 2>&1; "), "stdout and stderr both go to the log")
        checkFlags(commandWords(job.command), known: known, in: "crontab")
    }

    // MARK: systemd

    /// `[Section]` → key → every value (keys may repeat). Comments and blank lines skipped.
    func parseUnit(_ text: String) throws -> [String: [String: [String]]] {
        var sections: [String: [String: [String]]] = [:]
        var current: String?
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast())
                continue
            }
            let section = try #require(current, "setting outside a section: \(line)")
            let eq = try #require(line.firstIndex(of: "="), "not key=value: \(line)")
            sections[section, default: [:]][String(line[..<eq]), default: []].append(String(line[line.index(after: eq)...]))
        }
        return sections
    }

    @Test func systemdServiceAndTimer() async throws {
        let known = try await runFlags()
        let service = try parseUnit(try text("systemd/ap-reconcile.service"))
        let s = try #require(service["Service"])
        #expect(s["Type"] == ["oneshot"])
        #expect(s["SuccessExitStatus"] == ["1"])
        #expect(s["LoadCredential"] == ["client_secret:/etc/ap-reconcile/client_secret", "webhook_secret:/etc/ap-reconcile/webhook_secret"])
        let environment = s["Environment"] ?? []
        #expect(environment.contains("AP_CLIENT_SECRET_FILE=%d/client_secret"))
        #expect(environment.contains("AP_RECON_WEBHOOK_SECRET_FILE=%d/webhook_secret"))
        #expect(!environment.contains { $0.hasPrefix("AP_CLIENT_SECRET=") || $0.hasPrefix("AP_RECON_WEBHOOK_SECRET=") }, "no secret values in the unit")
        #expect(s["NoNewPrivileges"] == ["yes"])
        let exec = try #require(s["ExecStart"]?.first)
        #expect(exec.hasPrefix("/usr/local/bin/ap-reconcile "))
        checkFlags(commandWords(exec), known: known, in: "ap-reconcile.service")
        // The metrics file is written where the service may write.
        // A leading "-" makes a path optional: the unit starts without it.
        let writable = (s["ReadWritePaths"] ?? []).flatMap { $0.split(separator: " ").map { String($0.hasPrefix("-") ? $0.dropFirst() : $0) } }
        #expect(writable.contains("/var/lib/node_exporter/textfile"))

        let timer = try parseUnit(try text("systemd/ap-reconcile.timer"))
        #expect(timer["Timer"]?["Persistent"] == ["true"])
        #expect(timer["Timer"]?["OnCalendar"] == ["*-*-* 03:15:00 UTC"])
        #expect(timer["Install"]?["WantedBy"] == ["timers.target"])
    }

    // MARK: Kubernetes

    func container(_ document: [String: Any]) throws -> [String: Any] {
        let spec = try #require(document["spec"] as? [String: Any])
        let job = try #require((spec["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])
        let pod = try #require((job["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(pod["restartPolicy"] as? String == "Never")
        let containers = try #require(pod["containers"] as? [[String: Any]])
        return try #require(containers.first)
    }

    /// The repository's Dockerfile and VERSION, which the pod specs must agree with.
    func repositoryFile(_ name: String) throws -> String {
        try String(contentsOf: Self.jobs.appendingPathComponent("..").appendingPathComponent(name).standardized, encoding: .utf8)
    }

    /// Runs the image's user with a read-only root filesystem, no capabilities and the runtime's
    /// seccomp profile; /tmp is an emptyDir; the image is the Dockerfile's at the VERSION.
    func checkLockedDown(_ document: [String: Any], file: String) throws {
        let spec = try #require(document["spec"] as? [String: Any])
        let job = try #require((spec["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])
        let pod = try #require((job["template"] as? [String: Any])?["spec"] as? [String: Any])
        let dockerUser = try #require(try repositoryFile("Dockerfile").split(separator: "\n").last { $0.hasPrefix("USER ") })
        #expect(dockerUser == "USER 10001:10001", "the Dockerfile's user changed: update the pod specs too")
        let podContext = try #require(pod["securityContext"] as? [String: Any], "\(file): no pod securityContext")
        #expect(podContext["runAsNonRoot"] as? Bool == true, "\(file)")
        #expect(podContext["runAsUser"] as? Int == 10001, "\(file)")
        #expect(podContext["runAsGroup"] as? Int == 10001, "\(file)")
        #expect(podContext["fsGroup"] as? Int == 10001, "\(file)")
        #expect((podContext["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault", "\(file)")

        let container = try container(document)
        let version = try repositoryFile("VERSION").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(container["image"] as? String == "registry.example.com/ap-reconcile:\(version)", "\(file): the image at VERSION")
        let context = try #require(container["securityContext"] as? [String: Any], "\(file): no container securityContext")
        #expect(context["readOnlyRootFilesystem"] as? Bool == true, "\(file)")
        #expect(context["allowPrivilegeEscalation"] as? Bool == false, "\(file)")
        #expect(context["runAsNonRoot"] as? Bool == true, "\(file)")
        #expect(context["runAsUser"] as? Int == 10001, "\(file)")
        #expect((context["capabilities"] as? [String: Any])?["drop"] as? [String] == ["ALL"], "\(file)")
        #expect((context["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault", "\(file)")

        // /tmp is an emptyDir; every other writable mount is a volume, none is the image's.
        let mounts = container["volumeMounts"] as? [[String: Any]] ?? []
        let volumes = pod["volumes"] as? [[String: Any]] ?? []
        let tmp = try #require(mounts.first { $0["mountPath"] as? String == "/tmp" }, "\(file): /tmp is not mounted")
        let tmpVolume = volumes.first { $0["name"] as? String == tmp["name"] as? String }
        #expect(tmpVolume?["emptyDir"] != nil, "\(file): /tmp must be an emptyDir")
        for mount in mounts {
            #expect(volumes.contains { $0["name"] as? String == mount["name"] as? String }, "\(file): mount \(mount["name"] ?? "?") has no volume")
        }
    }

    func checkSecretsFromSecrets(_ container: [String: Any], file: String) {
        for variable in container["env"] as? [[String: Any]] ?? [] {
            let name = variable["name"] as? String ?? ""
            if name.contains("SECRET") && !name.hasSuffix("_FILE") {
                #expect(variable["value"] == nil, "\(file): \(name) must come from a Secret (valueFrom), not a literal")
                #expect(((variable["valueFrom"] as? [String: Any])?["secretKeyRef"]) != nil, "\(file): \(name) must use secretKeyRef")
            }
        }
    }

    @Test func kubernetesCronJob() async throws {
        let known = try await runFlags()
        let document = try #require(try Yams.load(yaml: try text("kubernetes/cronjob.yaml")) as? [String: Any])
        #expect(document["kind"] as? String == "CronJob")
        let spec = try #require(document["spec"] as? [String: Any])
        #expect(spec["concurrencyPolicy"] as? String == "Forbid")
        #expect(spec["timeZone"] as? String == "Etc/UTC")
        let container = try container(document)
        checkFlags(try #require(container["args"] as? [String]), known: known, in: "cronjob.yaml")
        checkSecretsFromSecrets(container, file: "cronjob.yaml")
        try checkLockedDown(document, file: "cronjob.yaml")
        // --out and --state are on the reports volume (the root filesystem is read-only).
        let args = try #require(container["args"] as? [String])
        let reportsMount = (container["volumeMounts"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "reports" }?["mountPath"] as? String
        for flag in ["--out", "--state"] {
            let index = try #require(args.firstIndex(of: flag), "cronjob.yaml passes \(flag)")
            #expect(args[index + 1].hasPrefix((reportsMount ?? "?") + "/"), "\(flag) \(args[index + 1]) is on the reports volume")
        }
        let env = (container["env"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(env.contains("AP_CLIENT_ID") && env.contains("AP_CLIENT_SECRET_FILE"))
    }

    @Test func kubernetesIndexedJobPicksOneAccountPerPod() async throws {
        let known = try await runFlags()
        let document = try #require(try Yams.load(yaml: try text("kubernetes/indexed-cronjob.yaml")) as? [String: Any])
        let spec = try #require(document["spec"] as? [String: Any])
        #expect(spec["concurrencyPolicy"] as? String == "Forbid")
        let job = try #require((spec["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(job["completionMode"] as? String == "Indexed")
        let accounts = try JobFile.parse(Data(try text("accounts.json").utf8), path: "accounts.json").accounts ?? []
        #expect(job["completions"] as? Int == accounts.count, "one pod per account in accounts.json")
        let container = try container(document)
        let args = try #require(container["args"] as? [String])
        checkFlags(args, known: known, in: "indexed-cronjob.yaml")
        let index = try #require(args.firstIndex(of: "--account-index"))
        #expect(args[index + 1] == "$(JOB_COMPLETION_INDEX)")
        let env = container["env"] as? [[String: Any]] ?? []
        #expect(env.contains { $0["name"] as? String == "JOB_COMPLETION_INDEX" }, "declared, so $(JOB_COMPLETION_INDEX) expands in args")
        checkSecretsFromSecrets(container, file: "indexed-cronjob.yaml")
        try checkLockedDown(document, file: "indexed-cronjob.yaml")
        // Each account's out and the state folder are on the reports volume.
        let reportsMount = try #require((container["volumeMounts"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "reports" }?["mountPath"] as? String)
        let accountsFile = try JobFile.parse(Data(try text("accounts.json").utf8), path: "accounts.json")
        for path in [accountsFile.state].compactMap({ $0 }) + accounts.map(\.out) + accounts.compactMap(\.state) {
            #expect(path.hasPrefix(reportsMount + "/"), "\(path) is on the reports volume (\(reportsMount))")
        }
        // Every variable an account names is provided to the pod.
        let names = Set(env.compactMap { $0["name"] as? String })
        for account in accounts {
            for variable in [account.clientIDEnv, account.clientSecretEnv, account.clientSecretFileEnv].compactMap({ $0 }) {
                #expect(names.contains(variable), "account \(account.name) reads \(variable), which the pod does not set")
            }
        }
    }
}

import APClient
import Foundation
import JobConfig

public typealias Account = JobConfig.Account

extension Account {
    /// This account's credentials: only from the variables it names, or its credentials file —
    /// never the job-wide AP_CLIENT_* variables, so one account cannot run with another's secret.
    public func credentials(environment: [String: String], readFile: FileReader = FileReader.disk) throws(SettingsError) -> ClientCredentials {
        var own: [String: String] = [:]
        if let name = clientIDEnv { own["AP_CLIENT_ID"] = environment[name] }
        if let name = clientSecretEnv { own["AP_CLIENT_SECRET"] = environment[name] }
        if let name = clientSecretFileEnv { own["AP_CLIENT_SECRET_FILE"] = environment[name] }
        do {
            return try CredentialSource.resolve(environment: own, credentialsFile: credentialsFile, readFile: readFile)
        } catch {
            let named = [clientIDEnv, clientSecretEnv, clientSecretFileEnv].compactMap { $0 }
            let sources = (named.isEmpty ? [] : ["the variables " + named.joined(separator: ", ")]) + (credentialsFile.map { ["credentials file \($0)"] } ?? [])
            throw SettingsError(.configuration, "account \(name): no API credentials from \(sources.isEmpty ? "anything (set client_id_env and client_secret_env, or credentials_file)" : sources.joined(separator: " or ")): \(error.message)")
        }
    }

    /// The accounts one invocation runs: all, or the one `--account NAME` / `--account-index N` picks
    /// (one account per Kubernetes Indexed Job pod).
    public static func select(_ accounts: [Account], name: String?, index: Int?) throws(SettingsError) -> [Account] {
        if name != nil || index != nil, accounts.isEmpty {
            throw SettingsError(.usage, "--account/--account-index need a job file (--config) that lists accounts")
        }
        if name != nil, index != nil {
            throw SettingsError(.usage, "pass --account or --account-index, not both")
        }
        if let name {
            guard let account = accounts.first(where: { $0.name == name }) else {
                throw SettingsError(.usage, "no account named \(name) in the job file; accounts: \(accounts.map(\.name).joined(separator: ", "))")
            }
            return [account]
        }
        if let index {
            guard accounts.indices.contains(index) else {
                throw SettingsError(.usage, "--account-index \(index) is outside 0...\(accounts.count - 1) (the job file lists \(accounts.count) accounts)")
            }
            return [accounts[index]]
        }
        return accounts
    }
}

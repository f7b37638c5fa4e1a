import AcknowledgementFiles
import APModels
import ArgumentParser
import Foundation
import JobSettings
import Publishing
import Reconciliation

struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge a known exception: add (or update) its entry in an acknowledgements file.",
        discussion: """
        FINGERPRINT is copied from the fingerprint column of diagnostics.csv or exceptions.csv. \
        The file is created if missing and rewritten atomically, entries sorted by fingerprint, \
        so its diff in version control shows only this entry. An entry already present for the \
        fingerprint is replaced. With --expected/--actual/--currency the acknowledgement covers \
        only those amounts: when the diagnostic's amounts change it is open again. See \
        docs/acknowledgements.md.
        """
    )

    @Argument(help: "The diagnostic's fingerprint (CODE|payout|transaction|invoice|payment_request).")
    var fingerprint: String
    @Option(help: "Why no action is needed.")
    var reason: String
    @Option(help: "Who accepts it.")
    var by: String
    @Option(help: "The first day (or RFC 3339 time) it no longer applies, judged against the run's clock (--as-of).")
    var until: String?
    @Option(help: "When it was accepted (RFC 3339 or date; default: now).")
    var at: String?
    @Option(help: "The diagnostic's expected amount in minor units, as diagnostics.csv shows it.")
    var expected: Int64?
    @Option(help: "The diagnostic's actual amount in minor units, as diagnostics.csv shows it.")
    var actual: Int64?
    @Option(help: "The currency of --expected/--actual.")
    var currency: String?
    @Option(help: "The acknowledgements file.")
    var file: String

    func run() throws {
        let now = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970))
        do {
            let at = try self.at.map { text throws(SettingsError) in try WindowParser.instant(text, option: "--at") } ?? now
            let until = try self.until.map { text throws(SettingsError) in try WindowParser.instant(text, option: "--until") }
            var currency: Currency?
            if let code = self.currency {
                guard let c = Currency(code: code) else { throw ValidationError("--currency \(code) is not a three-letter currency code") }
                currency = c
            }
            let entry = Acknowledgement(fingerprint: fingerprint, reason: reason, by: by, at: at, until: until,
                                        expected: expected, actual: actual, currency: currency)
            try AckFileIO.edit(file) { current throws(AcknowledgementFileError) in
                let (updated, replaced) = try AcknowledgementFile.adding(entry, to: current)
                return (updated, "\(replaced ? "updated" : "added") \(fingerprint) in \(file)")
            }
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}

struct UnackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unack",
        abstract: "Remove a fingerprint's entry from an acknowledgements file (the diagnostic counts again).",
        discussion: "Fails, changing nothing, when the file has no entry for FINGERPRINT. See docs/acknowledgements.md."
    )

    @Argument(help: "The fingerprint whose acknowledgement to remove.")
    var fingerprint: String
    @Option(help: "The acknowledgements file.")
    var file: String

    func run() throws {
        try AckFileIO.edit(file) { [fingerprint, file] current throws(AcknowledgementFileError) in
            (try AcknowledgementFile.removing(fingerprint, from: current, path: file), "removed \(fingerprint) from \(file)")
        }
    }
}

/// The two commands' only disk access: a missing file reads as empty; the write is atomic
/// (`AtomicFile.replace`). A file or edit problem is printed and exits 78 (configuration).
enum AckFileIO {
    static func edit(_ path: String,
                     _ change: (Acknowledgements) throws(AcknowledgementFileError) -> (Acknowledgements, String)) throws {
        do {
            let current = FileManager.default.fileExists(atPath: path)
                ? try LoadedAcknowledgements.load(path: path, readFile: { FileManager.default.contents(atPath: $0) }).acknowledgements
                : Acknowledgements()
            let (updated, message) = try change(current)
            try AtomicFile.replace(path, with: AcknowledgementFile.encode(updated))
            print(message)
        } catch let error as AcknowledgementFileError {
            FileHandle.standardError.write(Data("ap-reconcile: \(error.description)\n".utf8))
            throw ExitCode(ExitStatus.configuration.rawValue)
        } catch let error as PublishError {
            FileHandle.standardError.write(Data("ap-reconcile: \(error.description)\n".utf8))
            throw ExitCode(ExitStatus.cannotWrite.rawValue)
        }
    }
}

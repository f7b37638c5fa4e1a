import APTransport
import Foundation
import JobSettings
import Publishing
import Reconciliation
import Reports

/// A recorded run's snapshot as files to publish: `snapshot/index.json` and one file per
/// response body. Pure: the same exchanges give the same bytes, whatever order they completed in.
public struct Snapshot: Sendable {
    public var index: SnapshotIndex
    /// index.json first, then the body files, all in the `snapshot` folder.
    public var files: [OutputFile]
    /// Lowercase hex SHA-256 of index.json: what manifest.json names.
    public var digest: String

    /// Redacts and files `exchanges`. `secrets`: the client secret and its Basic encoding; the
    /// access tokens are found in the token replies themselves. `previousOpenItems` (a run with
    /// state; `[]` on its first run): the list its open items were compared against, filed as
    /// previous-open-items.json and named in the index, and `run.withState` set to match.
    public static func build(_ exchanges: [RawExchange], run: SnapshotParameters, toolVersion: String, secrets: [String],
                             previousOpenItems: [OpenItem]? = nil, acknowledgements: [UInt8]? = nil,
                             bank: (settings: BankSettings, files: [RecordedBankFile])? = nil) -> Snapshot {
        var run = run
        // Absent, not false, without state: the snapshot of such a run is as it always was.
        run.withState = previousOpenItems == nil ? nil : true
        let ordered = exchanges.sorted { a, b in
            (a.method, a.path, a.occurrence) < (b.method, b.path, b.occurrence)
        }
        var allSecrets = secrets
        for exchange in ordered where SnapshotRedaction.isTokenEndpoint(method: exchange.method, path: exchange.path) {
            if case .success(let response) = exchange.result {
                allSecrets += SnapshotRedaction.tokenValues(inTokenReply: Array(response.body))
            }
        }

        var recorded: [RecordedExchange] = []
        var files: [OutputFile] = []
        for exchange in ordered {
            var entry = RecordedExchange(method: exchange.method, path: SnapshotRedaction.scrubbed(exchange.path, secrets: allSecrets),
                                         occurrence: exchange.occurrence)
            switch exchange.result {
            case .success(let response):
                let raw = Array(response.body)
                let body = SnapshotRedaction.isTokenEndpoint(method: exchange.method, path: exchange.path)
                    ? SnapshotRedaction.redactTokenReply(raw, secrets: allSecrets)
                    : SnapshotRedaction.scrub(raw, secrets: allSecrets)
                let name = String(format: "%06d.body", files.count + 1)
                files.append(OutputFile(name: name, bytes: body, folder: SnapshotIndex.folderName))
                entry.status = response.status
                var headers = SnapshotRedaction.keptHeaders(response.headers, secrets: allSecrets)
                if body != raw {
                    // Redaction changed the length; say what the file holds.
                    headers = headers.map { $0.name.lowercased() == "content-length" ? RecordedHeader(name: $0.name, value: String(body.count)) : $0 }
                }
                entry.headers = headers
                entry.file = name
                entry.sha256 = Manifest.sha256Hex(body)
                entry.bytes = body.count
            case .failure(let error):
                entry.transportError = RecordedTransportError(
                    kind: error.kind.rawValue, curlCode: error.curlCode,
                    detail: SnapshotRedaction.scrubbed(error.detail, secrets: allSecrets))
            }
            recorded.append(entry)
        }
        var previousEntry: SnapshotFileEntry?
        if let previousOpenItems {
            // Scrubbed like the bodies: a message quoting what an API echoed must not carry a secret either.
            let bytes = SnapshotRedaction.scrub(PreviousOpenItemsFile.encode(previousOpenItems), secrets: allSecrets)
            files.append(OutputFile(name: PreviousOpenItemsFile.fileName, bytes: bytes, folder: SnapshotIndex.folderName))
            previousEntry = SnapshotFileEntry(file: PreviousOpenItemsFile.fileName, sha256: Manifest.sha256Hex(bytes), bytes: bytes.count)
        }
        var acknowledgementsEntry: SnapshotFileEntry?
        if let acknowledgements {
            // Kept as read: its SHA-256 is the one manifest.json names for the acknowledgements.
            let name = SnapshotIndex.acknowledgementsFileName
            files.append(OutputFile(name: name, bytes: acknowledgements, folder: SnapshotIndex.folderName))
            acknowledgementsEntry = SnapshotFileEntry(file: name, sha256: Manifest.sha256Hex(acknowledgements), bytes: acknowledgements.count)
        }
        var bankEntry: SnapshotBank?
        if let bank {
            // Kept as read, not scrubbed: the replay must read the same bytes to give the same reports.
            var statements: [SnapshotBankStatement] = []
            for (offset, recordedFile) in bank.files.enumerated() {
                guard let bytes = recordedFile.bytes else {
                    statements.append(SnapshotBankStatement(name: recordedFile.name, file: nil, sha256: nil, bytes: nil))
                    continue
                }
                let name = SnapshotBank.fileName(offset + 1)
                files.append(OutputFile(name: name, bytes: bytes, folder: SnapshotIndex.folderName))
                statements.append(SnapshotBankStatement(name: recordedFile.name, file: name, sha256: Manifest.sha256Hex(bytes), bytes: bytes.count))
            }
            bankEntry = SnapshotBank(settlementDays: bank.settings.settlementDays, providerNames: bank.settings.providerNames,
                                     csvMapping: bank.settings.csvMapping, statements: statements)
        }
        let index = SnapshotIndex(toolVersion: toolVersion, run: run, redactions: SnapshotRedaction.summary, exchanges: recorded,
                                  previousOpenItems: previousEntry, acknowledgements: acknowledgementsEntry, bank: bankEntry)
        let indexBytes = index.encoded()
        let indexFile = OutputFile(name: SnapshotIndex.fileName, bytes: indexBytes, folder: SnapshotIndex.folderName)
        return Snapshot(index: index, files: [indexFile] + files, digest: Manifest.sha256Hex(indexBytes))
    }
}

extension SnapshotRedaction {
    static func scrubbed(_ text: String, secrets: [String]) -> String {
        String(decoding: scrub(Array(text.utf8), secrets: secrets), as: UTF8.self)
    }
}

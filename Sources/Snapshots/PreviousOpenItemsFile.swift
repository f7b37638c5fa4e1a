import APModels
import Foundation
import JobSettings
import Publishing
import Reconciliation
import RunState

/// `snapshot/previous-open-items.json`: the open items a recorded run with state compared its
/// diagnostics against (what state.json held when the run started), in the order
/// OpenItems.compare received them. A replay compares against this list instead of any state,
/// so new/open/resolved and exceptions.csv come out as the recorded run's. Pure.
public enum PreviousOpenItemsFile {
    public static let fileName = "previous-open-items.json"
    public static let formatName = "ap-reconcile-previous-open-items"
    public static let formatVersion = 1

    struct File: Codable {
        var format: String
        var formatVersion: Int
        /// Each item as state.json writes it.
        var openItems: [JobStateCodec.ItemFile]
        enum CodingKeys: String, CodingKey { case format, formatVersion = "format_version", openItems = "open_items" }
    }

    /// Pretty-printed JSON with sorted keys; the list keeps its order.
    public static func encode(_ items: [OpenItem]) -> [UInt8] {
        let file = File(format: formatName, formatVersion: formatVersion, openItems: items.map(JobStateCodec.itemFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and arrays of them cannot fail.
        guard let data = try? encoder.encode(file) else { return [] }
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// The list back. `folder` (the snapshot's) only names it in errors, which say what is wrong,
    /// never the file's content.
    public static func decode(_ bytes: [UInt8], folder: String) throws(SnapshotError) -> [OpenItem] {
        func refuse(_ problem: String) -> SnapshotError { SnapshotError(path: folder, problem: "\(fileName) \(problem)") }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch {
            throw refuse("is not a previous open items file: \(SnapshotReader.describe(error))")
        }
        guard file.format == formatName, file.formatVersion == formatVersion else {
            throw refuse("has format \"\(file.format.prefix(40))\" version \(file.formatVersion); this ap-reconcile reads \(formatName) version \(formatVersion)")
        }
        var items: [OpenItem] = []
        for (index, item) in file.openItems.enumerated() {
            guard let severity = Severity(rawValue: item.severity) else {
                throw refuse("open_items[\(index)] has severity \"\(item.severity.prefix(20))\" (error, warning or info expected)")
            }
            guard let firstSeen = Timestamp.parse(item.firstSeen), let lastSeen = Timestamp.parse(item.lastSeen) else {
                throw refuse("open_items[\(index)] has a first_seen or last_seen that is not an RFC 3339 time")
            }
            items.append(OpenItem(
                fingerprint: item.fingerprint, code: item.code, severity: severity, firstSeen: firstSeen, lastSeen: lastSeen,
                payoutID: item.payoutID, transactionID: item.transactionID, invoiceID: item.invoiceID,
                paymentRequestID: item.paymentRequestID, message: item.message))
        }
        return items
    }
}

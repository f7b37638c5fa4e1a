import APModels
import Foundation
import JobSettings
import Publishing
import RunPipeline
import Snapshots
import Reconciliation
import Reports
import Testing

/// A recorded run with state files the open items it compared against: present (and marked)
/// only then, covered by the index, read back exactly, and refused when changed.
@Suite struct SnapshotPreviousOpenItemsTests {
    static func time(_ text: String) -> Timestamp {
        Timestamp.parse(text) ?? Timestamp(epochSeconds: 0, nanoseconds: 0)
    }

    /// Not in fingerprint order, one without a payout: the list must come back as given.
    static let items = [
        OpenItem(fingerprint: "PAYOUT_AMOUNT_MISMATCH|po_2|||", code: "PAYOUT_AMOUNT_MISMATCH", severity: .error,
                 firstSeen: time("2026-11-03T06:00:00Z"), lastSeen: time("2026-11-04T06:00:00Z"), payoutID: "po_2",
                 message: "payout po_2 is 5.00 USD short"),
        OpenItem(fingerprint: "INVOICE_UNPAID|||inv_9|", code: "INVOICE_UNPAID", severity: .warning,
                 firstSeen: time("2026-11-04T06:00:00.250Z"), lastSeen: time("2026-11-04T06:00:00.250Z"), invoiceID: "inv_9",
                 message: "invoice \"inv_9\" unpaid"),
    ]

    static func build(previous: [OpenItem]?) -> Snapshot {
        Snapshot.build(SnapshotTests.exchanges, run: SnapshotTests.parameters, toolVersion: "0.3.0",
                       secrets: SnapshotRedaction.credentialSecrets(clientID: SnapshotTests.clientID, clientSecret: SnapshotTests.secret),
                       previousOpenItems: previous)
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    func problem(_ folder: String) -> String? {
        do {
            _ = try SnapshotReader.load(folder)
            return nil
        } catch {
            return error.problem
        }
    }

    @Test func aRunWithoutStateRecordsNoSuchFileAndNoMarker() throws {
        let snapshot = Self.build(previous: nil)
        #expect(snapshot.files.map(\.name) == ["index.json", "000001.body", "000002.body", "000003.body", "000004.body"])
        let index = text(snapshot.files[0].bytes)
        #expect(!index.contains("with_state"))
        #expect(!index.contains("previous_open_items"))
        // The same bytes as a snapshot built before runs with state were recorded.
        #expect(snapshot.files == SnapshotTests.build().files)
        let loaded = try SnapshotReader.load(try SnapshotTests.publish(snapshot))
        #expect(loaded.previousOpenItems == nil)
    }

    @Test func theListIsFiledNamedAndReadBackExactly() throws {
        let snapshot = Self.build(previous: Self.items)
        #expect(snapshot.files.map(\.relativePath).last == "snapshot/previous-open-items.json")
        let file = try #require(snapshot.files.last)
        #expect(text(file.bytes) == """
            {
              "format" : "ap-reconcile-previous-open-items",
              "format_version" : 1,
              "open_items" : [
                {
                  "code" : "PAYOUT_AMOUNT_MISMATCH",
                  "fingerprint" : "PAYOUT_AMOUNT_MISMATCH|po_2|||",
                  "first_seen" : "2026-11-03T06:00:00Z",
                  "last_seen" : "2026-11-04T06:00:00Z",
                  "message" : "payout po_2 is 5.00 USD short",
                  "payout_id" : "po_2",
                  "severity" : "error"
                },
                {
                  "code" : "INVOICE_UNPAID",
                  "fingerprint" : "INVOICE_UNPAID|||inv_9|",
                  "first_seen" : "2026-11-04T06:00:00.25Z",
                  "invoice_id" : "inv_9",
                  "last_seen" : "2026-11-04T06:00:00.25Z",
                  "message" : "invoice \\"inv_9\\" unpaid",
                  "severity" : "warning"
                }
              ]
            }

            """)
        #expect(snapshot.index.run.withState == true)
        #expect(snapshot.index.previousOpenItems == SnapshotFileEntry(
            file: "previous-open-items.json", sha256: Manifest.sha256Hex(file.bytes), bytes: file.bytes.count))
        let index = text(snapshot.files[0].bytes)
        #expect(index.contains("\"with_state\" : true"))
        #expect(index.contains("\"previous_open_items\" : {\n    \"bytes\" : \(file.bytes.count),\n    \"file\" : \"previous-open-items.json\",\n    \"sha256\" : \"\(Manifest.sha256Hex(file.bytes))\"\n  }"))

        let loaded = try SnapshotReader.load(try SnapshotTests.publish(snapshot, manifestDigest: .some(snapshot.digest)))
        #expect(loaded.previousOpenItems == Self.items)
        #expect(loaded.index == snapshot.index)
        // Not a response body: a replay never serves it.
        #expect(loaded.bodies["previous-open-items.json"] == nil)
    }

    @Test func aFirstRunWithStateRecordsAnEmptyList() throws {
        let snapshot = Self.build(previous: [])
        let file = try #require(snapshot.files.last)
        #expect(file.name == "previous-open-items.json")
        #expect(text(file.bytes) == "{\n  \"format\" : \"ap-reconcile-previous-open-items\",\n  \"format_version\" : 1,\n  \"open_items\" : [\n\n  ]\n}\n")
        let loaded = try SnapshotReader.load(try SnapshotTests.publish(snapshot))
        #expect(loaded.previousOpenItems == [])
    }

    @Test func aChangedOrMissingListIsRefused() throws {
        let snapshot = Self.build(previous: Self.items)
        let listed = try #require(snapshot.index.previousOpenItems)

        let changed = try SnapshotTests.publish(snapshot)
        let path = changed + "/previous-open-items.json"
        let original = try #require(FileManager.default.contents(atPath: path))
        let edited = Data(text(Array(original)).replacingOccurrences(of: "2026-11-03T06:00:00Z", with: "2026-11-04T06:00:00Z").utf8)
        #expect(edited != original)
        try edited.write(to: URL(fileURLWithPath: path))
        #expect(problem(changed) == "previous-open-items.json (the open items the run compared against) has SHA-256 \(Manifest.sha256Hex(Array(edited))) "
            + "and \(edited.count) bytes, but the index lists \(listed.sha256) and \(listed.bytes) bytes: the file was changed after it was recorded")

        let missing = try SnapshotTests.publish(snapshot)
        try FileManager.default.removeItem(atPath: missing + "/previous-open-items.json")
        #expect(problem(missing) == "previous-open-items.json (the open items the run compared against) is missing or unreadable: the snapshot is incomplete")

        // An index that says "state" without naming the file (no manifest beside it to catch the edit).
        var index = snapshot.index
        index.previousOpenItems = nil
        let unnamed = try SnapshotTests.publish(snapshot)
        try Data(index.encoded()).write(to: URL(fileURLWithPath: unnamed + "/index.json"))
        #expect(problem(unnamed) == "index.json says the run had state but names no previous_open_items file: the snapshot is incomplete")

        // Without the marker, the file is one the index does not account for.
        index = snapshot.index
        index.run.withState = nil
        let unmarked = try SnapshotTests.publish(snapshot)
        try Data(index.encoded()).write(to: URL(fileURLWithPath: unmarked + "/index.json"))
        #expect(problem(unmarked) == "index.json names a previous_open_items file but does not say the run had state (with_state)")
    }

    @Test func aListThatIsNotOneIsRefusedWithoutQuotingIt() throws {
        let bad = Array(#"{"format":"ap-reconcile-previous-open-items","format_version":1,"open_items":[{"code":"X","fingerprint":"f","first_seen":"secret-ish","last_seen":"2026-11-04T06:00:00Z","message":"m","severity":"error"}]}"#.utf8)
        #expect(throws: SnapshotError.self) { try PreviousOpenItemsFile.decode(bad, folder: "/s") }
        do {
            _ = try PreviousOpenItemsFile.decode(bad, folder: "/s")
        } catch {
            #expect(error.description == "snapshot /s refused: previous-open-items.json open_items[0] has a first_seen or last_seen that is not an RFC 3339 time")
        }
    }
}

import Foundation
import Publishing
import Testing

/// Publishing a subfolder (snapshot/) with the reports: private modes, replaced whole, and an
/// earlier run's copy removed when this run publishes none.
@Suite struct PublisherSubfolderTests {
    /// Inside a private folder: the staging folder appears beside the output, not in the shared temporary folder.
    func root() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pubsub-\(UUID().uuidString)/out").path
    }

    func listing(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    func mode(_ path: String) throws -> Int {
        try ((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue) ?? -1
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    let withSnapshot = [
        OutputFile(name: "report.json", bytes: Array("r1".utf8)),
        OutputFile(name: "index.json", bytes: Array("i1".utf8), folder: "snapshot"),
        OutputFile(name: "000001.body", bytes: Array("b1".utf8), folder: "snapshot"),
    ]

    @Test func aNewFolderGetsTheSubfolderWithPrivateModes() throws {
        let out = root() + "/nested"
        try Publisher.publish(withSnapshot, to: out, replacing: ["snapshot"])
        #expect(listing(out) == ["report.json", "snapshot"])
        #expect(listing(out + "/snapshot") == ["000001.body", "index.json"])
        #expect(try read(out + "/snapshot/index.json") == "i1")
        #expect(try mode(out + "/snapshot") == 0o700)
        #expect(try mode(out + "/snapshot/000001.body") == 0o600)
    }

    @Test func anExistingSubfolderIsReplacedWhole() throws {
        let out = root()
        try Publisher.publish(withSnapshot + [OutputFile(name: "000002.body", bytes: [1], folder: "snapshot")], to: out)
        try Publisher.publish([
            OutputFile(name: "report.json", bytes: Array("r2".utf8)),
            OutputFile(name: "index.json", bytes: Array("i2".utf8), folder: "snapshot"),
        ], to: out, replacing: ["snapshot"])
        #expect(listing(out) == ["report.json", "snapshot"])
        #expect(listing(out + "/snapshot") == ["index.json"])
        #expect(try read(out + "/snapshot/index.json") == "i2")
        #expect(try read(out + "/report.json") == "r2")
        #expect(listing((out as NSString).deletingLastPathComponent).filter { $0.contains("staging") }.isEmpty)
    }

    @Test func aRunWithoutSnapshotRemovesTheEarlierOne() throws {
        let out = root()
        try Publisher.publish(withSnapshot, to: out)
        try Publisher.publish([OutputFile(name: "report.json", bytes: Array("r2".utf8))], to: out, replacing: ["snapshot"])
        #expect(listing(out) == ["report.json"])
        // Without `replacing`, other folders are left alone.
        try FileManager.default.createDirectory(atPath: out + "/notes", withIntermediateDirectories: false)
        try Publisher.publish([OutputFile(name: "report.json", bytes: Array("r3".utf8))], to: out, replacing: ["snapshot"])
        #expect(listing(out) == ["notes", "report.json"])
    }

    @Test func refusesSubfolderNamesThatLeaveTheFolder() {
        for folder in ["..", "a/b", ".hidden", ""] {
            let out = root()
            #expect(throws: PublishError.self) { try Publisher.publish([OutputFile(name: "a", bytes: [1], folder: folder)], to: out) }
            #expect(throws: PublishError.self) { try Publisher.publish([OutputFile(name: "a", bytes: [1])], to: out, replacing: [folder]) }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}

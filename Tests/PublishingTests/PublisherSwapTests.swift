import Foundation
@testable import Publishing
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Publishing into an existing output folder replaces it whole: at every instant a reader sees
/// the old complete set or the new complete set. A failure injected before, at and after the
/// swap (with renameat2's exchange, and with the two-rename path used where it is missing)
/// leaves one complete set, and a failure leaves the old one.
@Suite struct PublisherSwapTests {
    func parent() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swap-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Every entry under `path`, folders with a trailing slash, files with their text.
    func tree(_ path: String) -> [String: String] {
        var result: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: path) else { return result }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path + "/" + relative, isDirectory: &isDirectory)
            result[relative + (isDirectory.boolValue ? "/" : "")] = isDirectory.boolValue ? ""
                : (try? String(contentsOfFile: path + "/" + relative, encoding: .utf8)) ?? "<unreadable>"
        }
        return result
    }

    func listing(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    func inode(_ path: String) -> UInt64 {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    func set(_ tag: String) -> Publication {
        Publication(files: [
            OutputFile(name: "report.json", bytes: Array("report \(tag)".utf8)),
            OutputFile(name: "index.json", bytes: Array("index \(tag)".utf8), folder: "snapshot"),
            OutputFile(name: "000001.body", bytes: Array("body \(tag)".utf8), folder: "snapshot"),
        ], closingName: "manifest.json") { _ in OutputFile(name: "manifest.json", bytes: Array("manifest \(tag)".utf8)) }
    }

    /// The old run's set plus what the operator keeps there (a file, a folder, a hidden file).
    func oldFolder(_ out: String) throws {
        try Publisher.publish(set("old"), to: out, replacing: ["snapshot"])
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/README.txt"))
        try FileManager.default.createDirectory(atPath: out + "/notes/deep", withIntermediateDirectories: true)
        try Data("n".utf8).write(to: URL(fileURLWithPath: out + "/notes/deep/n.txt"))
        try Data("h".utf8).write(to: URL(fileURLWithPath: out + "/.hidden"))
        _ = chmod(out, 0o750)
    }

    static let kept: [String: String] = ["README.txt": "mine", "notes/": "", "notes/deep/": "", "notes/deep/n.txt": "n", ".hidden": "h"]

    func expected(_ tag: String) -> [String: String] {
        Self.kept.merging(["report.json": "report \(tag)", "manifest.json": "manifest \(tag)", "snapshot/": "",
                           "snapshot/index.json": "index \(tag)", "snapshot/000001.body": "body \(tag)"]) { a, _ in a }
    }

    static let modes = [PublishSeams(), PublishSeams(exchange: false), PublishSeams(swapFailure: EINVAL)]

    @Test(arguments: modes)
    func theNewSetReplacesTheOldWholeAndKeepsTheRest(seams: PublishSeams) throws {
        let root = try parent()
        let out = root + "/out"
        try oldFolder(out)
        let keptInode = inode(out + "/notes/deep/n.txt")
        try Publisher.publish(set("new"), to: out, replacing: ["snapshot"], seams: seams)
        #expect(tree(out) == expected("new"))
        #expect(listing(root) == ["out"]) // no staging, no old folder left
        // Kept files are the same files (hard links), not copies; the folder keeps its mode.
        #expect(inode(out + "/notes/deep/n.txt") == keptInode)
        var info = stat()
        #expect(stat(out, &info) == 0 && info.st_mode & 0o7777 == 0o750)
    }

    @Test(arguments: PublishStep.allCases, modes)
    func aFailureAtAnyStepLeavesTheOldSetComplete(step: PublishStep, seams: PublishSeams) throws {
        let root = try parent()
        let out = root + "/out"
        try oldFolder(out)
        var failing = seams
        failing.failAt = step
        #expect(throws: PublishError.self) {
            try Publisher.publish(set("new"), to: out, replacing: ["snapshot"], seams: failing)
        }
        #expect(tree(out) == expected("old"), "\(step) \(seams)")
        #expect(listing(root) == ["out"], "\(step) \(seams)")
        // And the next run publishes as usual.
        try Publisher.publish(set("next"), to: out, replacing: ["snapshot"], seams: seams)
        #expect(tree(out) == expected("next"))
    }

    @Test func anExchangeRefusedForAnotherReasonFailsWithNothingChanged() throws {
        let root = try parent()
        let out = root + "/out"
        try oldFolder(out)
        do {
            try Publisher.publish(set("new"), to: out, replacing: ["snapshot"], seams: PublishSeams(swapFailure: EXDEV))
            Issue.record("expected an error")
        } catch {
            #expect(error.path == out)
        }
        #expect(tree(out) == expected("old"))
        #expect(listing(root) == ["out"])
    }

    /// Before: files were renamed one by one, so a rename failing half-way (here: a folder named
    /// manifest.json in the old output) exited 73 with the new reports and snapshot beside the
    /// old manifest. Now the folder is replaced whole.
    @Test func aRenameThatWouldFailHalfwayCannotMixTheSets() throws {
        let root = try parent()
        let out = root + "/out"
        try Publisher.publish(set("old"), to: out, replacing: ["snapshot"])
        try FileManager.default.removeItem(atPath: out + "/manifest.json")
        try FileManager.default.createDirectory(atPath: out + "/manifest.json/x", withIntermediateDirectories: true)
        try Publisher.publish(set("new"), to: out, replacing: ["snapshot"])
        #expect(tree(out) == ["report.json": "report new", "manifest.json": "manifest new", "snapshot/": "",
                              "snapshot/index.json": "index new", "snapshot/000001.body": "body new"])
    }

    /// An --out that is a symbolic link: the folder it names is replaced, the link stays a link.
    @Test func aLinkedOutputFolderStaysALink() throws {
        let root = try parent()
        try oldFolder(root + "/real")
        try #require(symlink("real", root + "/out") == 0)
        try Publisher.publish(set("new"), to: root + "/out", replacing: ["snapshot"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/out") == "real")
        #expect(tree(root + "/real") == expected("new"))
        #expect(listing(root) == ["out", "real"])
    }

    /// The two-rename path's old folder is removed by a later publish only once the output
    /// folder exists again; while it is missing, that folder is the only copy of the old reports.
    @Test func anOldFolderSetAsideIsKeptWhileTheOutputIsMissing() throws {
        let root = try parent()
        let aside = root + "/.out.previous-99999999-abcd1234"
        try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true)
        Publisher.removeAbandonedStaging(in: root, base: "out")
        #expect(listing(root) == [".out.previous-99999999-abcd1234"])
        try Publisher.publish(set("new"), to: root + "/out")
        try Publisher.publish(set("newer"), to: root + "/out")
        #expect(listing(root) == ["out"])
    }

    /// On Linux the exchange is the real renameat2, found at run time, and it swaps two folders
    /// in place here (the test's temporary folder supports RENAME_EXCHANGE).
    @Test func renameat2ExchangesTwoFoldersOnLinux() throws {
        #if os(Linux)
        #expect(Publisher.renameat2Function != nil)
        let root = try parent()
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: false)
            try Data(name.utf8).write(to: URL(fileURLWithPath: root + "/" + name + "/which"))
        }
        #expect(Publisher.exchange(root + "/a", root + "/b", seams: .live) == nil)
        #expect(tree(root) == ["a/": "", "a/which": "b", "b/": "", "b/which": "a"])
        #endif
    }
}

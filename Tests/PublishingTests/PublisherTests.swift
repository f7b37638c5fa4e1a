import Foundation
import Publishing
import Testing

@Suite struct PublisherTests {
    func root() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pub-\(UUID().uuidString)").path
    }

    func listing(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    func mode(_ path: String) throws -> Int {
        try ((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue) ?? -1
    }

    @Test func createsTheFolderWithPrivatePermissions() throws {
        let out = root() + "/nested/out"
        try Publisher.publish([OutputFile(name: "a.csv", bytes: Array("x,y\r\n".utf8)), OutputFile(name: "b.json", bytes: [])], to: out)
        #expect(listing(out) == ["a.csv", "b.json"])
        #expect(try String(contentsOfFile: out + "/a.csv", encoding: .utf8) == "x,y\r\n")
        #expect(try mode(out) == 0o700)
        #expect(try mode(out + "/a.csv") == 0o600)
        #expect(listing((out as NSString).deletingLastPathComponent) == ["out"])
    }

    @Test func replacesFilesInAnExistingFolderAndLeavesOthers() throws {
        let out = root()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/a.csv"))
        try Data("keep".utf8).write(to: URL(fileURLWithPath: out + "/notes.txt"))
        try Publisher.publish([OutputFile(name: "a.csv", bytes: Array("new".utf8))], to: out)
        #expect(try String(contentsOfFile: out + "/a.csv", encoding: .utf8) == "new")
        #expect(try String(contentsOfFile: out + "/notes.txt", encoding: .utf8) == "keep")
        #expect(listing((out as NSString).deletingLastPathComponent).filter { $0.contains("staging") }.isEmpty)
    }

    @Test func refusesNamesThatLeaveTheFolder() {
        for name in ["../x", "a/b", ".hidden", "", "a\0b", ".."] {
            let out = root()
            #expect(throws: PublishError.self) { try Publisher.publish([OutputFile(name: name, bytes: [1])], to: out) }
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test func aFileWhereTheFolderShouldBeFailsWithoutTouchingIt() throws {
        let path = root()
        try Data("file".utf8).write(to: URL(fileURLWithPath: path))
        do {
            try Publisher.publish([OutputFile(name: "a.csv", bytes: [1])], to: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cannot write \(path): it exists and is not a folder")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "file")
    }

    @Test func removesStagingLeftByADeadRunButKeepsALiveOne() throws {
        let parent = root()
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        // pid_max on Linux is at most 4194304, so this pid cannot be alive.
        let dead = parent + "/.out.staging-99999999-abcd1234"
        let live = parent + "/.out.staging-\(getpid())-abcd1234"
        let other = parent + "/.other.staging-99999999-abcd1234"
        for folder in [dead, live, other] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("half".utf8).write(to: URL(fileURLWithPath: folder + "/report.json"))
        }
        try Publisher.publish([OutputFile(name: "a.csv", bytes: [65])], to: parent + "/out")
        #expect(listing(parent) == [".other.staging-99999999-abcd1234", ".out.staging-\(getpid())-abcd1234", "out"])
    }
}

import APClient
import Foundation
import Testing

@Suite struct SecretFileTests {
    func file(_ text: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func anOwnerOnlyFileIsReadWithOneLineEndingTrimmed() throws {
        for (content, expected) in [("s3cr3t\n", "s3cr3t"), ("s3cr3t\r\n", "s3cr3t"), ("s3cr3t", "s3cr3t"),
                                    ("s3cr3t\n\n", "s3cr3t\n"), (" s3cr3t \n", " s3cr3t ")] {
            for mode in [0o600, 0o400] {
                let path = try file(content, mode: mode)
                defer { try? FileManager.default.removeItem(atPath: path) }
                #expect(try SecretFile.readSecret(path: path, what: "AP_CLIENT_SECRET_FILE").get() == expected)
            }
        }
    }

    @Test(arguments: [(0o644, "other users"), (0o604, "other users"), (0o602, "other users"), (0o640, "its group"), (0o660, "its group")])
    func aFileOpenToOthersIsRefusedBeforeItIsRead(_ mode: Int, _ who: String) throws {
        let path = try file("TOPSECRET\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = SecretFile.readSecret(path: path, what: "AP_CLIENT_SECRET_FILE")
        let octal = "0" + String(mode, radix: 8)
        #expect(result == .failure(SecretFile.Failure(message: "AP_CLIENT_SECRET_FILE \(path) is open to \(who) (mode \(octal)); a secret file must be readable by its owner only: chmod 600 \(path)")))
    }

    @Test func emptyMissingAndNonRegularFilesAreClearErrors() throws {
        let empty = try file("\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(SecretFile.readSecret(path: empty, what: "X") == .failure(SecretFile.Failure(message: "X \(empty) is empty")))
        #expect(SecretFile.readSecret(path: "/nonexistent/secret", what: "X")
            == .failure(SecretFile.Failure(message: "cannot read X /nonexistent/secret: No such file or directory")))
        #expect(SecretFile.read(path: "/", what: "X") == .failure(SecretFile.Failure(message: "X / is not a regular file")))
    }

    /// Group access is refused only on the job user's own files: a provisioner's root-owned
    /// root:group 0440 (Kubernetes fsGroup, a shared group) is deliberate.
    @Test func thePolicyAsAPureDecision() {
        let me: UInt32 = 1000, root: UInt32 = 0
        #expect(SecretFilePolicy.refusal(mode: 0o100600, owner: me, currentUser: me, what: "f", path: "/p") == nil)
        #expect(SecretFilePolicy.refusal(mode: 0o100400, owner: me, currentUser: me, what: "f", path: "/p") == nil)
        #expect(SecretFilePolicy.refusal(mode: 0o100440, owner: root, currentUser: me, what: "f", path: "/p") == nil)
        #expect(SecretFilePolicy.refusal(mode: 0o100440, owner: me, currentUser: me, what: "f", path: "/p")
            == "f /p is open to its group (mode 0440); a secret file must be readable by its owner only: chmod 600 /p")
        #expect(SecretFilePolicy.refusal(mode: 0o100444, owner: root, currentUser: me, what: "f", path: "/p")
            == "f /p is open to other users (mode 0444); a secret file must be readable by its owner only: chmod 600 /p")
    }

    @Test func environmentValuesFollowTheSameTrimming() {
        #expect(SecretText.secret("s3cr3t\n") == "s3cr3t")
        #expect(SecretText.secret("s3cr3t") == "s3cr3t")
        #expect(SecretText.secret(" s3cr3t ") == " s3cr3t ")
        #expect(SecretText.secret("  \n") == nil)
        #expect(SecretText.secret("") == nil)
        #expect(SecretText.secret(nil) == nil)
    }
}

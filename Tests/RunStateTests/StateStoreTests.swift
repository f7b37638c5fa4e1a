import APModels
import Foundation
import JobSettings
import RunState
import Reconciliation
import Testing

@Suite struct StateStoreTests {
    func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)").appendingPathComponent("job").path
    }

    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }

    func t(_ text: String) -> Timestamp { Timestamp.parse(text, allowDateOnly: true) ?? Timestamp(epochSeconds: 0) }

    var sample: JobState {
        JobState(
            watermark: t("2026-11-08"),
            lastRun: JobState.LastRun(window: ReportWindow(since: t("2026-11-05"), until: t("2026-11-08")), asOf: t("2026-11-08T06:00:00Z"),
                                      folder: "2026-11-05T000000Z_2026-11-08T000000Z"),
            openItems: [
                OpenItem(fingerprint: "PAYOUT_AMOUNT_MISMATCH|po_1|||", code: "PAYOUT_AMOUNT_MISMATCH", severity: .error,
                         firstSeen: t("2026-11-06T06:00:00Z"), lastSeen: t("2026-11-08T06:00:00Z"), payoutID: "po_1", message: "po_1 is \"short\""),
                OpenItem(fingerprint: "INVOICE_PAID_WITHOUT_PAYMENT|||inv_7|", code: "INVOICE_PAID_WITHOUT_PAYMENT", severity: .warning,
                         firstSeen: t("2026-11-08T06:00:00Z"), lastSeen: t("2026-11-08T06:00:00Z"), invoiceID: "inv_7", message: "日本語 / é"),
            ])
    }

    @Test func noFileMeansAFirstRun() throws {
        let store = try StateStore(directory: folder())
        #expect(try store.load() == nil)
        #expect(mode(store.directory) == 0o700)
    }

    @Test func savesAndLoadsEveryField() throws {
        let store = try StateStore(directory: folder())
        try store.save(sample)
        #expect(try store.load() == sample)
        #expect(mode(store.statePath) == 0o600)
        // only state.json: the temporary file was renamed away
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory) == ["state.json"])
        let text = try String(contentsOfFile: store.statePath, encoding: .utf8)
        #expect(text.contains("\"format\" : \"ap-reconcile-state\""))
        #expect(text.contains("\"format_version\" : 1"))
        #expect(text.contains("\"watermark\" : \"2026-11-08T00:00:00Z\""))
        // replacing keeps one file
        var next = sample
        next.openItems = []
        try store.save(next)
        #expect(try store.load() == next)
    }

    @Test func anOpenFolderIsMadePrivate() throws {
        let path = folder()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let store = try StateStore(directory: path)
        #expect(mode(path) == 0o700)
        #expect(store.warning == "the state folder \(path) was open to group or others (mode 755); made it private (700)")
        #expect(try StateStore(directory: path).warning == nil)
    }

    /// A folder another user owns is refused with 78 naming the owner, and left as it was.
    @Test func aFolderOfAnotherUserIsRefused() throws {
        #expect(StateFolderAccess.decide(owner: 1000, mode: 0o40700, us: 1000) == .fine)
        #expect(StateFolderAccess.decide(owner: 1000, mode: 0o40770, us: 1000) == .tighten(from: 0o770))
        #expect(StateFolderAccess.decide(owner: 1000, mode: 0o40702, us: 1000) == .tighten(from: 0o702))
        #expect(StateFolderAccess.decide(owner: 0, mode: 0o40700, us: 1000) == .foreignOwner(uid: 0))
        #expect(StateFolderAccess.decide(owner: 1001, mode: 0o40755, us: 1000) == .foreignOwner(uid: 1001))
        // On disk: only root can give a folder away to try it for real.
        guard geteuid() == 0 else { return }
        let path = folder()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try #require(chown(path, 65534, 65534) == 0)
        #expect {
            _ = try StateStore(directory: path)
        } throws: { error in
            guard let error = error as? StateError else { return false }
            return error.status == .configuration
                && error.message == "the state folder \(path) belongs to uid 65534, not to this user (uid 0); refusing to use it: give the job a folder of its own (chown it, or pick another --state)"
        }
        #expect(mode(path) == 0o755)
    }

    /// A symbolic link planted at the lock path is never followed: exit 78, its target untouched.
    @Test func aSymlinkAtTheLockPathIsRefused() throws {
        let store = try StateStore(directory: folder())
        let target = store.directory + "-elsewhere"
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: target))
        try #require(symlink(target, store.lockPath) == 0)
        #expect {
            _ = try RunLock.acquire(path: store.lockPath, startedAt: t("2026-11-08T06:00:00Z"))
        } throws: { error in
            guard let error = error as? StateError else { return false }
            return error.status == .configuration
                && error.message == "the lock file \(store.lockPath) is a symbolic link; refusing to follow it: remove the link (the job creates the lock file itself)"
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n")

        // Nor anything but a plain file (a folder, a FIFO).
        let other = try StateStore(directory: folder())
        try #require(mkfifo(other.lockPath, 0o600) == 0)
        #expect {
            _ = try RunLock.acquire(path: other.lockPath, startedAt: t("2026-11-08T06:00:00Z"))
        } throws: { error in
            (error as? StateError)?.status == .configuration
                && (error as? StateError)?.message == "the lock file \(other.lockPath) is not a plain file; refusing to use it: remove it (the job creates the lock file itself)"
        }
    }

    func loadError(_ content: String) throws -> StateError? {
        let store = try StateStore(directory: folder())
        try Data(content.utf8).write(to: URL(fileURLWithPath: store.statePath))
        do {
            _ = try store.load()
            return nil
        } catch {
            return error
        }
    }

    @Test func aDamagedOrForeignFileIsRefusedNeverReset() throws {
        let garbage = try #require(try loadError("{not json"))
        #expect(garbage.status == .configuration)
        #expect(garbage.message.contains("is not valid JSON state"))
        #expect(garbage.message.contains("move it away to start over"))

        let foreign = try #require(try loadError(#"{"watermark": "2026-11-08T00:00:00Z"}"#))
        #expect(foreign.message.contains("is not an ap-reconcile state file"))

        let future = try #require(try loadError(#"{"format": "ap-reconcile-state", "format_version": 2, "open_items": []}"#))
        #expect(future.status == .configuration)
        #expect(future.message.contains("has format_version 2; this ap-reconcile"))
        #expect(future.message.contains("reads version 1 only"))

        let badTime = try #require(try loadError(#"{"format": "ap-reconcile-state", "format_version": 1, "watermark": "yesterday", "open_items": []}"#))
        #expect(badTime.message.contains("watermark \"yesterday\" is not an RFC 3339 time"))

        let missing = try #require(try loadError(#"{"format": "ap-reconcile-state", "format_version": 1}"#))
        #expect(missing.message.contains("is damaged (missing open_items)"))

        let item = #"{"fingerprint":"f","code":"C","severity":"fatal","first_seen":"2026-11-08T00:00:00Z","last_seen":"2026-11-08T00:00:00Z","message":"m"}"#
        let severity = try #require(try loadError(#"{"format": "ap-reconcile-state", "format_version": 1, "open_items": ["# + item + "]}"))
        #expect(severity.message.contains("open_items[0] has severity \"fatal\""))
    }

    @Test func theLockAdmitsOneHolderAndNamesItToTheNext() throws {
        let store = try StateStore(directory: folder())
        let first = try RunLock.acquire(path: store.lockPath, startedAt: t("2026-11-08T06:00:00Z"))
        #expect(mode(store.lockPath) == 0o600)
        do {
            _ = try RunLock.acquire(path: store.lockPath, startedAt: t("2026-11-08T06:01:00Z"))
            Issue.record("a second lock was granted")
        } catch {
            #expect(error.status == .temporaryFailure)
            #expect(error.message.contains("another run holds the lock \(store.lockPath) (held by pid \(getpid()), started 2026-11-08T06:00:00Z)"))
        }
        first.release()
        let second = try RunLock.acquire(path: store.lockPath, startedAt: t("2026-11-08T06:02:00Z"))
        #expect(try String(contentsOfFile: store.lockPath, encoding: .utf8) == "pid \(getpid()), started 2026-11-08T06:02:00Z\n")
        second.release()
    }
}

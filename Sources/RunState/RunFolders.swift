import Foundation
import JobSettings
import Publishing
import Reconciliation
#if canImport(Glibc)
import Glibc
#endif

/// The `--out` root of a run with state: one folder per run, named by its window, and `latest`,
/// a symbolic link to the newest complete one.
public enum RunFolders {
    public static let latestName = "latest"

    /// Publishes `files` into a new folder of `root` named by the window (see
    /// WatermarkPlan.folderName) and then points `latest` at it. Returns the folder's path.
    /// The folder appears whole (Publisher renames a complete staging folder into place), so
    /// `latest` only ever names a complete run.
    public static func publish(_ publication: Publication, root: String, window: ReportWindow) throws(PublishError) -> (folder: String, files: [PublishedFile]) {
        let root = URL(fileURLWithPath: root).standardizedFileURL.path
        try FileSystem.makeDirectories(root)
        removeAbandoned(in: root)
        let taken = Set((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
        let name = WatermarkPlan.folderName(for: window, taken: taken)
        let folder = root + "/" + name
        let files = try Publisher.publish(publication, to: folder)
        do throws(PublishError) {
            try pointLatest(root: root, at: name)
        } catch {
            throw PublishError(path: error.path, reason: "\(error.reason) (the reports are complete in \(folder), but \(latestName) still names the previous run)")
        }
        return (folder, files)
    }

    /// Replaces `root/latest` atomically: a new link under a temporary name, renamed over the
    /// old one. The target is relative, so the whole root can be moved or mounted elsewhere.
    static func pointLatest(root: String, at name: String) throws(PublishError) {
        let temporary = root + "/." + latestName + ".tmp-" + String(getpid())
        unlink(temporary)
        guard symlink(name, temporary) == 0 else { throw FileSystem.errnoError(temporary) }
        guard rename(temporary, root + "/" + latestName) == 0 else {
            let error = FileSystem.errnoError(root + "/" + latestName)
            unlink(temporary)
            throw error
        }
        try FileSystem.syncFolder(root)
    }

    /// Leftovers of killed runs in the root: staging folders (`.<name>.staging-<pid>-<id>`) and
    /// link temporaries (`.latest.tmp-<pid>`) whose process is gone. A live process's are kept.
    static func removeAbandoned(in root: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for entry in entries where entry.hasPrefix(".") {
            let pidText: Substring
            if let range = entry.range(of: ".staging-") {
                guard let text = entry[range.upperBound...].split(separator: "-").first else { continue }
                pidText = text
            } else if entry.hasPrefix("." + latestName + ".tmp-") {
                pidText = entry.dropFirst(latestName.count + 6)
            } else {
                continue
            }
            guard let pid = pid_t(pidText), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            FileSystem.removeTree(root + "/" + entry)
        }
    }
}

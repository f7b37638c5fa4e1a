import Foundation
import JobSettings
import Publishing
import RunState
#if canImport(Glibc)
import Glibc
#endif

/// Whether the job can write where it will write: each folder is proven writable by creating
/// and removing a probe file in it (or, when it does not exist yet, in the nearest folder above
/// it, where the run will create it). Nothing else is created, and no mode is changed.
public enum FolderCheck {
    static var probeName: String { ".ap-reconcile-check-\(getpid())" }

    /// `--out`: the reports' folder (or, with state, the root of the run folders).
    public static func output(_ path: String) -> PreflightCheck {
        let folder = standardized(path)
        switch existing(folder) {
        case .notAFolder:
            return .fail("out", "\(folder) exists but is not a folder", .cannotWrite)
        case .folder:
            if let error = probe(folder) { return .fail("out", "\(folder) is not writable: \(error.reason)", .cannotWrite) }
            return .ok("out", "\(folder) is writable")
        case .missing:
            return missing("out", folder, created: "0700")
        }
    }

    /// `--state`: the folder must be writable and, as `StateStore` expects, owned by the job's
    /// user with mode 0700 (it holds the business's open items); state.json, when there is one,
    /// must be readable and understood.
    public static func state(_ path: String) -> [PreflightCheck] {
        let folder = standardized(path)
        let user = geteuid()
        switch existing(folder) {
        case .notAFolder:
            return [.fail("state", "\(folder) exists but is not a folder", .cannotWrite)]
        case .missing:
            return [missing("state", folder, created: "0700, owner uid \(user)"),
                    .ok("state.json", "none yet: the first run covers the previous UTC day")]
        case .folder:
            break
        }
        var info = stat()
        guard stat(folder, &info) == 0 else {
            return [.fail("state", "cannot read \(folder): \(FileSystem.errnoError(folder).reason)", .cannotWrite)]
        }
        if info.st_uid != user {
            return [.fail("state", "\(folder) is owned by uid \(info.st_uid), but the job runs as uid \(user): "
                          + "chown it to the job's user (only that user may read the open items)", .cannotWrite)]
        }
        if let error = probe(folder) {
            return [.fail("state", "\(folder) is not writable: \(error.reason)", .cannotWrite)]
        }
        let mode = info.st_mode & 0o777
        let folderCheck: PreflightCheck = mode & 0o077 != 0
            ? .warn("state", "\(folder) has mode \(octal(mode)): the next run takes group and other access away (0700)")
            : .ok("state", "\(folder) is writable, mode \(octal(mode)), owner uid \(user)")
        let stateFile: PreflightCheck
        do throws(StateError) {
            if let saved = try StateStore.peek(directory: folder) {
                stateFile = .ok("state.json", "watermark \(saved.watermark?.rfc3339 ?? "none"), \(saved.openItems.count) open items")
            } else {
                stateFile = .ok("state.json", "none yet: the first run covers the previous UTC day")
            }
        } catch {
            stateFile = .fail("state.json", error.message, error.status)
        }
        return [folderCheck, stateFile]
    }

    /// `--metrics-file`: its folder must be writable (the file is replaced atomically there).
    public static func metricsFile(_ path: String) -> PreflightCheck {
        let file = standardized(path)
        let folder = (file as NSString).deletingLastPathComponent
        switch existing(folder) {
        case .folder:
            if let error = probe(folder) {
                return .fail("metrics file", "\(folder) is not writable: \(error.reason)", .cannotWrite)
            }
            return .ok("metrics file", "\(folder) is writable")
        case .notAFolder, .missing:
            return .fail("metrics file", "\(folder) is not a folder: create it (the job writes the file, not its folder)", .cannotWrite)
        }
    }

    enum Existing { case folder, notAFolder, missing }

    static func existing(_ path: String) -> Existing {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return .missing }
        return isFolder.boolValue ? .folder : .notAFolder
    }

    /// A folder the run will create: the nearest existing folder above it must be writable.
    static func missing(_ what: String, _ folder: String, created: String) -> PreflightCheck {
        var parent = folder
        repeat {
            parent = (parent as NSString).deletingLastPathComponent
        } while existing(parent) == .missing && parent != "/" && !parent.isEmpty
        guard existing(parent) == .folder else {
            return .fail(what, "\(folder) cannot be created: \(parent) is not a folder", .cannotWrite)
        }
        if let error = probe(parent) {
            return .fail(what, "\(folder) cannot be created: \(parent) is not writable: \(error.reason)", .cannotWrite)
        }
        return .ok(what, "\(folder) does not exist yet; the run creates it (\(created)) in \(parent), which is writable")
    }

    /// Creates and removes a probe file in `folder`; the error when it cannot.
    static func probe(_ folder: String) -> PublishError? {
        let path = folder + "/" + probeName
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, FileSystem.fileMode)
        guard fd >= 0 else { return FileSystem.errnoError(path) }
        close(fd)
        guard unlink(path) == 0 else { return FileSystem.errnoError(path) }
        return nil
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

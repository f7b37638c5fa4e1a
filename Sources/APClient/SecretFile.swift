import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// How the job reads a secret — the client secret, a credentials file, the webhook signing
/// secret — from the environment or from a file. One rule for all of them:
///
/// - Trimming: exactly one trailing line ending (`\n` or `\r\n`) is removed, from a file and
///   from an environment variable alike; nothing else. `echo s3cr3t > file` and a Kubernetes
///   Secret made `--from-file` both end in a newline that is not part of the secret, while a
///   space or a second newline might be, so it is kept (and then fails authentication
///   visibly rather than being guessed away). A value that is empty or only whitespace counts
///   as not set.
/// - Permissions (`SecretFilePolicy`): a file other accounts could read is refused before a
///   byte of it is read, as OpenSSH refuses an unprotected private key.
public enum SecretText {
    /// `value` without one trailing `\n` or `\r\n`.
    public static func trimmingLineEnding(_ value: String) -> String {
        var scalars = Substring(value).unicodeScalars
        if scalars.last == "\n" {
            scalars.removeLast()
            if scalars.last == "\r" { scalars.removeLast() }
        }
        return String(scalars)
    }

    /// The value as the secret, or nil when it is empty or only whitespace (not set).
    public static func secret(_ value: String?) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return trimmingLineEnding(value)
    }
}

/// Which permission bits a secret file may have. A pure decision on `stat` values.
///
/// - Any access for other accounts (`mode & 0o007`): refused. Every local user (and every
///   compromised service) could read the secret, or replace it.
/// - Group access (`mode & 0o070`) on a file the job's own user owns: refused too — nothing
///   but a loose umask makes such a file (`chmod 600` fixes it).
/// - Group access on a file owned by another user (root): accepted. A provisioner grants a
///   group on purpose: Kubernetes with `fsGroup` mounts a Secret as root:fsGroup 0440, and a
///   file shared through a dedicated group is how root hands a secret to a service account.
public enum SecretFilePolicy {
    /// nil when the file may hold a secret, else why not (with the fix), naming `what` and `path`.
    public static func refusal(mode: UInt32, owner: UInt32, currentUser: UInt32, what: String, path: String) -> String? {
        let permissions = mode & 0o777
        let octal = "0" + String(permissions, radix: 8)
        if permissions & 0o007 != 0 {
            return "\(what) \(path) is open to other users (mode \(octal)); a secret file must be readable by its owner "
                + "only: chmod 600 \(path)"
        }
        if permissions & 0o070 != 0, owner == currentUser {
            return "\(what) \(path) is open to its group (mode \(octal)); a secret file must be readable by its owner "
                + "only: chmod 600 \(path)"
        }
        return nil
    }
}

/// Reading a secret file: opened once, checked on the open descriptor (`fstat`, so the file
/// checked is the file read), then read whole. Symbolic links are followed (a Kubernetes
/// Secret's files are links into its `..data` folder); the target's mode is what counts.
public enum SecretFile {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Larger than any secret or credentials file; a bigger file is a wrong path, not a secret.
    public static let maxBytes = 64 * 1024

    /// The file's bytes. `what` names it in errors (`AP_CLIENT_SECRET_FILE`); errors never
    /// quote the content.
    public static func read(path: String, what: String) -> Result<Data, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return .failure(Failure(message: "cannot read \(what) \(path): \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return .failure(Failure(message: "cannot read \(what) \(path): \(String(cString: strerror(errno)))"))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return .failure(Failure(message: "\(what) \(path) is not a regular file"))
        }
        if let refusal = SecretFilePolicy.refusal(mode: UInt32(info.st_mode), owner: UInt32(info.st_uid),
                                                  currentUser: UInt32(geteuid()), what: what, path: path) {
            return .failure(Failure(message: refusal))
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(message: "cannot read \(what) \(path): \(String(cString: strerror(errno)))"))
            }
            if n == 0 { return .success(data) }
            data.append(contentsOf: buffer[0..<n])
            guard data.count <= maxBytes else {
                return .failure(Failure(message: "\(what) \(path) is larger than \(maxBytes) bytes; is it the right file?"))
            }
        }
    }

    /// The file as one secret: UTF-8, one trailing line ending removed, not empty.
    public static func readSecret(path: String, what: String) -> Result<String, Failure> {
        read(path: path, what: what).flatMap { data in
            guard let text = String(data: data, encoding: .utf8) else {
                return .failure(Failure(message: "\(what) \(path) is not UTF-8 text"))
            }
            guard let secret = SecretText.secret(text) else {
                return .failure(Failure(message: "\(what) \(path) is empty"))
            }
            return .success(secret)
        }
    }
}

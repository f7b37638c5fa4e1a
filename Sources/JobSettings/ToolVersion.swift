/// The version of ap-reconcile. Its one source is the file `VERSION` at the repository root:
/// the VersionStamp build plugin generates `ToolVersion.current` from it before every build
/// (scripts/version-stamp.sh), and scripts/package.sh names the package from the same file.
/// `--version`, report.json and manifest.json (`tool_version`), the User-Agent, the webhook
/// event and snapshots all read `current`. See docs/versioning.md.
public enum ToolVersion {
    /// `ap-reconcile/VERSION`, as every request's User-Agent says it.
    public static var userAgent: String { "ap-reconcile/\(current)" }

    /// What `--version` prints: `1.2.3 (commit 1a2b3c4d5e6f)`, or the version alone when the
    /// commit is not known (a build from a tarball without .git).
    public static func described(commit: String?) -> String {
        commit.map { "\(current) (commit \($0))" } ?? current
    }
}

/// The version of ap-reconcile: the one place it is written. `--version`, report.json and
/// manifest.json (`tool_version`), the User-Agent, the webhook event, snapshots and the release
/// package's name all read it from here.
public enum ToolVersion {
    public static let current = "0.3.0"

    /// `ap-reconcile/0.3.0`, as every request's User-Agent says it.
    public static var userAgent: String { "ap-reconcile/\(current)" }
}

import Foundation
import PackagePlugin

/// Generates the version constants from the file `VERSION` (the version's one source, read by
/// scripts/package.sh and the Dockerfile too) before every build: `ToolVersion.current` in
/// JobSettings, and in the command line the git commit the binary is built from, when the
/// source is a git checkout (docs/versioning.md § The version's one source).
/// The work is in scripts/version-stamp.sh, which rewrites a file only when its content changes,
/// so a build with nothing new recompiles nothing.
@main
struct VersionStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let root = context.package.directoryURL
        return [
            .prebuildCommand(
                displayName: "Stamping the version into \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [root.appending(path: "scripts/version-stamp.sh").path, root.path, target.name, output.path],
                outputFilesDirectory: output),
        ]
    }
}

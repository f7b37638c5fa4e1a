import Foundation
import Testing

/// The version has one source, the file VERSION (docs/versioning.md § The version's one source):
/// the build generates the Swift constant from it, scripts read it, and nothing else spells it.
@Suite struct VersionSourceTests {
    static var version: String {
        get throws {
            try String(contentsOf: repositoryRoot.appendingPathComponent("VERSION"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Files under `folder` (recursively), relative to the repository root.
    func files(under folder: String) -> [String] {
        let base = repositoryRoot.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { item -> String? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { return nil }
            return folder + "/" + url.path.dropFirst(base.path.count + 1)
        }
    }

    @Test func noFileButVersionSpellsTheVersion() throws {
        let version = try Self.version
        #expect(version.wholeMatch(of: try Regex(#"[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?"#)) != nil)
        let topLevel = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.path)
            .filter { $0.hasPrefix("Dockerfile") || $0 == "Package.swift" || $0.hasPrefix(".dockerignore") }
        let candidates = ["Sources", "Plugins", "scripts", "jobs", "Fuzz/Sources"].flatMap(files(under:)) + topLevel
        // A Kubernetes manifest cannot read a file: its image tag names the version, and must
        // name exactly this one, so a release that forgets to bump it fails here.
        let manifests = candidates.filter { $0.hasPrefix("jobs/kubernetes/") }
        var spelled: [String] = []
        for path in candidates {
            let text = (try? String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)) ?? ""
            if manifests.contains(path) {
                for line in text.split(separator: "\n") where line.contains("image:") && line.contains("ap-reconcile:") {
                    #expect(line.hasSuffix("ap-reconcile:" + version), "\(path): \(line) does not name version \(version)")
                }
                continue
            }
            if text.contains(version) { spelled.append(path) }
        }
        #expect(spelled == [], "these files spell the version \(version); read it from VERSION instead")
    }

    @Test func versionNamesTheCommitItWasBuiltFrom() async throws {
        let version = try Self.version
        let result = try await RunEndToEndTests().invoke(["--version"])
        #expect(result.status == 0)
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", repositoryRoot.path, "rev-parse", "--short=12", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        var commit: String?
        if (try? git.run()) != nil {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            git.waitUntilExit()
            if git.terminationStatus == 0 { commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        // The binary was built from this checkout's HEAD (scripts/test.sh builds before it tests).
        #expect(result.stdout == (commit.map { "\(version) (commit \($0))" } ?? version) + "\n")
    }
}

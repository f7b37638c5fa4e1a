import APSandbox
import Foundation
import Logging
import ReconcileDemo

/// The checkout these tests were built from, found from this file's path so that the tests do
/// not depend on the working directory `swift test` was started in.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // IntegrationTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

/// The expected demo reports committed under samples/reports/.
let expectedReportsFolder = repositoryRoot.appendingPathComponent("samples/reports")

/// The command that rewrites samples/reports/ after an intended change of data or format.
let regenerateCommand = "swift build && .build/debug/ap-reconcile-demo --out samples/reports (from the repository root), then review the diff"

/// One `ap-reconcile-demo` run through the library entry, with the demo's defaults (window,
/// as-of, expected-requests file) and the sample dataset of this checkout.
struct DemoRun {
    var outcome: Demo.Outcome
    /// File name → bytes of everything the run published.
    var files: [String: Data]
}

/// Runs the demo into a fresh temporary folder and reads back every file it wrote; the folder is
/// removed afterwards.
func runDemo(pageShape: PageShape = Demo.Options().pageShape) async throws -> DemoRun {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ap-demo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("reports")
    var options = Demo.Options()
    options.dataset = repositoryRoot.appendingPathComponent("samples/api").path
    options.out = out.path
    options.bankStatements = Demo.defaultBankStatements.map { repositoryRoot.appendingPathComponent($0).path }
    options.pageShape = pageShape
    let outcome = await Demo.run(options, logger: Logger(label: "demo-test", factory: { _ in SwiftLogNoOpLogHandler() }))
    return DemoRun(outcome: outcome, files: try readFiles(in: out))
}

/// Every regular file directly inside `folder`, by name; empty when the folder does not exist.
func readFiles(in folder: URL) throws -> [String: Data] {
    guard FileManager.default.fileExists(atPath: folder.path) else { return [:] }
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
        files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
    }
    return files
}

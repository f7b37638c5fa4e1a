import Foundation
import Reconciliation
import Testing

/// docs/diagnostics.md is the user's reference: every code has a section whose heading
/// states the severity the engine gives it.
@Test func everyCodeIsDocumentedWithItsSeverity() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let text = try String(contentsOf: root.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
    let headings = Set(text.split(separator: "\n").filter { $0.hasPrefix("### ") }.map(String.init))
    for code in DiagnosticCode.catalogue {
        #expect(headings.contains("### \(code.rawValue) — \(code.severity.rawValue)"), "\(code.rawValue)")
    }
    #expect(headings.count == DiagnosticCode.catalogue.count)
}

import ExternalTools
import Foundation
import Reconciliation
import Testing
@testable import Reports

/// report.json checked by a JSON Schema validator the project did not write: the Python
/// `jsonschema` library (Draft 2020-12, as the schema declares), on fresh renderings and on the
/// golden demo report.
@Suite struct SchemaInteropTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The errors `jsonschema` finds in the report at `path` (empty: valid).
    func validate(_ path: String) throws -> [String] {
        let result = try Python.run([
            "import json, sys",
            "from jsonschema import Draft202012Validator",
            "schema = json.load(open(sys.argv[1]))",
            "Draft202012Validator.check_schema(schema)",
            "report = json.load(open(sys.argv[2]))",
            "for e in sorted(Draft202012Validator(schema).iter_errors(report), key=lambda e: list(e.path)):",
            "    print('/'.join(str(p) for p in e.path) + ': ' + e.message)",
        ], arguments: [Self.root.appendingPathComponent("schemas/report.schema.json").path, path])
        #expect(result.status == 0, "jsonschema could not run: \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    func write(_ result: ReconciliationResult, run info: RunInfo) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).json").path
        let report = try #require(ReportRenderer.render(result, run: info).first { $0.name == "report.json" })
        try Data(report.bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func renderedReportsValidate() throws {
        var withOpenItems = run
        withOpenItems.openItems = OpenItems.compare(previous: [], result: sampleResult, asOf: run.asOf)
        for (result, info) in [(sampleResult, run), (emptyResult, run), (reconcile(EngineSample.input), run), (sampleResult, withOpenItems)] {
            let path = try write(result, run: info)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(try validate(path) == [])
        }
    }

    @Test func theGoldenDemoReportValidates() throws {
        #expect(try validate(Self.root.appendingPathComponent("samples/reports/report.json").path) == [])
    }

    @Test func aBrokenReportIsCaught() throws {
        let path = try write(sampleResult, run: run)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["schema_version"] = "1"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        let errors = try validate(path)
        #expect(errors == ["schema_version: '1' is not of type 'integer'", "schema_version: '1' is not one of [1]"], "\(errors)")
    }
}

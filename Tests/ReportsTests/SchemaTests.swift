import Foundation
import Reconciliation
import ReportSchemaCheck
import Testing
@testable import Reports

/// schemas/report.schema.json, read from the repository (tests run from a checkout).
func loadSchema() throws -> SchemaValidator {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let data = try Data(contentsOf: root.appendingPathComponent("schemas/report.schema.json"))
    return SchemaValidator(root: try JSONDecoder().decode(JSONNode.self, from: data))
}

func reportNode(_ result: ReconciliationResult) throws -> JSONNode {
    try JSONNode.parse(file("report.json", in: ReportRenderer.render(result, run: run)).bytes)
}

/// `node` with the value at `path` replaced (nil removes it). Path items are keys or indices.
func replacing(_ node: JSONNode, at path: [any Sendable], with value: JSONNode?) -> JSONNode {
    guard let head = path.first else { return value ?? .null }
    let rest = Array(path.dropFirst())
    switch (node, head) {
    case (.object(var o), let key as String):
        if rest.isEmpty, value == nil { o[key] = nil } else { o[key] = replacing(o[key] ?? .null, at: rest, with: value) }
        return .object(o)
    case (.array(var a), let i as Int) where a.indices.contains(i):
        a[i] = replacing(a[i], at: rest, with: value)
        return .array(a)
    default:
        return node
    }
}

@Suite struct SchemaTests {
    @Test func renderedReportsValidate() throws {
        let schema = try loadSchema()
        #expect(schema.validate(try reportNode(sampleResult)) == [])
        #expect(schema.validate(try reportNode(emptyResult)) == [])
        #expect(schema.validate(try reportNode(reconcile(EngineSample.input))) == [])
    }

    @Test func theEngineSampleCoversWhatTheSchemaConstrains() throws {
        // Guards the test above against validating a trivial report.
        let node = try reportNode(reconcile(EngineSample.input))
        guard case .array(let diagnostics)? = node["diagnostics"] else {
            Issue.record("no diagnostics")
            return
        }
        let codes = Set(diagnostics.compactMap { d -> String? in if case .string(let c)? = d["code"] { c } else { nil } })
        #expect(codes.isSuperset(of: ["RECORD_UNREADABLE", "TXN_UNLINKED", "TXN_AMBIGUOUS_MATCH", "PAYOUT_EMPTY",
                                      "PAYOUT_FAILED", "PAYOUT_CURRENCY_MISMATCH", "TXN_INVOICE_NOT_FOUND",
                                      "PAYMENT_REQUEST_PAID_WITHOUT_PAYMENT"]))
    }

    @Test(arguments: [
        ("missing top-level key", ["summary"] as [any Sendable], nil as JSONNode?, "$: missing required key summary"),
        ("missing nested key", ["run", "as_of"], nil, "$.run: missing required key as_of"),
        ("count as a string", ["payouts", 0, "diagnostics"], .string("2"), "$.payouts[0].diagnostics: string is not integer"),
        ("boolean as a number", ["payouts", 0, "lines", 0, "counted_in_amount"], .int(1),
         "$.payouts[0].lines[0].counted_in_amount: integer is not boolean"),
        ("unknown key", ["run", "client_secret"], .string("x"), "$.run: unexpected key client_secret"),
        ("unknown code", ["diagnostics", 0, "code"], .string("NOT_A_CODE"),
         #"$.diagnostics[0].code: "NOT_A_CODE" is not one of ["#),
        ("negative count", ["summary", "payouts"], .int(-1), "$.summary.payouts: -1 is below the minimum 0"),
        ("decimal with a comma", ["payouts", 0, "amount", "decimal"], .string("1,475.00"),
         #"$.payouts[0].amount.decimal: "1,475.00" does not match"#),
        ("null where required", ["payouts", 0, "amount"], .null, "$.payouts[0].amount: null is not object"),
        ("lowercase currency", ["payouts", 0, "currency"], .string("usd"), #"$.payouts[0].currency: "usd" does not match"#),
        ("wrong schema version", ["schema_version"], .int(2), "$.schema_version: 2 is not one of [1]"),
        ("resolved is not a diagnostic's status", ["diagnostics", 0, "status"], .string("resolved"),
         #"$.diagnostics[0].status: "resolved" is not one of ["#),
        ("missing open_items", ["open_items"], nil, "$: missing required key open_items"),
    ])
    func brokenReportsDoNotValidate(_ what: String, _ path: [any Sendable], _ value: JSONNode?, _ error: String) throws {
        let schema = try loadSchema()
        let broken = replacing(try reportNode(sampleResult), at: path, with: value)
        let errors = schema.validate(broken)
        #expect(errors.count == 1, "\(what): \(errors)")
        #expect(errors.first?.hasPrefix(error) == true, "\(what): \(errors)")
    }

    @Test func theValidatorRejectsKeywordsItDoesNotImplement() {
        let schema = SchemaValidator(root: .object(["type": .string("object"), "minProperties": .int(1)]))
        #expect(schema.validate(.object([:])) == ["$: schema keyword minProperties is not supported by the test validator"])
    }

    @Test func schemaEnumsMatchTheEngine() throws {
        let root = try loadSchema().root
        func strings(_ node: JSONNode?) -> [String] {
            guard case .array(let a)? = node else { return [] }
            return a.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        let defs = root["$defs"]
        #expect(strings(defs?["diagnostic"]?["properties"]?["code"]?["enum"]) == DiagnosticCode.allCases.map(\.rawValue))
        #expect(strings(defs?["diagnostic"]?["properties"]?["severity"]?["enum"]) == Severity.allCases.map(\.rawValue))
        #expect(strings(defs?["line"]?["properties"]?["match"]?["enum"]) == MatchRuleKind.allCases.map(\.rawValue))
        #expect(strings(defs?["invoice"]?["properties"]?["state"]?["enum"]) == SettlementState.allCases.map(\.rawValue))
        #expect(strings(root["properties"]?["summary"]?["properties"]?["diagnostics_by_code"]?["required"])
                == DiagnosticCode.allCases.map(\.rawValue).sorted())
    }
}

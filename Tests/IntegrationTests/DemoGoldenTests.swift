import APSandbox
import Foundation
import ReconcileDemo
import Reconciliation
import ReportSchemaCheck
import Testing

/// `ap-reconcile-demo` with its defaults must reproduce the expected reports committed under
/// samples/reports/ byte for byte, and the sample data must show every diagnostic code.
@Suite struct DemoGoldenTests {
    static let reportFiles = ["bank.csv", "diagnostics.csv", "invoices.csv", "manifest.json", "payouts.csv", "report.html", "report.json", "transactions.csv"]

    @Test func theDemoReproducesTheExpectedReports() async throws {
        let expected = try readFiles(in: expectedReportsFolder)
        #expect(expected.keys.sorted() == Self.reportFiles,
                "samples/reports/ should hold exactly the eight report files; regenerate it: \(regenerateCommand)")
        let run = try await runDemo()
        #expect(run.outcome.run.status == .clean, "\(run.outcome.run.headline)")
        #expect(run.files.keys.sorted() == Self.reportFiles)
        #expect(run.outcome.summary.hasSuffix("/reports/report.html in a browser for the overview.\n"))
        for name in Self.reportFiles {
            if let problem = difference(run.files[name], expected[name]) {
                let message = "samples/reports/\(name) differs from what the demo writes now: \(problem). "
                    + "If the change is intended, regenerate the expected reports: \(regenerateCommand)"
                Issue.record(Comment(rawValue: message))
            }
        }
    }

    @Test func theSampleDataShowsEveryDiagnosticCode() async throws {
        let run = try await runDemo()
        let result = try #require(run.outcome.run.result, "\(run.outcome.run.headline)")
        // AMOUNT_OVERFLOW needs amounts near 2^63 minor units: no believable sample shows it. The
        // demo's statements (samples/bank/camt.053) credit no failed payout, leave no payout two
        // candidates and are all readable, so those three bank codes are shown by BankRunTests
        // and the matching tests instead.
        let catalogue = Set(DiagnosticCode.allCases).subtracting([.amountOverflow, .payoutFailedButCredited, .bankMatchAmbiguous, .bankEntryUnreadable])
        #expect(Set(result.diagnostics.map(\.code)) == catalogue)

        var counts: [String: Int] = [:]
        for d in result.diagnostics { counts[d.code.rawValue, default: 0] += 1 }
        #expect(counts == [
            "INVOICE_DUPLICATE_PAYMENT": 1, "INVOICE_LINE_ITEMS_MISMATCH": 1, "INVOICE_OVERPAID": 1,
            "INVOICE_PAID_WITHOUT_PAYMENT": 1, "INVOICE_PARTIALLY_PAID": 1, "INVOICE_PAYMENT_NOT_PAID_OUT": 1,
            "INVOICE_STATUS_STALE": 1, "INVOICE_UNDERPAID": 1, "PAYMENT_REQUEST_PAID_WITHOUT_PAYMENT": 1,
            "PAYMENT_REQUEST_STATUS_STALE": 1, "PAYOUT_AMOUNT_MISMATCH": 3, "PAYOUT_CURRENCY_MISMATCH": 1,
            "PAYOUT_EMPTY": 1, "PAYOUT_FAILED": 1, "RECORD_UNREADABLE": 2, "REFUND_WITHOUT_PAYMENT": 1,
            "TXN_AMBIGUOUS_MATCH": 1, "TXN_AMOUNT_MISMATCH": 1, "TXN_CURRENCY_MISMATCH": 1,
            "TXN_INVOICE_NOT_FOUND": 1, "TXN_IN_MULTIPLE_PAYOUTS": 1, "TXN_NOT_SUCCEEDED": 1,
            "TXN_PAYMENT_REQUEST_NOT_FOUND": 1, "TXN_SUGGESTED_MATCH": 1, "TXN_UNLINKED": 2,
            "PAYOUT_NOT_IN_BANK": 1, "PAYOUT_BANK_AMOUNT_MISMATCH": 1, "BANK_CREDIT_UNMATCHED": 1, "BANK_STATEMENT_GAP": 1,
        ])
        #expect(result.summary.diagnosticsBySeverity == [.error: 20, .warning: 11, .info: 2])
        #expect(result.summary.payoutCount == 14)
        #expect(result.summary.lineCount == 47)

        // the original four payouts reconcile cleanly; po_4002 never reached the bank
        for id in ["po_4001", "po_4002", "po_4003", "po_4004"] {
            let bankCodes = result.diagnostics.filter { $0.payoutID == id && DiagnosticCode.bankCases.contains($0.code) }.map(\.code)
            #expect(bankCodes == (id == "po_4002" ? [.payoutNotInBank] : []), "\(id)")
        }
        for id in ["po_4001", "po_4003", "po_4004"] {
            let payout = try #require(result.payouts.first { $0.payout.id == id })
            #expect(payout.diagnosticCount == 0, "\(id)")
            #expect(payout.difference == 0, "\(id)")
        }
    }

    @Test func aSecondRunWritesTheSameBytes() async throws {
        let first = try await runDemo()
        let second = try await runDemo()
        #expect(first.files.keys.sorted() == Self.reportFiles)
        for name in Self.reportFiles {
            #expect(difference(second.files[name], first.files[name]) == nil, "\(name)")
        }
    }

    /// The provider's two page shapes (openapi `data` + cursors, the guide's `pagination`) carry
    /// the same records, so they must give the same reports: the expected ones.
    @Test func bothPageShapesGiveTheSameBytes() async throws {
        let openapi = try await runDemo(pageShape: .openapi)
        let guide = try await runDemo(pageShape: .guide)
        let expected = try readFiles(in: expectedReportsFolder)
        #expect(openapi.files.keys.sorted() == Self.reportFiles)
        for name in Self.reportFiles {
            #expect(difference(guide.files[name], openapi.files[name]) == nil, "\(name): guide vs openapi")
            #expect(difference(openapi.files[name], expected[name]) == nil,
                    "\(name): openapi vs samples/reports; regenerate: \(regenerateCommand)")
        }
    }

    @Test func theDemoReportMatchesTheSchema() async throws {
        let schemaData = try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/report.schema.json"))
        let validator = SchemaValidator(root: try JSONNode.parse(Array(schemaData)))
        let run = try await runDemo()
        let report = try JSONNode.parse(Array(try #require(run.files["report.json"])))
        #expect(validator.validate(report) == [])
        // the schema check is not vacuous: the same report with a code outside the catalogue fails
        guard case .object(var top) = report, case .array(var diagnostics)? = top["diagnostics"],
              case .object(var first)? = diagnostics.first else {
            Issue.record("report.json has no diagnostics array")
            return
        }
        first["code"] = .string("NOT_A_CODE")
        diagnostics[0] = .object(first)
        top["diagnostics"] = .array(diagnostics)
        #expect(validator.validate(.object(top)).count == 1)
    }
}

/// Nil when both are present and equal; otherwise where they first differ, for a failure message.
func difference(_ actual: Data?, _ expected: Data?) -> String? {
    guard let actual else { return "the demo did not write it" }
    guard let expected else { return "there is no expected copy" }
    guard actual != expected else { return nil }
    let a = Array(actual), e = Array(expected)
    let common = min(a.count, e.count)
    let at = (0..<common).first { a[$0] != e[$0] } ?? common
    let line = e[..<min(at, e.count)].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    func excerpt(_ bytes: [UInt8]) -> String {
        String(decoding: bytes[min(at, bytes.count)..<min(at + 60, bytes.count)], as: UTF8.self).debugDescription
    }
    return "\(a.count) bytes written, \(e.count) expected; first difference at byte \(at) (line \(line)): "
        + "written \(excerpt(a)), expected \(excerpt(e))"
}

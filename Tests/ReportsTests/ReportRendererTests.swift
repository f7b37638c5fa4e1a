import APModels
import Crypto
import Reconciliation
import ReportSchemaCheck
import Testing
@testable import Reports

@Suite struct ReportRendererTests {
    @Test func rendersTheSevenFilesInOrderWithTheManifestLast() {
        let files = ReportRenderer.render(sampleResult, run: run)
        #expect(files.map(\.name) == ["report.json", "payouts.csv", "transactions.csv", "invoices.csv",
                                      "diagnostics.csv", "report.html", "bank.csv", "manifest.json"])
        #expect(files.map(\.name) == ReportRenderer.fileNames)
        #expect(files.map(\.rowCount) == [3, 3, 5, 2, 3, 3, 0, 7])
    }

    @Test func renderingTwiceGivesIdenticalBytes() {
        #expect(ReportRenderer.render(sampleResult, run: run) == ReportRenderer.render(sampleResult, run: run))
        // The same run facts in dictionaries built in another order and capacity.
        var other = run
        var requests: [String: Int] = [:]
        requests.reserveCapacity(100)
        for key in run.requestsByEndpoint.keys.sorted().reversed() { requests[key] = run.requestsByEndpoint[key] }
        other.requestsByEndpoint = requests
        #expect(ReportRenderer.render(sampleResult, run: other) == ReportRenderer.render(sampleResult, run: run))
    }

    @Test func reconcilingAndRenderingTwiceGivesIdenticalBytes() {
        let input = EngineSample.input
        let a = ReportRenderer.render(reconcile(input), run: run)
        let b = ReportRenderer.render(reconcile(input), run: run)
        #expect(a == b)
        #expect(file("report.json", in: a).rowCount > 0)
    }

    @Test func sha256HexMatchesTheStandardTestVector() {
        #expect(Manifest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Manifest.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func manifestListsEachFilesDigestSizeAndRows() throws {
        let files = ReportRenderer.render(sampleResult, run: run)
        let manifest = try JSONNode.parse(file("manifest.json", in: files).bytes)
        guard case .array(let entries)? = manifest["files"] else {
            Issue.record("manifest has no files list")
            return
        }
        #expect(entries.count == 7)
        for (entry, f) in zip(entries, files.dropLast()) {
            let digest = SHA256.hash(data: f.bytes).map { byte in
                String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
            }.joined()
            #expect(entry["name"] == .string(f.name))
            #expect(entry["sha256"] == .string(digest))
            #expect(entry["bytes"] == .int(Int64(f.bytes.count)))
            #expect(entry["rows"] == .int(Int64(f.rowCount)))
        }
    }

    @Test func manifestBytes() {
        let files = [
            ReportFile(name: "a.csv", bytes: Array("abc".utf8), rowCount: 1),
            ReportFile(name: "é.json", bytes: [], rowCount: 0),
        ]
        let expected = """
        {
          "schema_version": 1,
          "tool_version": "0.3.0",
          "as_of": "2024-01-11T06:00:00Z",
          "files": [
            {
              "name": "a.csv",
              "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
              "bytes": 3,
              "rows": 1
            },
            {
              "name": "é.json",
              "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
              "bytes": 0,
              "rows": 0
            }
          ]
        }

        """
        let manifest = Manifest.render(files, run: run)
        #expect(manifest.name == "manifest.json")
        #expect(manifest.rowCount == 2)
        #expect(text(manifest.bytes) == expected)
    }

    @Test func emptyReportJSON() {
        let f = file("report.json", in: ReportRenderer.render(emptyResult, run: run))
        #expect(f.rowCount == 0)
        #expect(text(f.bytes) == Golden.emptyReport)
    }

    @Test func sampleReportJSON() {
        let f = file("report.json", in: ReportRenderer.render(sampleResult, run: run))
        #expect(f.rowCount == 3)
        #expect(text(f.bytes) == Golden.sampleReport)
    }

    @Test func reportJSONNeverCarriesCredentialsFromTheRun() {
        // The renderer prints what RunInfo holds and nothing else: no environment, no headers.
        let bytes = text(file("report.json", in: ReportRenderer.render(sampleResult, run: run)).bytes)
        #expect(!bytes.contains("Authorization"))
        #expect(!bytes.contains("Bearer"))
        #expect(!bytes.contains("secret"))
    }

    @Test func reportJSONParsesBackToTheSameValues() throws {
        let node = try JSONNode.parse(file("report.json", in: ReportRenderer.render(sampleResult, run: run)).bytes)
        #expect(node["payouts"]?[0]?["lines"]?[0]?["invoice_id"] == .string("inv_\"q\""))
        #expect(node["payouts"]?[1]?["lines"]?[0]?["customer_id"] == .string("日本語"))
        #expect(node["payouts"]?[0]?["lines"]?[1]?["status"] == .string("\r=x"))
        #expect(node["payouts"]?[2]?["amount"] == .object(["minor": .int(-1500), "decimal": .string("-1.500")]))
        #expect(node["diagnostics"]?[1]?["raw_json"] == .string(#"{"amount":"12.5","id":"txn_bad"}"#))
        #expect(node["diagnostics"]?[0]?["delta"] == .int(-1250))
        #expect(node["diagnostics"]?[0]?["delta_decimal"] == .string("-12.50"))
        #expect(node["summary"]?["currencies"]?[2]?["outbound"] == .null)
        #expect(node["run"]?["requests_total"] == .int(7))
        #expect(node["run"]?["retries_total"] == .int(1))
    }
}

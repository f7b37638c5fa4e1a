import APSandbox
import Foundation
import Testing

@Suite struct DatasetTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-dataset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func sameSeedGivesIdenticalBytes() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory(), c = try temporaryDirectory()
        defer { for url in [a, b, c] { try? FileManager.default.removeItem(at: url) } }
        try SandboxDataset.generate(seed: 5, payouts: 4, linesPerPayout: 5).write(to: a)
        try SandboxDataset.generate(seed: 5, payouts: 4, linesPerPayout: 5).write(to: b)
        try SandboxDataset.generate(seed: 6, payouts: 4, linesPerPayout: 5).write(to: c)
        for file in SandboxDataset.File.allCases {
            let bytesA = try Data(contentsOf: a.appendingPathComponent(file.rawValue))
            let bytesB = try Data(contentsOf: b.appendingPathComponent(file.rawValue))
            #expect(bytesA == bytesB, "\(file.rawValue) differs between two runs with the same seed")
        }
        #expect(try Data(contentsOf: a.appendingPathComponent("invoices.json")) != Data(contentsOf: c.appendingPathComponent("invoices.json")))
        let reloaded = try SandboxDataset.load(directory: a)
        #expect(reloaded == SandboxDataset.generate(seed: 5, payouts: 4, linesPerPayout: 5))
    }

    @Test func generatedPayoutsBalance() throws {
        let dataset = SandboxDataset.generate(seed: 11, invoices: 15, payouts: 4, linesPerPayout: 6)
        #expect(dataset.payouts.count == 4)
        #expect(dataset.transactions.count == 24)
        for payout in dataset.payouts {
            let lines = (payout["lines"]?.arrayValue ?? []).compactMap(\.objectValue)
            #expect(lines.count == 6)
            let net = lines.reduce(Int64(0)) { sum, line in
                let amount = line["amount"]?.minorUnits ?? 0
                return line.string("direction") == "outbound" ? sum - amount : sum + amount
            }
            #expect(payout["amount"]?.minorUnits == net)
        }
        // 4 payouts × 5 payment lines = 20 payments: 15 pay invoices, 5 pay payment requests.
        #expect(dataset.invoices.allSatisfy { $0.string("status") == "PAID" })
        #expect(dataset.paymentRequests.count == 5)
        #expect(dataset.payouts.first?.string("created_at") == "2024-01-02T00:00:00Z")
    }

    @Test func badJSONNamesTheFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("[{\"id\": \"p1\",}]".utf8).write(to: dir.appendingPathComponent("payouts.json"))
        let error = #expect(throws: SandboxDatasetError.self) { try SandboxDataset.load(directory: dir) }
        #expect(error?.file == dir.appendingPathComponent("payouts.json").path)
        #expect(error?.problem == "not valid JSON at byte 13: expected a string key")
        #expect(error?.description.hasPrefix("dataset file \(dir.path)/payouts.json: ") == true)
    }

    @Test func shapeProblemsNameTheFileAndRecord() throws {
        let cases: [(String, String, String)] = [
            ("invoices.json", #"{"id":"inv_1"}"#, "must hold a JSON array of objects at the top level"),
            ("transactions.json", #"[{"amount":5}]"#, "element 0 has no string \"id\""),
            ("customers.json", #"[{"id":"c"},{"id":"c"}]"#, "id \"c\" appears twice (element 1)"),
            ("payouts.json", #"[{"id":"p","lines":{}}]"#, "record \"p\": \"lines\" must be an array of objects"),
            ("payment_requests.json", #"[1]"#, "element 0 is not a JSON object"),
        ]
        for (file, text, problem) in cases {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            try Data(text.utf8).write(to: dir.appendingPathComponent(file))
            let error = #expect(throws: SandboxDatasetError.self) { try SandboxDataset.load(directory: dir) }
            #expect(error?.file.hasSuffix("/" + file) == true)
            #expect(error?.problem == problem)
        }
    }

    @Test func missingDirectoryAndMissingFiles() throws {
        let error = #expect(throws: SandboxDatasetError.self) { try SandboxDataset.load(directory: URL(fileURLWithPath: "/nonexistent/sbx")) }
        #expect(error?.problem.hasPrefix("is not a directory") == true)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try SandboxDataset.load(directory: dir) == .empty)
    }

    @Test func jsonKeepsOrderAndLiterals() throws {
        let text = #"{"b":1,"a":[12.5,"5000",-3e2,null,true],"c":"\u00e9\n"}"#
        let value = try JSON.parse(text)
        #expect(value.compactString == #"{"b":1,"a":[12.5,"5000",-3e2,null,true],"c":"é\n"}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(JSON.string("5000").minorUnits == 5000)
        #expect(JSON.number("12.5").minorUnits == nil)
        #expect(JSON.string("abc").minorUnits == nil)
        #expect(JSON.number("99999999999999999999").minorUnits == nil)
        #expect(throws: JSONParseError.self) { try JSON.parse("[01]") }
        #expect(throws: JSONParseError.self) { try JSON.parse(String(repeating: "[", count: 300) + String(repeating: "]", count: 300)) }
    }
}

@testable import APSandbox
import Foundation
import Testing

/// The generator's shape options: net terms, an invoice history no line pays, a long tail.
@Suite struct DatasetShapeTests {
    static let start: Int64 = 1_704_067_200
    static let day: Int64 = 86_400

    /// FNV-1a 64 of a file's bytes: a fingerprint that pins bytes without storing them.
    static func fingerprint(_ data: Data) -> UInt64 {
        data.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func fingerprints(_ dataset: SandboxDataset) throws -> [String: UInt64] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-shape-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try dataset.write(to: dir)
        var result: [String: UInt64] = [:]
        for file in SandboxDataset.File.allCases {
            result[file.rawValue] = fingerprint(try Data(contentsOf: dir.appendingPathComponent(file.rawValue)))
        }
        return result
    }

    static func time(_ record: JSONObject) -> Int64? { record.string("created_at").flatMap { SandboxTime.parse($0) } }

    /// (invoice id, created_at of the payment line that pays it) for every linked invoice.
    static func payments(_ dataset: SandboxDataset) -> [String: Int64] {
        var result: [String: Int64] = [:]
        for payout in dataset.payouts {
            for line in (payout["lines"]?.arrayValue ?? []).compactMap(\.objectValue) {
                if let invoice = line.string("invoice_id"), let paid = time(line) { result[invoice] = paid }
            }
        }
        return result
    }

    @Test func thePlainShapeKeepsTheBytesItHadBeforeShapesExisted() throws {
        // Written by the generator before DatasetShape existed (seed 5, 12 invoices, 4 × 5 lines).
        let before: [String: UInt64] = [
            "customers.json": 0x1009_c87f_31b9_154a, "invoices.json": 0x18f6_6b7b_1dcc_673d,
            "payment_requests.json": 0xeef9_e54c_edff_e1a4, "payouts.json": 0x0a7e_e2f2_bc2d_17f5,
            "transactions.json": 0x3775_48bd_432f_ea33,
        ]
        #expect(try Self.fingerprints(SandboxDataset.generate(seed: 5, invoices: 12, payouts: 4, linesPerPayout: 5)) == before)
        #expect(try Self.fingerprints(SandboxDataset.generate(seed: 5, invoices: 12, payouts: 4, linesPerPayout: 5, shape: .plain)) == before)
    }

    @Test func netTermsPutEveryLinkedInvoiceInItsLeadRangeBeforeItsPayment() throws {
        let shape = DatasetShape(invoiceLeadDays: 30...60)
        let dataset = SandboxDataset.generate(seed: 3, customers: 5, invoices: 40, payouts: 5, linesPerPayout: 10, shape: shape)
        let plain = SandboxDataset.generate(seed: 3, customers: 5, invoices: 40, payouts: 5, linesPerPayout: 10)
        let payments = Self.payments(dataset)
        #expect(payments.count == 40)
        #expect(dataset.invoices.count == 40)
        for invoice in dataset.invoices {
            let id = try #require(invoice.string("id"))
            let paid = try #require(payments[id], "\(id) is paid by no line")
            let created = try #require(Self.time(invoice))
            #expect((30 * Self.day...60 * Self.day).contains(paid - created), "\(id): created \(paid - created) s before its payment")
        }
        // Only times move: ids, customers, amounts and payouts stay those of the plain shape.
        #expect(dataset.invoices.map { $0.string("id") } == plain.invoices.map { $0.string("id") })
        #expect(dataset.invoices.map { $0["amount"] } == plain.invoices.map { $0["amount"] })
        #expect(dataset.invoices.map { $0.string("customer_id") } == plain.invoices.map { $0.string("customer_id") })
        #expect(dataset.payouts == plain.payouts)
        #expect(dataset.customers == plain.customers)
    }

    @Test func historyInvoicesAreOlderThanTheStartAndNoLinePaysThem() throws {
        let shape = DatasetShape(historyInvoices: 500, historyAgeDays: 100...200)
        let dataset = SandboxDataset.generate(seed: 8, customers: 5, invoices: 40, payouts: 5, linesPerPayout: 10, shape: shape)
        #expect(dataset.invoices.count == 540)
        let history = Array(dataset.invoices.dropFirst(40))
        #expect(history.first?.string("id") == "inv_00041")
        #expect(history.last?.string("id") == "inv_00540")
        let paid = Set(Self.payments(dataset).keys)
        #expect(paid.count == 40)
        for invoice in history {
            let id = try #require(invoice.string("id"))
            #expect(!paid.contains(id))
            let created = try #require(Self.time(invoice))
            #expect((Self.start - 200 * Self.day...Self.start - 100 * Self.day).contains(created), "\(id) created at \(created)")
            #expect(invoice["amount"]?.minorUnits == invoice["line_items"]?.arrayValue?.first?.objectValue?["amount"]?.minorUnits)
        }
        var statuses: [String: Int] = [:]
        for invoice in history { statuses[invoice.string("status") ?? "?", default: 0] += 1 }
        #expect(statuses == ["PAID": 288, "OPEN": 60, "OVERDUE": 79, "VOID": 54, "DRAFT": 10, "UNCOLLECTIBLE": 9])
    }

    @Test func theLongTailTakesItsShareOfLinkedInvoices() throws {
        let shape = DatasetShape(invoiceLeadDays: 20...60, historyInvoices: 10, tailPerMille: 50)
        let dataset = SandboxDataset.generate(seed: 2, customers: 30, invoices: 2000, payouts: 25, linesPerPayout: 81, shape: shape)
        let payments = Self.payments(dataset)
        #expect(payments.count == 2000)
        var tail = 0, net = 0
        for invoice in dataset.invoices.prefix(2000) {
            let id = try #require(invoice.string("id"))
            let lead = try #require(payments[id]) - (try #require(Self.time(invoice)))
            if (365 * Self.day...1095 * Self.day).contains(lead) {
                tail += 1
            } else {
                #expect((20 * Self.day...60 * Self.day).contains(lead), "\(id): created \(lead) s before its payment")
                net += 1
            }
        }
        // One draw per invoice at 50 per mille: 89 of 2,000 for this seed.
        #expect(tail == 89)
        #expect(net == 1911)
    }

    @Test func payoutSpacingPutsPayoutsWhereAsked() {
        let dataset = SandboxDataset.generate(seed: 1, invoices: 10, payouts: 3, linesPerPayout: 2,
                                              shape: DatasetShape(payoutSpacingSeconds: 2_592))
        #expect(dataset.payouts.map { $0.string("created_at") } == ["2024-01-01T00:43:12Z", "2024-01-01T01:26:24Z", "2024-01-01T02:09:36Z"])
    }

    @Test func aShapedDatasetHasTheSameBytesForTheSameSeed() throws {
        let shape = DatasetShape(invoiceLeadDays: 20...60, historyInvoices: 50, historyAgeDays: 1...900, tailPerMille: 100)
        let a = try Self.fingerprints(SandboxDataset.generate(seed: 9, invoices: 30, payouts: 4, linesPerPayout: 9, shape: shape))
        let b = try Self.fingerprints(SandboxDataset.generate(seed: 9, invoices: 30, payouts: 4, linesPerPayout: 9, shape: shape))
        let c = try Self.fingerprints(SandboxDataset.generate(seed: 10, invoices: 30, payouts: 4, linesPerPayout: 9, shape: shape))
        #expect(a == b)
        #expect(a["invoices.json"] != c["invoices.json"])
        #expect(a["invoices.json"] == 7_581_381_367_718_419_287)
    }

    @Test func aCreatedAtWindowOverTheHistoryListsWhatAScanFinds() {
        // History ids follow the linked ones but their times lie before them all: the list
        // order (created_at, then id) must still hold, with and without a status filter.
        let shape = DatasetShape(invoiceLeadDays: 20...60, historyInvoices: 2_000, historyAgeDays: 1...400, tailPerMille: 100)
        let dataset = SandboxDataset.generate(seed: 4, customers: 5, invoices: 90, payouts: 10, linesPerPayout: 10, shape: shape)
        var table = RecordTable(dataset.invoices)
        let windows: [(Int64?, Int64?)] = [(Self.start - 60 * Self.day, Self.start - 1), (Self.start - 400 * Self.day, Self.start - 200 * Self.day),
                                         (Self.start - 30 * Self.day, Self.start + 5 * Self.day)]
        var counts: [Int] = []
        for (n, window) in windows.enumerated() {
            for status in [nil, "VOID"] as [String?] {
                let include: (JSONObject) -> Bool = { record in status.map { record.string("status") == $0 } ?? true }
                let bySearch = table.sorted(query: ["n": "\(n)", "status": status ?? ""], createdAt: window, where: include).compactMap(\.id)
                let byScan = table.sorted { include($0) && SandboxStore.inWindow($0.string("created_at"), window) }.compactMap(\.id)
                #expect(bySearch == byScan)
                counts.append(bySearch.count)
            }
        }
        #expect(counts == [389, 36, 1005, 83, 185, 15])
    }

    @Test func aStartBeforeTheHistoryStillGenerates() {
        // History reaching before 1970 gives negative times; the generator must not trap on them.
        let dataset = SandboxDataset.generate(seed: 1, invoices: 2, payouts: 1, linesPerPayout: 3,
                                              start: Date(timeIntervalSince1970: 0),
                                              shape: DatasetShape(invoiceLeadDays: 5...9, historyInvoices: 3, historyAgeDays: 10...20))
        #expect(dataset.invoices.count == 5)
        #expect(dataset.invoices.compactMap { Self.time($0) }.filter { $0 < 0 }.count == 5)
    }
}

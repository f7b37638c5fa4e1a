import APSandbox
import Testing

@Suite struct PagingTests {
    static let dataset = SandboxDataset.generate(seed: 42, customers: 5, invoices: 30, payouts: 105, linesPerPayout: 10)

    @Test func walksOverAThousandRecordsWithCursors() async throws {
        #expect(Self.dataset.transactions.count == 1050)
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        var ids: [String] = []
        var createdAt: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let reply = try await sandbox.get("/payments?limit=100" + (cursor.map { "&after=\($0)" } ?? ""))
            #expect(reply.status == 200)
            let page = try reply.object()
            let data = try #require(page.array("data"))
            ids += data.compactMap(\.id)
            createdAt += data.compactMap { $0.string("created_at") }
            #expect(page["has_previous_page"] == .bool(pages > 0))
            pages += 1
            cursor = page["has_next_page"] == .bool(true) ? page.string("end_cursor") : nil
        } while cursor != nil && pages < 20
        #expect(pages == 11)
        #expect(ids.count == 1050)
        #expect(Set(ids).count == 1050)
        #expect(createdAt == createdAt.sorted())
        #expect(sandbox.server.stats().requestsByRoute["GET /payments"] == 11)
        await sandbox.stop()
    }

    @Test func beforeCursorPagesBackwards() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let first = try await sandbox.get("/payouts?limit=3").object()
        let second = try await sandbox.get("/payouts?limit=3&after=\(try #require(first.string("end_cursor")))").object()
        #expect(second.array("data")?.compactMap(\.id) == ["pout_00004", "pout_00005", "pout_00006"])
        let back = try await sandbox.get("/payouts?limit=3&before=\(try #require(second.string("start_cursor")))").object()
        #expect(back.array("data")?.compactMap(\.id) == ["pout_00001", "pout_00002", "pout_00003"])
        #expect(back["has_previous_page"] == .bool(false))
        #expect(back["has_next_page"] == .bool(true))
        await sandbox.stop()
    }

    @Test func guideShapeUsesPaginationAndTheTransactionsKey() async throws {
        let sandbox = try await SandboxHarness.start(SandboxConfiguration(pageShape: .guide, environment: [:]), dataset: Self.dataset)
        let payouts = try await sandbox.get("/payouts?limit=2").object()
        #expect(payouts.keys == ["data", "pagination"])
        let pagination = try #require(payouts["pagination"]?.objectValue)
        #expect(pagination.keys == ["has_next_page", "end_cursor"])
        #expect(pagination["has_next_page"] == .bool(true))
        let lines = try await sandbox.get("/payouts/pout_00001/transactions").object()
        #expect(lines.keys == ["transactions", "pagination"])
        #expect(lines.array("transactions")?.count == 10)
        #expect(lines["pagination"]?.objectValue?["has_next_page"] == .bool(false))
        await sandbox.stop()
    }

    @Test func openapiShapeHasAllCursorFields() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let lines = try await sandbox.get("/payouts/pout_00001/transactions?limit=4").object()
        #expect(lines.keys == ["data", "has_next_page", "has_previous_page", "start_cursor", "end_cursor"])
        #expect(lines.array("data")?.count == 4)
        #expect(lines["has_next_page"] == .bool(true))
        await sandbox.stop()
    }

    @Test func alternatingSwitchesShapePerRequest() async throws {
        let sandbox = try await SandboxHarness.start(SandboxConfiguration(pageShape: .alternating, environment: [:]), dataset: Self.dataset)
        var shapes: [[String]] = []
        for _ in 0..<3 { shapes.append(try await sandbox.get("/payouts?limit=1").object().keys) }
        #expect(shapes == [["data", "has_next_page", "has_previous_page", "start_cursor", "end_cursor"], ["data", "pagination"],
                           ["data", "has_next_page", "has_previous_page", "start_cursor", "end_cursor"]])
        await sandbox.stop()
    }

    @Test func badCursorAndBadLimitAre400() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let cursor = try await sandbox.get("/payouts?after=garbage")
        #expect(cursor.status == 400)
        #expect(try cursor.object().string("code") == "invalid_cursor")
        let limit = try await sandbox.get("/payouts?limit=0")
        #expect(limit.status == 400)
        #expect(try limit.object()["validation_errors"]?.objectValue?.keys == ["limit"])
        let clamped = try await sandbox.get("/payments?limit=5000").object()
        #expect(clamped.array("data")?.count == 1000)
        await sandbox.stop()
    }
}

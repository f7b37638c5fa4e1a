import APModels
import Foundation
import Publishing
import Reconciliation
import Reports
import Synchronization
import Testing

/// The reports are rendered straight into the staging folder (ReportFiles + Publisher): the files
/// must be the bytes of the in-memory rendering, manifest.json must list their digests, and any
/// failure while writing must leave nothing published.
@Suite struct StreamedPublishTests {
    static let usd = Currency(code: "USD")!
    static let run = RunInfo(toolVersion: "0.3.0", baseURL: "https://api.example.test/v1",
                             window: ReportWindow(since: Timestamp(epochSeconds: 0), until: Timestamp(epochSeconds: 86_400 * 40)),
                             asOf: Timestamp(epochSeconds: 86_400 * 40))

    /// 40 payouts of 100 lines (report.json of a few MB: several chunks), an amount mismatch each.
    static let result: ReconciliationResult = {
        var input = ReconciliationInput(window: run.window)
        for p in 0..<40 {
            let id = "po_\(p)"
            input.payouts.append(.record(Payout(id: id, status: .succeeded, amount: Money(minorUnits: 1, currency: usd),
                                                createdAt: Timestamp(epochSeconds: Int64(3_600 + p * 86_400)))))
            input.payoutLines[id] = (0..<100).map { i in
                .record(PayoutTransaction(id: "t_\(p)_\(i)", status: .succeeded, amount: Money(minorUnits: Int64(100 + i), currency: usd),
                                          type: .fee, direction: .outbound, customerID: "cust \"\(i % 3)\""))
            }
        }
        return reconcile(input)
    }()

    func root() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("streamed-\(UUID().uuidString)").path
    }

    func bytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    func listing(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    @Test func publishedFilesAreTheInMemoryRenderingAndTheManifestListsTheirDigests() throws {
        let out = root() + "/out"
        let written = try Publisher.publish(ReportFiles.publication(Self.result, run: Self.run), to: out)

        let expected = ReportRenderer.render(Self.result, run: Self.run)
        #expect(expected.first { $0.name == "report.json" }.map { $0.bytes.count > 2 << 20 } == true)
        #expect(listing(out) == expected.map(\.name).sorted())
        for file in expected {
            #expect(bytes(out + "/" + file.name) == file.bytes, "\(file.name)")
            let mode = try FileManager.default.attributesOfItem(atPath: out + "/" + file.name)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
        }
        #expect(written.map(\.file) == expected.map(RenderedFile.init))
        #expect(written.map(\.file.name) == ReportRenderer.fileNames)
    }

    @Test func aStreamThatFailsPublishesNothingAndKeepsTheEarlierFiles() throws {
        let parent = root()
        let out = parent + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("earlier".utf8).write(to: URL(fileURLWithPath: out + "/report.json"))
        let full = PublishError(path: "/somewhere/report.json", reason: "no space left on the device")
        let files = [
            OutputFile(name: "payouts.csv", bytes: Array("new".utf8)),
            OutputFile(name: "report.json", streamed: StreamedContent { sink -> Int in
                try sink.write(Array(repeating: 65, count: 1 << 20))
                throw full
            }),
        ]
        do {
            try Publisher.publish(files, to: out)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "cannot write /somewhere/report.json: no space left on the device")
        }
        #expect(listing(out) == ["report.json"])
        #expect(bytes(out + "/report.json") == Array("earlier".utf8))
        #expect(listing(parent) == ["out"])
    }

    struct RendererBroke: Error, CustomStringConvertible {
        var description: String { "the renderer broke" }
    }

    @Test func anErrorThatIsNotTheDisksIsReportedAsTheFiles() {
        let parent = root()
        let files = [OutputFile(name: "report.json", streamed: StreamedContent { _ -> Int in throw RendererBroke() })]
        do {
            try Publisher.publish(files, to: parent + "/out")
            Issue.record("expected an error")
        } catch {
            #expect(error.path.hasPrefix(parent + "/.out.staging-"))
            #expect(error.path.hasSuffix("/report.json"))
            #expect(error.reason == "the renderer broke")
        }
        #expect(listing(parent).isEmpty)
    }

    @Test func aStopWhileRenderingPublishesNothing() async throws {
        let parent = root()
        // Which files were written when manifest.json's turn came.
        final class Seen: Sendable { let names = Mutex<[String]>([]) }
        let seen = Seen()
        var publication = ReportFiles.publication(Self.result, run: Self.run)
        let manifest = try #require(publication.closing)
        publication.closing = { written in
            seen.names.withLock { $0 = written.map(\.file.name) }
            return try manifest(written)
        }
        let task = Task { [publication] () -> PublishError? in
            withUnsafeCurrentTask { $0?.cancel() }
            do throws(PublishError) {
                try Publisher.publish(publication, to: parent + "/out")
                return nil
            } catch {
                return error
            }
        }
        let error = try #require(await task.value)
        // manifest.json, written last, checks for the stop before it is written.
        #expect(error.path.hasSuffix("/manifest.json"))
        #expect(listing(parent).isEmpty)
        #expect(seen.names.withLock { $0 } == Array(ReportRenderer.fileNames.dropLast()))
    }
}

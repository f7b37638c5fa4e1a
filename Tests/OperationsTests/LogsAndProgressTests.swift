import APModels
import Foundation
import Logging
import JobSettings
@testable import Operations
import RunPipeline
import Testing

@Suite struct LogsAndProgressTests {
    @Test func jsonLogLineExactBytes() throws {
        let line = JSONLogHandler.line(ts: Timestamp(epochSeconds: 1_700_000_000, nanoseconds: 42_000_000), level: .warning, label: "ap-reconcile",
                                       message: "run \"failed\"\nnext", metadata: ["exit": "69", "b": .array(["x", "y"]), "client_secret": "s3cr3t"])
        let text = String(decoding: line, as: UTF8.self)
        #expect(text == #"{"ts":"2023-11-14T22:13:20.042Z","level":"warning","label":"ap-reconcile","message":"run \"failed\"\nnext","metadata":{"b":["x","y"],"client_secret":"<redacted>","exit":"69"}}"# + "\n")
        #expect(!text.contains("s3cr3t"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["message"] as? String == "run \"failed\"\nnext")
    }

    @Test func handlerWritesOneParsableLinePerEvent() throws {
        let lines = LinesBox()
        var handler = JSONLogHandler(label: "t", clock: { Date(timeIntervalSince1970: 0) }, write: { lines.append($0) })
        handler.logLevel = .info
        handler[metadataKey: "account"] = "acme"
        let logger = Logger(label: "t", factory: { _ in handler })
        logger.info("payouts listed", metadata: ["payouts": "3"])
        logger.debug("not at this level")
        logger.error("run failed", metadata: ["authorization": "Bearer abc"])
        let written = lines.all
        #expect(written.count == 2)
        for line in written {
            #expect(line.last == UInt8(ascii: "\n"))
            #expect(!line.dropLast().contains(UInt8(ascii: "\n")))
            _ = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        }
        #expect(String(decoding: written[0], as: UTF8.self) == #"{"ts":"1970-01-01T00:00:00.000Z","level":"info","label":"t","message":"payouts listed","metadata":{"account":"acme","payouts":"3"}}"# + "\n")
        #expect(!String(decoding: written[1], as: UTF8.self).contains("Bearer"))
    }

    @Test func progressLineAndETA() {
        #expect(ProgressDisplay.line(FetchProgress(payoutsTotal: 40, payoutsFetched: 10), elapsed: .seconds(5), label: "")
            == "fetching payout lines: 10/40 payouts (25%), ETA 15s")
        #expect(ProgressDisplay.line(FetchProgress(payoutsTotal: 400, payoutsFetched: 100, requestsSent: 137), elapsed: .seconds(30), label: "acme")
            == "[acme] fetching payout lines: 100/400 payouts (25%), 137 requests, ETA 1m30s")
        #expect(ProgressDisplay.line(FetchProgress(payoutsTotal: 3, payoutsFetched: 3), elapsed: .seconds(1), label: "")
            == "fetching payout lines: 3/3 payouts (100%)")
    }

    @Test func progressDrawsInPlaceAndErasesAtTheEnd() {
        let writes = StringsBox()
        let display = ProgressDisplay(write: { writes.append($0) })
        display.callback(FetchProgress(payoutsTotal: 2, payoutsFetched: 1))
        display.callback(FetchProgress(payoutsTotal: 2, payoutsFetched: 2))
        display.finish()
        display.finish()
        let all = writes.all
        #expect(all.first == "\r\u{1B}[2Kfetching payout lines: 1/2 payouts (50%), ETA 0s")
        #expect(all.last == "\r\u{1B}[2K")
        #expect(all.count == 3)
    }
}

final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [[UInt8]] = []
    func append(_ line: [UInt8]) { lock.withLock { lines.append(line) } }
    var all: [[UInt8]] { lock.withLock { lines } }
}

final class StringsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func append(_ value: String) { lock.withLock { values.append(value) } }
    var all: [String] { lock.withLock { values } }
}

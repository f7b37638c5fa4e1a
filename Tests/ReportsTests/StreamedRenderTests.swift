import APModels
import Reconciliation
import Testing
@testable import Reports

/// report.json and the CSVs are written row by row / element by element (docs/performance.md):
/// the bytes must be exactly those of an independent whole-tree / whole-rows rendering.
@Suite struct StreamedRenderTests {
    @Test func reportJSONStreamedEqualsTheTreeRendering() {
        for result in [sampleResult, reconcile(EngineSample.input), emptyResult] {
            let streamed = ReportDocument.render(result, run: run).bytes
            let tree = JSONWriter.render(ReportDocument.json(result, run: run))
            #expect(streamed == tree)
        }
    }

    @Test func csvBufferEqualsRenderOfRows() {
        let rows: [[CSVField]] = [
            [.text("=SUM(A1)"), .number("-12.50"), .empty, .text("a,\"b\""), .text("line\r\nbreak")],
            [.text("-x,y"), .text("ünïcödé \"q\""), .number("1,5"), .text(""), .text("@at")],
        ]
        var buffer = CSVBuffer(header: ["h1", "h,2", "h\"3", "h4", "h5"], reserve: 10)
        for row in rows { buffer.append(row) }
        #expect(buffer.bytes == CSVWriter.render(header: ["h1", "h,2", "h\"3", "h4", "h5"], rows: rows))
        #expect(buffer.rowCount == 2)
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "h1,\"h,2\",\"h\"\"3\",h4,h5\r\n"
            + "'=SUM(A1),-12.50,,\"a,\"\"b\"\"\",\"line\r\nbreak\"\r\n"
            + "\"'-x,y\",\"ünïcödé \"\"q\"\"\",\"1,5\",,'@at\r\n")
        // Each field as encode(_:) spells it.
        for row in rows {
            for field in row {
                var out: [UInt8] = []
                CSVWriter.write(field, into: &out)
                #expect(out == Array(CSVWriter.encode(field).utf8))
            }
        }
    }

    var emptyResult: ReconciliationResult {
        reconcile(ReconciliationInput(window: window))
    }
}

import APModels
import Reconciliation
import Testing
@testable import Reports

/// The renderers write into a sink a chunk at a time (docs/performance.md): the bytes must be
/// exactly those of the whole-file renderings, whatever the chunking, and a sink that
/// fails stops the rendering with its error.
@Suite struct ReportSinkTests {
    /// Keeps each chunk apart, to check the chunking as well as the bytes.
    final class ChunkSink: ReportSink {
        var chunks: [[UInt8]] = []
        func write(_ chunk: [UInt8]) { chunks.append(chunk) }
        var bytes: [UInt8] { chunks.flatMap { $0 } }
    }

    struct DiskFull: Error, Equatable {}

    /// Fails on its `failAt`-th chunk (1-based), like a disk that fills up.
    final class FailingSink: ReportSink {
        let failAt: Int
        var calls = 0
        init(failAt: Int) { self.failAt = failAt }
        func write(_ chunk: [UInt8]) throws {
            calls += 1
            if calls >= failAt { throw DiskFull() }
        }
    }

    static let results: [ReconciliationResult] = [sampleResult, reconcile(EngineSample.input), emptyResult, hostileResult]

    @Test func eachStreamWritesTheBytesOfTheWholeFileWriters() {
        for result in Self.results {
            let streams = ReportRenderer.streams(result, run: run)
            #expect(streams.map(\.name) == ["report.json", "payouts.csv", "transactions.csv", "invoices.csv", "diagnostics.csv", "report.html", "bank.csv"])
            var bytes: [String: [UInt8]] = [:]
            for stream in streams {
                let sink = ChunkSink()
                let rendered = try? stream.render(into: sink)
                bytes[stream.name] = sink.bytes
                #expect(rendered == RenderedFile(ReportFile(name: stream.name, bytes: sink.bytes, rowCount: rendered?.rowCount ?? -1)))
            }
            #expect(bytes["report.json"] == JSONWriter.render(ReportDocument.json(result, run: run)))
            #expect(bytes["payouts.csv"] == CSVWriter.render(header: PayoutsCSV.header, rows: Reference.payoutRows(result)))
            #expect(bytes["transactions.csv"] == CSVWriter.render(header: TransactionsCSV.header, rows: Reference.transactionRows(result)))
            #expect(bytes["invoices.csv"] == CSVWriter.render(header: InvoicesCSV.header, rows: Reference.invoiceRows(result)))
            #expect(bytes["diagnostics.csv"] == CSVWriter.render(header: DiagnosticsCSV.header,
                                                                 rows: result.diagnostics.map { DiagnosticsCSV.fields($0, openItems: nil, asOf: run.asOf, review: .none) }))
            #expect(bytes["report.html"] == HTMLReport.render(result, run: run).bytes)
            #expect(bytes["bank.csv"] == CSVWriter.render(header: BankCSV.header, rows: []))
        }
    }

    @Test func renderInMemoryIsTheStreamsPlusTheManifestOfTheirDigests() throws {
        let files = ReportRenderer.render(sampleResult, run: run)
        #expect(files.map(\.name) == ReportRenderer.fileNames)
        var rendered: [RenderedFile] = []
        for stream in ReportRenderer.streams(sampleResult, run: run) {
            let sink = MemorySink()
            rendered.append(try stream.render(into: sink))
            #expect(file(stream.name, in: files).bytes == sink.bytes)
        }
        let diagnostics = sampleResult.diagnostics.count
        #expect(rendered.map(\.rowCount) == [diagnostics, sampleResult.payouts.count, sampleResult.summary.lineCount,
                                              sampleResult.invoices.count, diagnostics, diagnostics, 0])
        #expect(Manifest.render(rendered, run: run) == file("manifest.json", in: files))
        let manifest = text(file("manifest.json", in: files).bytes)
        for r in rendered { #expect(manifest.contains("\"sha256\": \"\(r.sha256)\",\n      \"bytes\": \(r.byteCount),")) }
    }

    /// About 3.5 MB of report.json: several chunks of at most one chunk size plus one element.
    static let largeResult: ReconciliationResult = {
        var payouts: [PayoutResult] = []
        for p in 0..<50 {
            let lines = (0..<100).map { i in
                PayoutLineResult(position: i, line: .record(PayoutTransaction(
                    id: "txn_\(p)_\(i)", status: .succeeded, amount: money(Int64(1_000 + i), usd), type: .payment,
                    direction: .inbound, customerID: "cust_\(i % 7)", createdAt: ts("2024-01-10"))),
                    match: i % 3 == 0 ? .ambiguous(["inv_a", "inv_b"]) : .payoutLink, invoiceID: i % 3 == 0 ? nil : "inv_\(p)_\(i)",
                    paymentRequestID: nil, countedInAmount: true, firstSeenInPayoutID: nil)
            }
            payouts.append(PayoutResult(payout: Payout(id: "pout_\(p)", status: .succeeded, amount: money(100, usd),
                                                       createdAt: ts("2024-01-10"), arrivalDate: nil),
                                        lines: lines, computedAmount: 100, difference: 0, diagnosticCount: 0))
        }
        let summary = Summary(payoutCount: 50, lineCount: 5_000, linesByRule: byRule([:]), diagnosticsByCode: byCode([:]),
                              diagnosticsBySeverity: bySeverity([:]), currencies: [])
        return ReconciliationResult(window: window, payouts: payouts, invoices: [], paymentRequests: [], diagnostics: [], summary: summary)
    }()

    @Test func aLargeFileArrivesInChunksWithTheSameBytesAndDigest() throws {
        let stream = ReportDocument.stream(Self.largeResult, run: run)
        let sink = ChunkSink()
        let rendered = try stream.render(into: sink)
        let whole = JSONWriter.render(ReportDocument.json(Self.largeResult, run: run))
        #expect(sink.bytes == whole)
        #expect(whole.count > 2 * ReportOutput.chunkSize)
        #expect(sink.chunks.count >= 2)
        // Each chunk but the last is full, and one line past it at most; the last is the rest.
        for chunk in sink.chunks.dropLast() { #expect(chunk.count >= ReportOutput.chunkSize && chunk.count < ReportOutput.chunkSize + 2_000) }
        #expect(sink.chunks.last.map { $0.count <= ReportOutput.chunkSize + 2_000 } == true)
        #expect(rendered == RenderedFile(name: "report.json", byteCount: whole.count, sha256: Manifest.sha256Hex(whole), rowCount: 0))
    }

    @Test func aFailingSinkStopsTheRenderingWithItsError() {
        let sink = FailingSink(failAt: 2)
        #expect(throws: DiskFull()) { try ReportDocument.stream(Self.largeResult, run: run).render(into: sink) }
        // The second chunk failed; the renderer did not go on writing.
        #expect(sink.calls == 2)
        let csv = FailingSink(failAt: 1)
        #expect(throws: DiskFull()) { try TransactionsCSV.stream(Self.largeResult).render(into: csv) }
        #expect(csv.calls == 1)
    }

    /// The precomputed shapes serve the levels report.json has; any other level takes the general path.
    @Test func directObjectsEqualTheTreeAtEveryLevel() {
        let result = reconcile(EngineSample.input)
        for indent in [0, 1, 2, 3, 4, 5, 13] {
            for payout in result.payouts + sampleResult.payouts {
                for line in payout.lines {
                    var direct: [UInt8] = []
                    ReportDocument.writeLine(line, indent: indent, into: &direct)
                    var tree: [UInt8] = []
                    JSONWriter.write(ReportDocument.lineJSON(line), indent: indent, into: &tree)
                    #expect(direct == tree, "indent \(indent)")
                }
            }
            for invoice in result.invoices + sampleResult.invoices {
                var direct: [UInt8] = []
                ReportDocument.writeInvoice(invoice, indent: indent, into: &direct)
                var tree: [UInt8] = []
                JSONWriter.write(ReportDocument.invoiceJSON(invoice), indent: indent, into: &tree)
                #expect(direct == tree, "indent \(indent)")
            }
            for request in result.paymentRequests + sampleResult.paymentRequests {
                var direct: [UInt8] = []
                ReportDocument.writePaymentRequest(request, indent: indent, into: &direct)
                var tree: [UInt8] = []
                JSONWriter.write(ReportDocument.paymentRequestJSON(request), indent: indent, into: &tree)
                #expect(direct == tree, "indent \(indent)")
            }
        }
    }

    @Test func directCellsWriteWhatTheirFieldsWrite() {
        let texts: [String?] = [nil, "", "plain", "=SUM(A1)", "-x,y", "a\"b", "line\r\nbreak", "\tx", "ünïcödé", "@at", "+1"]
        for value in texts {
            #expect(row { $0.text(value, into: &$1) } == row(.text(value)))
            #expect(row { $0.list(value.map { [$0] } ?? [], into: &$1) } == row(.list(value.map { [$0] } ?? [])))
        }
        #expect(row { $0.list(["-a", "b,c"], into: &$1) } == row(.list(["-a", "b,c"])))
        for value: Int64? in [nil, 0, 7, -7, 1_234_567, .max, .min] {
            #expect(row { $0.integer(value, into: &$1) } == row(.integer(value)))
            for currency in [usd, jpy, bhd, nil] {
                #expect(row { $0.decimal(value, currency, into: &$1) } == row(.decimal(value, currency)))
            }
        }
        #expect(row { $0.bool(true, into: &$1) } == row(.bool(true)))
        #expect(row { $0.bool(false, into: &$1) } == row(.bool(false)))
    }

    @Test func numbersAreFormattedAsStringAndMoneyFormatThem() {
        for value: Int64 in [0, 1, -1, 9, 10, -10, 99, 100, 1_500_00, -5, Int64.max, Int64.min] {
            var out: [UInt8] = []
            ByteFormat.integer(value, into: &out)
            #expect(text(out) == String(value))
            for exponent in [0, 1, 2, 3, 4, 19, 25] {
                var decimal: [UInt8] = []
                ByteFormat.decimal(value, exponent: exponent, into: &decimal)
                #expect(text(decimal) == Money.decimalString(value, exponent: exponent), "\(value) at \(exponent)")
            }
        }
        var out: [UInt8] = []
        ByteFormat.decimal(-5, exponent: 3, into: &out)
        #expect(text(out) == "-0.005")
    }

    /// One row of one cell written by the direct writer, and by `CSVWriter.writeRow`.
    func row(_ write: (inout CSVRowWriter, inout [UInt8]) -> Void) -> [UInt8] {
        var out: [UInt8] = []
        var cells = CSVRowWriter()
        write(&cells, &out)
        cells.text("end", into: &out)
        cells.end(into: &out)
        return out
    }

    func row(_ field: CSVField) -> [UInt8] {
        var out: [UInt8] = []
        CSVWriter.writeRow([field, .text("end")], into: &out)
        return out
    }
}

/// The CSV rows as the renderers built them before they wrote cells directly: the reference
/// the direct writers are checked against.
enum Reference {
    static func payoutRows(_ result: ReconciliationResult) -> [[CSVField]] {
        result.payouts.map { p in
            let currency = p.payout.amount.currency
            return [
                .text(p.payout.id), .text(p.payout.status.name), .text(p.payout.createdAt.rfc3339), .text(currency.code),
                .integer(p.payout.amount.minorUnits), .decimal(p.payout.amount.minorUnits, currency),
                .integer(p.computedAmount), .decimal(p.computedAmount, currency),
                .integer(p.difference), .decimal(p.difference, currency),
                .integer(p.lines.count), .integer(p.diagnosticCount),
            ]
        }
    }

    static func transactionRows(_ result: ReconciliationResult) -> [[CSVField]] {
        result.payouts.flatMap { payout in
            payout.lines.map { line -> [CSVField] in
                let fields = LineFields(line)
                let record = fields.record
                return [
                    .text(payout.payout.id), .integer(line.position), .text(fields.id), .text(record?.type.name),
                    .text(record?.effectiveDirection?.rawValue), .text(record?.status.name), .text(record?.amount.currency.code),
                    .integer(record?.amount.minorUnits), .decimal(record?.amount.minorUnits, record?.amount.currency),
                    .text(record?.customerID), .text(line.match.name), .text(line.invoiceID), .text(line.paymentRequestID),
                    .list(line.match.candidateInvoiceIDs), .bool(line.countedInAmount), .text(line.firstSeenInPayoutID),
                ]
            }
        }
    }

    static func invoiceRows(_ result: ReconciliationResult) -> [[CSVField]] {
        result.invoices.map { r in
            let currency = r.invoice.amount.currency
            return [
                .text(r.invoice.id), .text(r.invoice.customerID), .text(r.invoice.status.name), .text(currency.code),
                .integer(r.invoice.amount.minorUnits), .decimal(r.invoice.amount.minorUnits, currency),
                .integer(r.netSettled), .decimal(r.netSettled, currency),
                .integer(r.settledPaymentCount), .list(r.settledPaymentIDs), .text(r.state.rawValue), .integer(r.diagnosticCount),
            ]
        }
    }
}

import Reconciliation

/// Renders every report of a run. Pure: the same result and run give the same bytes; the
/// caller writes the files (atomically) wherever it wants.
public enum ReportRenderer {
    /// The names, in the order `render` returns them (manifest.json last: it describes the others);
    /// a run with state adds exceptions.csv before manifest.json.
    public static let fileNames = [
        "report.json", "payouts.csv", "transactions.csv", "invoices.csv", "diagnostics.csv", "report.html", "bank.csv", "manifest.json",
    ]

    /// report.json, payouts.csv, transactions.csv, invoices.csv, diagnostics.csv, report.html,
    /// exceptions.csv (only with `run.openItems`, i.e. a run with state), manifest.json (last),
    /// each whole in memory. A run streams them into files instead (`streams`), with the same bytes.
    public static func render(_ result: ReconciliationResult, run: RunInfo) -> [ReportFile] {
        let files = streams(result, run: run).map { $0.file() }
        return files + [Manifest.render(files, run: run)]
    }

    /// Every file but manifest.json, in `render`'s order, each rendered into a sink when asked,
    /// so that only one chunk of one file is in memory at a time. manifest.json is then
    /// `Manifest.render(renderedFiles, run:)`: it needs each file's digest and size.
    public static func streams(_ result: ReconciliationResult, run: RunInfo) -> [ReportStream] {
        var streams = [
            ReportDocument.stream(result, run: run),
            PayoutsCSV.stream(result),
            TransactionsCSV.stream(result),
            InvoicesCSV.stream(result),
            DiagnosticsCSV.stream(result, openItems: run.openItems, asOf: run.asOf, review: run.acknowledgements),
            HTMLReport.stream(result, run: run),
            BankCSV.stream(result),
        ]
        if let openItems = run.openItems { streams.append(ExceptionsCSV.stream(openItems, asOf: run.asOf, diagnostics: result.diagnostics, review: run.acknowledgements)) }
        return streams
    }
}

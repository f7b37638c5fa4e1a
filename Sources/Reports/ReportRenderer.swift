import Reconciliation

/// Renders every report of a run. Pure: the same result and run give the same bytes; the
/// caller writes the files (atomically) wherever it wants.
public enum ReportRenderer {
    /// The names, in the order `render` returns them (manifest.json last: it describes the others);
    /// a run with state adds exceptions.csv before manifest.json.
    public static let fileNames = [
        "report.json", "payouts.csv", "transactions.csv", "invoices.csv", "diagnostics.csv", "report.html", "manifest.json",
    ]

    /// report.json, payouts.csv, transactions.csv, invoices.csv, diagnostics.csv, report.html,
    /// exceptions.csv (only with `run.openItems`, i.e. a run with state), manifest.json (last).
    public static func render(_ result: ReconciliationResult, run: RunInfo) -> [ReportFile] {
        var files = [
            ReportDocument.render(result, run: run),
            PayoutsCSV.render(result),
            TransactionsCSV.render(result),
            InvoicesCSV.render(result),
            DiagnosticsCSV.render(result, openItems: run.openItems, asOf: run.asOf),
            HTMLReport.render(result, run: run),
        ]
        if let openItems = run.openItems { files.append(ExceptionsCSV.render(openItems, asOf: run.asOf)) }
        return files + [Manifest.render(files, run: run)]
    }
}

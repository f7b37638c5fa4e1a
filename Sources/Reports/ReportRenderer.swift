import Reconciliation

/// Renders every report of a run. Pure: the same result and run give the same bytes; the
/// caller writes the files (atomically) wherever it wants.
public enum ReportRenderer {
    /// The names, in the order `render` returns them (manifest.json last: it describes the others).
    public static let fileNames = [
        "report.json", "payouts.csv", "transactions.csv", "invoices.csv", "diagnostics.csv", "report.html", "manifest.json",
    ]

    /// report.json, payouts.csv, transactions.csv, invoices.csv, diagnostics.csv, report.html, manifest.json (last).
    public static func render(_ result: ReconciliationResult, run: RunInfo) -> [ReportFile] {
        let files = [
            ReportDocument.render(result, run: run),
            PayoutsCSV.render(result),
            TransactionsCSV.render(result),
            InvoicesCSV.render(result),
            DiagnosticsCSV.render(result),
            HTMLReport.render(result, run: run),
        ]
        return files + [Manifest.render(files, run: run)]
    }
}

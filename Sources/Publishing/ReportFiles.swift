import Reconciliation
import Reports

/// The report files of a run as the publisher writes them: each rendered straight into its file
/// in the staging folder, one after the other, so that no more than a chunk of any of them is in
/// memory at a time (a million lines make about 1.1 GB of reports). manifest.json comes last,
/// made from what the publisher says it wrote: each file's digest, size and rows.
public enum ReportFiles {
    /// The reports in `ReportRenderer.fileNames` order, then `extra` (a snapshot folder's files),
    /// then manifest.json, which lists the reports (not the files of subfolders).
    public static func publication(_ result: ReconciliationResult, run: RunInfo, adding extra: [OutputFile] = []) -> Publication {
        let reports = ReportRenderer.streams(result, run: run).map { stream in
            OutputFile(name: stream.name, streamed: StreamedContent { sink in try stream.render(into: sink).rowCount })
        }
        return Publication(files: reports + extra, closingName: Manifest.fileName) { written in
            // Written last: a stop that arrived while the others were rendered still publishes nothing.
            try Task.checkCancellation()
            let listed = written.filter { $0.folder == nil }.map(\.file)
            let manifest = Manifest.render(listed, run: run)
            return OutputFile(name: manifest.name, bytes: manifest.bytes, rowCount: manifest.rowCount)
        }
    }
}

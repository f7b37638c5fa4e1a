import Reconciliation
import Reports

/// The report files of a run as the publisher writes them: each rendered straight into its file
/// in the staging folder, one after the other, so that no more than a chunk of any of them is in
/// memory at a time (a million lines make about 1.1 GB of reports). manifest.json comes last,
/// from the digest and size of each file, computed while it was written.
public struct ReportFiles: Sendable {
    /// In `ReportRenderer.fileNames` order, manifest.json last; the publisher writes them in this order.
    public let files: [OutputFile]
    private let rendered: LockedValue<[RenderedFile]>

    public init(_ result: ReconciliationResult, run: RunInfo) {
        let rendered = LockedValue<[RenderedFile]>([])
        var files = ReportRenderer.streams(result, run: run).map { stream in
            OutputFile(name: stream.name, streamed: StreamedContent { sink in
                let file = try stream.render(into: sink)
                rendered.withLock { $0.append(file) }
            })
        }
        files.append(OutputFile(name: "manifest.json", streamed: StreamedContent { sink in
            // Written last: a stop that arrived while the others were rendered still publishes nothing.
            try Task.checkCancellation()
            let manifest = Manifest.render(rendered.withLock { $0 }, run: run)
            try sink.write(manifest.bytes)
            rendered.withLock { $0.append(RenderedFile(manifest)) }
        }))
        self.files = files
        self.rendered = rendered
    }

    /// The files written so far (all of them once published): names, sizes, digests.
    public var renderedFiles: [RenderedFile] { rendered.withLock { $0 } }
}

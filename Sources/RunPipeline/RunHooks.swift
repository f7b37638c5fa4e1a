import APModels
import JobSettings
import Publishing
import Reconciliation
import RunState
import Snapshots

/// What a caller may put around Pipeline.run's stages without changing them: the run with
/// state (StatefulRun) uses it to add open items to the reports and to publish into a folder
/// of the `--out` root with a `latest` link. The defaults are a run without state.
public struct RunHooks: Sendable {
    public typealias Publish = @Sendable (Publication, RunRequest) throws(PublishError) -> PublishedRun

    /// After reconcile, before render: open items to show in the reports (nil: a run without state).
    public var openItems: @Sendable (ReconciliationResult) -> OpenItems?
    /// The publish stage: writes every file and returns the folder they are in and what it wrote.
    public var publish: Publish
    /// The open items `openItems` compares against (`[]` on a first run with state); nil without
    /// state. A recorded run files them in its snapshot so that a replay can compare against them too.
    public var previousOpenItems: [OpenItem]?

    public init(openItems: @escaping @Sendable (ReconciliationResult) -> OpenItems?,
                publish: @escaping Publish,
                previousOpenItems: [OpenItem]? = nil) {
        self.openItems = openItems
        self.publish = publish
        self.previousOpenItems = previousOpenItems
    }

    /// Open items compared with `previous` as of `asOf` — the same list given to the comparison
    /// and to the snapshot, so what is recorded is exactly what the reports were computed from.
    public static func comparing(with previous: [OpenItem], asOf: Timestamp,
                                 publish: @escaping Publish) -> RunHooks {
        RunHooks(openItems: { result in OpenItems.compare(previous: previous, result: result, asOf: asOf) },
                 publish: publish, previousOpenItems: previous)
    }

    /// No open items; the files go into `--out` itself.
    public static let plain = RunHooks(
        openItems: { _ in nil },
        publish: plainPublish)

    /// Into `--out` itself. A snapshot/ folder left by an earlier --record run is replaced (or
    /// removed), never kept beside reports it did not produce.
    public static let plainPublish: Publish = { (publication: Publication, request: RunRequest) throws(PublishError) -> PublishedRun in
        let files = try Publisher.publish(publication, to: request.outputDirectory, replacing: [SnapshotIndex.folderName])
        return PublishedRun(folder: request.outputDirectory, files: files)
    }
}

/// Where a run's files went and what was written.
public struct PublishedRun: Sendable {
    public var folder: String
    public var files: [PublishedFile]

    public init(folder: String, files: [PublishedFile]) {
        self.folder = folder
        self.files = files
    }
}

import APModels
import Reconciliation

/// What a caller may put around Pipeline.run's stages without changing them: the run with
/// state (StatefulRun) uses it to add open items to the reports and to publish into a folder
/// of the `--out` root with a `latest` link. The defaults are a run without state.
public struct RunHooks: Sendable {
    /// After reconcile, before render: open items to show in the reports (nil: a run without state).
    public var openItems: @Sendable (ReconciliationResult) -> OpenItems?
    /// The publish stage: writes every file and returns the folder they are in.
    public var publish: @Sendable ([OutputFile], RunRequest) throws(PublishError) -> String
    /// The open items `openItems` compares against (`[]` on a first run with state); nil without
    /// state. A recorded run files them in its snapshot so that a replay can compare against them too.
    public var previousOpenItems: [OpenItem]?

    public init(openItems: @escaping @Sendable (ReconciliationResult) -> OpenItems?,
                publish: @escaping @Sendable ([OutputFile], RunRequest) throws(PublishError) -> String,
                previousOpenItems: [OpenItem]? = nil) {
        self.openItems = openItems
        self.publish = publish
        self.previousOpenItems = previousOpenItems
    }

    /// Open items compared with `previous` as of `asOf` — the same list given to the comparison
    /// and to the snapshot, so what is recorded is exactly what the reports were computed from.
    public static func comparing(with previous: [OpenItem], asOf: Timestamp,
                                 publish: @escaping @Sendable ([OutputFile], RunRequest) throws(PublishError) -> String) -> RunHooks {
        RunHooks(openItems: { result in OpenItems.compare(previous: previous, result: result, asOf: asOf) },
                 publish: publish, previousOpenItems: previous)
    }

    /// No open items; the files go into `--out` itself.
    public static let plain = RunHooks(
        openItems: { _ in nil },
        publish: plainPublish)

    /// Into `--out` itself. A snapshot/ folder left by an earlier --record run is replaced (or
    /// removed), never kept beside reports it did not produce.
    public static let plainPublish: @Sendable ([OutputFile], RunRequest) throws(PublishError) -> String = {
        (files: [OutputFile], request: RunRequest) throws(PublishError) -> String in
        try Publisher.publish(files, to: request.outputDirectory, replacing: [SnapshotIndex.folderName])
        return request.outputDirectory
    }
}

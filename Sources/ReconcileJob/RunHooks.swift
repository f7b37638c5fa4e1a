import Reconciliation

/// What a caller may put around Pipeline.run's stages without changing them: the run with
/// state (StatefulRun) uses it to add open items to the reports and to publish into a folder
/// of the `--out` root with a `latest` link. The defaults are a run without state.
public struct RunHooks: Sendable {
    /// After reconcile, before render: open items to show in the reports (nil: a run without state).
    public var openItems: @Sendable (ReconciliationResult) -> OpenItems?
    /// The publish stage: writes every file and returns the folder they are in.
    public var publish: @Sendable ([OutputFile], RunRequest) throws(PublishError) -> String

    public init(openItems: @escaping @Sendable (ReconciliationResult) -> OpenItems?,
                publish: @escaping @Sendable ([OutputFile], RunRequest) throws(PublishError) -> String) {
        self.openItems = openItems
        self.publish = publish
    }

    /// No open items; the files go into `--out` itself.
    public static let plain = RunHooks(
        openItems: { _ in nil },
        publish: { (files: [OutputFile], request: RunRequest) throws(PublishError) -> String in
            // A snapshot/ folder left by an earlier --record run is replaced (or removed), never kept
            // beside reports it did not produce.
            try Publisher.publish(files, to: request.outputDirectory, replacing: [SnapshotIndex.folderName])
            return request.outputDirectory
        })
}

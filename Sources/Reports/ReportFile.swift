/// One rendered report: its file name inside the output folder and its exact bytes.
public struct ReportFile: Sendable, Equatable {
    public var name: String
    public var bytes: [UInt8]
    /// CSV: data rows (header excluded). report.json: number of diagnostics. manifest.json: files listed.
    public var rowCount: Int

    public init(name: String, bytes: [UInt8], rowCount: Int) {
        self.name = name
        self.bytes = bytes
        self.rowCount = rowCount
    }
}

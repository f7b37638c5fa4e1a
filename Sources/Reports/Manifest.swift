import Crypto

/// manifest.json: what each other file must be, so a reader (or an auditor) can check that
/// the folder is complete and untouched. Deterministic: no time but the run's `as_of`.
public enum Manifest {
    public static let fileName = "manifest.json"
    /// Where a recorded run's snapshot index lies, relative to the output folder.
    public static let snapshotIndexPath = "snapshot/index.json"

    public static func render(_ files: [ReportFile], run: RunInfo) -> ReportFile {
        render(files.map(RenderedFile.init), run: run)
    }

    /// The same bytes from the files' descriptions: what a run that streamed its files to disk
    /// (and computed each digest on the way) writes.
    public static func render(_ files: [RenderedFile], run: RunInfo) -> ReportFile {
        var fields: [(String, ReportJSON)] = [
            ("schema_version", .int(ReportDocument.schemaVersion)),
            ("tool_version", .string(run.toolVersion)),
            ("as_of", .string(run.asOf.rfc3339)),
            ("files", .array(files.map { file in
                .object([
                    ("name", .string(file.name)),
                    ("sha256", .string(file.sha256)),
                    ("bytes", .int(file.byteCount)),
                    ("rows", .int(file.rowCount)),
                ])
            })),
        ]
        // Only when the run recorded (or was replayed from) a snapshot, so other manifests keep their bytes.
        if let digest = run.snapshotDigest {
            fields.append(("snapshot", .object([("index", .string(snapshotIndexPath)), ("sha256", .string(digest))])))
        }
        // Only when the run read an acknowledgements file, so other manifests keep their bytes.
        if let digest = run.acknowledgementsDigest {
            fields.append(("acknowledgements", .object([("sha256", .string(digest))])))
        }
        let json = ReportJSON.object(fields)
        return ReportFile(name: fileName, bytes: JSONWriter.render(json), rowCount: files.count)
    }

    /// Lowercase hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        hex(Array(SHA256.hash(data: bytes)))
    }

    /// Lowercase hex of a digest.
    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

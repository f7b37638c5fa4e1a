import Foundation

/// Test support, not shipped: runs a checker the project did not write (a Python library that
/// scripts/test-tools.sh installs) on what the job produced, so the job's output is judged by
/// an independent implementation of its standard (JSON Schema, the Prometheus text format,
/// Stripe's webhook signature scheme).
public enum Python {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// `python3 -c SCRIPT ARGS…`; `script` one line per element (no shell, no temporary file).
    public static func run(_ script: [String], arguments: [String] = []) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script.joined(separator: "\n")] + arguments
        // stderr into a file, stdout through a pipe read to its end: neither can fill up and
        // block the checker while this side waits on the other.
        let errorsPath = FileManager.default.temporaryDirectory.appendingPathComponent("python-stderr-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: errorsPath, contents: nil), let errors = FileHandle(forWritingAtPath: errorsPath) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? FileManager.default.removeItem(atPath: errorsPath) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errors.close()
        let errorData = FileManager.default.contents(atPath: errorsPath) ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
    }
}

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
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read both pipes before waiting, so a chatty checker never blocks on a full pipe.
        let err = DispatchQueue(label: "python-stderr")
        var errorData = Data()
        let group = DispatchGroup()
        group.enter()
        err.async {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData, as: UTF8.self))
    }
}

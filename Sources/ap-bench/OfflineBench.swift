import Foundation
import JobSettings
import Publishing
import Reconciliation
import Reports
import RunPipeline

/// The offline part measured in a child process of its own (`ap-bench offline-child`), so the
/// peak RSS is that of reconcile + render alone, not of the benchmark or an earlier size.
/// Rendering is what the job does: `ReportFiles` published by `Publisher` into a temporary
/// folder (each file rendered straight into the staging folder, fsync, rename), then removed.
struct OfflineResult: Sendable {
    var lines: Int
    var invoices: Int
    var buildSeconds: Double
    var reconcileSeconds: Double
    var renderSeconds: Double
    var reportBytes: Int
    var diagnostics: Int
    /// VmHWM after building the input: what the input alone costs.
    var inputPeakKilobytes: Int
    /// VmHWM after reconciling (input and result both alive, plus the engine's indexes).
    var reconcilePeakKilobytes: Int
    var maxRSSKilobytes: Int

    var seconds: Double { reconcileSeconds + renderSeconds }
}

enum OfflineBench {
    /// Runs in the child: builds the input, reconciles, renders, prints one `key=value` line.
    static func child(lines: Int, invoices: Int, keepInput: Bool = false) {
        let clock = ContinuousClock()
        let (result, window, build, reconciled, inputPeak) = reconcileFresh(lines: lines, invoices: invoices, keepInput: keepInput)
        let reconcilePeak = procStatus("VmHWM")
        let t = clock.now
        let run = RunInfo(toolVersion: "bench", baseURL: "https://bench.invalid", window: window,
                          asOf: window.until, requestsByEndpoint: [:], retriesByEndpoint: [:], failOn: .error)
        let folder = NSTemporaryDirectory() + "ap-bench-offline-" + String(getpid())
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let written: [PublishedFile]
        do throws(PublishError) {
            written = try Publisher.publish(ReportFiles.publication(result, run: run), to: folder + "/out")
        } catch {
            print("error=publish: \(error.description)")
            exit(1)
        }
        let bytes = written.reduce(0) { $0 + $1.file.byteCount }
        let rendered = clock.now - t
        print("build=\(build.seconds) reconcile=\(reconciled.seconds) render=\(rendered.seconds) bytes=\(bytes) "
              + "diagnostics=\(result.diagnostics.count) input_peak_kb=\(inputPeak) reconcile_peak_kb=\(reconcilePeak)")
    }

    /// Builds the input and reconciles it; the input is dropped on return, as the pipeline drops
    /// it once the engine has its result.
    private static func reconcileFresh(lines: Int, invoices: Int, keepInput: Bool)
        -> (ReconciliationResult, ReportWindow, Duration, Duration, Int) {
        let clock = ContinuousClock()
        var t = clock.now
        let input = OfflineInput.make(lines: lines, invoices: invoices)
        let window = input.window
        let build = clock.now - t
        let inputPeak = procStatus("VmHWM")
        t = clock.now
        let result: ReconciliationResult
        if keepInput {
            result = reconcile(input)
            withExtendedLifetime(input) {}
        } else {
            result = reconcile(consume input)
        }
        return (result, window, build, clock.now - t, inputPeak)
    }

    static func run(lines: Int, invoices: Int) throws -> OfflineResult {
        let child = try runChild(ownExecutablePath(), ["offline-child", "--lines", String(lines), "--invoices", String(invoices)])
        guard child.exitCode == 0 else {
            throw ChildProcessError(description: "offline-child exited \(child.exitCode)")
        }
        var values: [String: String] = [:]
        for pair in child.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        func double(_ key: String) -> Double { values[key].flatMap(Double.init) ?? 0 }
        func int(_ key: String) -> Int { values[key].flatMap(Int.init) ?? 0 }
        return OfflineResult(lines: lines, invoices: invoices, buildSeconds: double("build"), reconcileSeconds: double("reconcile"),
                             renderSeconds: double("render"), reportBytes: int("bytes"), diagnostics: int("diagnostics"),
                             inputPeakKilobytes: int("input_peak_kb"), reconcilePeakKilobytes: int("reconcile_peak_kb"),
                             maxRSSKilobytes: child.maxRSSKilobytes)
    }

    /// A `VmXXX:  1234 kB` line of /proc/self/status, in kB; 0 when unavailable.
    static func procStatus(_ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.dropFirst(key.count + 1).filter(\.isNumber)) ?? 0
        }
        return 0
    }
}

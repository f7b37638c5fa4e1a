import Foundation
import JobSettings
import RunPipeline
#if canImport(Glibc)
import Glibc
import Synchronization
#endif

/// The one-line progress display on a terminal: payouts whose lines are fetched, of how many,
/// and an estimate of the time left. Redrawn in place (carriage return + erase line), at most
/// ten times a second, and erased when the run ends so the final outcome line stands alone.
/// Only made when stderr is a terminal and logs are text (`make`), so cron mail, journald and
/// log pipelines never see it.
public final class ProgressDisplay: Sendable {
    private struct State {
        var started: ContinuousClock.Instant?
        var lastDrawn: ContinuousClock.Instant?
        var drawn = false
    }

    private let state = Mutex(State())
    private let label: String
    private let write: @Sendable (String) -> Void

    public init(label: String = "", write: @escaping @Sendable (String) -> Void = ProgressDisplay.standardError) {
        self.label = label
        self.write = write
    }

    /// A display for stderr when it is a terminal and `format` is text; nil otherwise.
    public static func make(format: LogFormat, label: String = "") -> ProgressDisplay? {
        guard format == .text, isatty(STDERR_FILENO) == 1 else { return nil }
        return ProgressDisplay(label: label)
    }

    /// The callback for `Pipeline.run(progress:)`.
    public var callback: @Sendable (FetchProgress) -> Void {
        { [self] progress in self.update(progress) }
    }

    func update(_ progress: FetchProgress, now: ContinuousClock.Instant = .now) {
        let text: String? = state.withLock { s in
            let started = s.started ?? now
            s.started = started
            let last = progress.payoutsFetched >= progress.payoutsTotal
            if let drawn = s.lastDrawn, now - drawn < .milliseconds(100), !last { return nil }
            s.lastDrawn = now
            s.drawn = true
            return Self.line(progress, elapsed: now - started, label: label)
        }
        if let text { write("\r\u{1B}[2K" + text) }
    }

    /// Erases the line, if one was drawn.
    public func finish() {
        let drawn = state.withLock { s in
            defer { s.drawn = false }
            return s.drawn
        }
        if drawn { write("\r\u{1B}[2K") }
    }

    /// `fetching payout lines: 12/40 payouts (30%), 57 requests, ETA 8s`. Pure, for tests.
    public static func line(_ progress: FetchProgress, elapsed: Duration, label: String) -> String {
        let total = max(progress.payoutsTotal, 0)
        let done = min(max(progress.payoutsFetched, 0), total)
        let percent = total == 0 ? 100 : done * 100 / total
        var text = (label.isEmpty ? "" : "[\(label)] ") + "fetching payout lines: \(done)/\(total) payouts (\(percent)%)"
        if progress.requestsSent > 0 { text += ", \(progress.requestsSent) requests" }
        if done > 0, done < total {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let remaining = Int((seconds / Double(done) * Double(total - done)).rounded(.up))
            text += ", ETA " + (remaining >= 60 ? "\(remaining / 60)m\(remaining % 60)s" : "\(remaining)s")
        }
        return text
    }

    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }
}

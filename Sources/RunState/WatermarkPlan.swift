import APModels
import JobSettings
import Reconciliation

/// The pure decisions of a run with state: its window, the folder it publishes into, and the
/// watermark it leaves behind. No disk, no clock: tested directly.
public enum WatermarkPlan {
    /// The window of a run with state.
    ///
    /// - `requested` is the window the flags gave (WindowParser: `--since`/`--until`, else the
    ///   previous UTC day of the run's clock). Its end is the run's end in every case.
    /// - With `--since`, or without a watermark (first run), `requested` is the window.
    /// - Otherwise the window starts at watermark − lookback days.
    public static func window(requested: ReportWindow, explicitSince: Bool, watermark: Timestamp?,
                              lookbackDays: Int) throws(SettingsError) -> ReportWindow {
        guard !explicitSince, let watermark else { return requested }
        let since = watermark.adding(seconds: -Int64(lookbackDays) * 86_400)
        guard since < requested.until else {
            throw SettingsError(.usage, "the window is empty: the watermark \(watermark.rfc3339) minus \(lookbackDays) lookback day(s) "
                + "is not before the end \(requested.until.rfc3339); the last run already covered it (pass --since to run a window again, or raise --lookback-days)")
        }
        return ReportWindow(since: since, until: requested.until)
    }

    /// The watermark after a successful run over `window`: its end, when the window joins or
    /// overlaps what the watermark already covers (or there is no watermark yet). A window that
    /// starts after the watermark (a gap) or ends before it (a backfill) leaves it unchanged, so
    /// the nightly run still covers the gap and the watermark never moves back.
    public static func advanced(_ watermark: Timestamp?, after window: ReportWindow) -> Timestamp? {
        guard let watermark else { return window.until }
        guard window.since <= watermark else { return watermark }
        return max(watermark, window.until)
    }

    /// The folder a run publishes into under the `--out` root: `<since>_<until>` in UTC with the
    /// colons left out (`2026-11-05T000000Z_2026-11-08T000000Z`), so it is a valid name on every
    /// file system and sorts by start. `taken` names already there: a rerun of the same window gets
    /// `.2`, `.3`… so an earlier run's folder is never rewritten under a reader.
    public static func folderName(for window: ReportWindow, taken: Set<String>) -> String {
        let base = compact(window.since) + "_" + compact(window.until)
        guard taken.contains(base) else { return base }
        var n = 2
        while taken.contains(base + "." + String(n)) { n += 1 }
        return base + "." + String(n)
    }

    static func compact(_ t: Timestamp) -> String {
        String(t.rfc3339.filter { $0 != ":" })
    }
}

import APModels
import Foundation
import JobSettings
import RunState
import Reconciliation
import Testing

@Suite struct WatermarkPlanTests {
    func t(_ text: String) -> Timestamp { Timestamp.parse(text, allowDateOnly: true) ?? Timestamp(epochSeconds: 0) }
    func w(_ since: String, _ until: String) -> ReportWindow { ReportWindow(since: t(since), until: t(until)) }

    @Test func firstRunUsesTheRequestedWindow() throws {
        // WindowParser already made it the previous UTC day.
        #expect(try WatermarkPlan.window(requested: w("2026-11-07", "2026-11-08"), explicitSince: false, watermark: nil, lookbackDays: 3)
            == w("2026-11-07", "2026-11-08"))
    }

    @Test func laterRunsStartAtTheWatermarkMinusTheLookback() throws {
        #expect(try WatermarkPlan.window(requested: w("2026-11-08", "2026-11-09"), explicitSince: false, watermark: t("2026-11-08"), lookbackDays: 3)
            == w("2026-11-05", "2026-11-09"))
        #expect(try WatermarkPlan.window(requested: w("2026-11-08", "2026-11-09"), explicitSince: false, watermark: t("2026-11-08"), lookbackDays: 0)
            == w("2026-11-08", "2026-11-09"))
        // After a failed night the watermark stayed: the window reaches back over the gap.
        #expect(try WatermarkPlan.window(requested: w("2026-11-09", "2026-11-10"), explicitSince: false, watermark: t("2026-11-08"), lookbackDays: 1)
            == w("2026-11-07", "2026-11-10"))
    }

    @Test func sinceWinsOverTheWatermark() throws {
        #expect(try WatermarkPlan.window(requested: w("2026-10-01", "2026-10-05"), explicitSince: true, watermark: t("2026-11-08"), lookbackDays: 3)
            == w("2026-10-01", "2026-10-05"))
    }

    @Test func aWindowThatWouldBeEmptyIsAUsageError() {
        #expect(throws: SettingsError.self) {
            try WatermarkPlan.window(requested: w("2026-11-07", "2026-11-08"), explicitSince: false, watermark: t("2026-11-08"), lookbackDays: 0)
        }
        do {
            _ = try WatermarkPlan.window(requested: w("2026-11-07", "2026-11-08"), explicitSince: false, watermark: t("2026-11-08"), lookbackDays: 0)
        } catch {
            #expect(error.status == .usage)
            #expect(error.message.hasPrefix("the window is empty: the watermark 2026-11-08T00:00:00Z minus 0 lookback day(s) is not before the end 2026-11-08T00:00:00Z"))
        }
    }

    @Test func theWatermarkAdvancesOnlyOverContiguousWindowsAndNeverBack() {
        #expect(WatermarkPlan.advanced(nil, after: w("2026-11-07", "2026-11-08")) == t("2026-11-08"))
        #expect(WatermarkPlan.advanced(t("2026-11-08"), after: w("2026-11-05", "2026-11-09")) == t("2026-11-09"))
        #expect(WatermarkPlan.advanced(t("2026-11-08"), after: w("2026-11-08", "2026-11-09")) == t("2026-11-09"))
        // a gap: the nightly run must still cover 11-08 .. 11-10
        #expect(WatermarkPlan.advanced(t("2026-11-08"), after: w("2026-11-10", "2026-11-11")) == t("2026-11-08"))
        // a backfill
        #expect(WatermarkPlan.advanced(t("2026-11-08"), after: w("2026-10-01", "2026-10-05")) == t("2026-11-08"))
    }

    @Test func folderNamesCarryTheWindowWithoutColons() {
        #expect(WatermarkPlan.folderName(for: w("2026-11-05", "2026-11-08"), taken: []) == "2026-11-05T000000Z_2026-11-08T000000Z")
        #expect(WatermarkPlan.folderName(for: w("2026-11-05T06:30:00.5Z", "2026-11-08"), taken: ["latest"])
            == "2026-11-05T063000.5Z_2026-11-08T000000Z")
        #expect(WatermarkPlan.folderName(for: w("2026-11-05", "2026-11-08"),
                                         taken: ["2026-11-05T000000Z_2026-11-08T000000Z", "2026-11-05T000000Z_2026-11-08T000000Z.2"])
            == "2026-11-05T000000Z_2026-11-08T000000Z.3")
    }
}

@Suite struct StateJobFileTests {
    @Test func theJobFileNamesTheStateAndTheLookback() throws {
        let job = try JobFile.parse(Data(#"{"out":"/r","state":"/var/lib/ap-reconcile/state","lookback_days":5}"#.utf8), path: "job.json")
        #expect(job.state == "/var/lib/ap-reconcile/state")
        #expect(job.lookbackDays == 5)
    }

    @Test func aWrongTypeIsAConfigurationError() {
        do {
            _ = try JobFile.parse(Data(#"{"lookback_days":"3"}"#.utf8), path: "job.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.status == .configuration)
            #expect(error.message.hasPrefix("job file job.json: setting lookback_days has the wrong type"))
        }
    }
}

import APModels
import APTransport
import Foundation
import JobSettings
@testable import Operations
import RunPipeline
import Testing

@Suite struct OutcomeJSONTests {
    func finished(_ name: String?, _ outcome: RunOutcome) -> FinishedRun {
        FinishedRun(account: name.map { Account(name: $0, out: "/r/\($0)") }, outcome: outcome,
                    endedAt: Date(timeIntervalSince1970: 0), durationSeconds: 1)
    }

    @Test func oneRunIsOneJSONObject() {
        let outcome = RunOutcome(status: .unavailable, headline: "no report written: \"API\" down\n(retried)")
        #expect(OutcomeLine.line(outcome, format: .json)
            == #"{"outcome":"FAILED","exit":69,"account":null,"headline":"no report written: \"API\" down\n(retried)"}"#)
        #expect(OutcomeLine.line(outcome, format: .text) == "ap-reconcile: FAILED (exit 69): no report written: \"API\" down\n(retried)")
    }

    @Test func accountsAreOneObjectEachThenTheSummary() {
        let runs = [finished("acme", completeOutcome()), finished("globex", failedOutcome())]
        let (lines, status) = OutcomeLine.lines(runs, format: .json)
        #expect(status == .unavailable)
        #expect(lines == [
            #"{"outcome":"DIAGNOSTICS","exit":1,"account":"acme","headline":"reconciled 1 payouts"}"#,
            #"{"outcome":"FAILED","exit":69,"account":"globex","headline":"no report written: API down"}"#,
            #"{"outcome":"FAILED","exit":69,"account":null,"headline":"2 accounts: acme DIAGNOSTICS (exit 1), globex FAILED (exit 69)"}"#,
        ])
        // The text form is unchanged by the split of the summary into word and headline.
        #expect(OutcomeLine.lines(runs, format: .text).lines.last
            == "ap-reconcile: FAILED (exit 69): 2 accounts: acme DIAGNOSTICS (exit 1), globex FAILED (exit 69)")
    }

    @Test func theTestEventSaysItIsATest() throws {
        let event = NotificationEvent.test(createdAt: Timestamp(epochSeconds: 0), account: "acme")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.body)) as? [String: Any])
        #expect(object["type"] as? String == "reconciliation.test")
        #expect(object["outcome"] as? String == "ok")
        #expect(object["account"] as? String == "acme")
        #expect(object["payouts"] is NSNull)
        let completed = NotificationEvent(createdAt: Timestamp(epochSeconds: 0), account: nil, outcome: failedOutcome())
        let other = try #require(try JSONSerialization.jsonObject(with: Data(completed.body)) as? [String: Any])
        #expect(other["type"] as? String == "reconciliation.completed")
    }
}

@Suite struct MetricsPushTests {
    func run(_ account: String?, _ outcome: RunOutcome) -> MetricsRun {
        MetricsRun(account: account, outcome: outcome, endedAt: Date(timeIntervalSince1970: 1_800_000_000), durationSeconds: 2.5)
    }

    @Test func aRunThatWroteItsReportsReplacesItsGroup() {
        let pushes = MetricsPush.pushes([run(nil, completeOutcome())], to: "http://pushgateway:9091/")
        #expect(pushes.count == 1)
        #expect(pushes[0].method == .put)
        #expect(pushes[0].url == "http://pushgateway:9091/metrics/job/ap-reconcile")
        // The families of the metrics file, exactly.
        #expect(pushes[0].body == MetricsFile.render([run(nil, completeOutcome())], previousSuccess: [:]))
    }

    @Test func eachAccountIsItsGroupAndCarriesNoAccountLabel() {
        let pushes = MetricsPush.pushes([run("acme", completeOutcome()), run("globex", failedOutcome())], to: "https://pg.example")
        #expect(pushes.map(\.url) == ["https://pg.example/metrics/job/ap-reconcile/account/acme",
                                      "https://pg.example/metrics/job/ap-reconcile/account/globex"])
        // A failed run keeps the group's last success and last complete counts: POST, not PUT.
        #expect(pushes.map(\.method) == [.put, .post])
        #expect(pushes[1].body == MetricsFile.render([run(nil, failedOutcome())], previousSuccess: [:]))
        #expect(!pushes[0].body.contains("account="))
        #expect(!pushes[1].body.contains("last_success_timestamp_seconds "))
    }

    @Test func accountNamesArePercentEncodedSegments() {
        #expect(MetricsPush.segment("acme-eu_1.x") == "acme-eu_1.x")
        #expect(MetricsPush.segment("a b/c") == "a%20b%2Fc")
    }
}

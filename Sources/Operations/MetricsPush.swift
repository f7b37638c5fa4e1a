import APTransport
import Foundation
import JobSettings
import Logging

/// `--metrics-push URL`: the run's metrics (the families `MetricsFile` renders) pushed to a
/// Prometheus Pushgateway, for schedulers where no node_exporter reads a textfile (Kubernetes).
///
/// Each account is its own group, `URL/metrics/job/ap-reconcile/account/NAME` (without accounts,
/// `URL/metrics/job/ap-reconcile`); the Pushgateway adds the grouping key's labels (`job`,
/// `account`) to every series, so the pushed text carries no `account` label of its own.
/// A run that wrote its reports PUTs: the group is replaced whole. A run that did not POSTs: only
/// the families it carries are replaced, so `last_success_timestamp_seconds` and the last
/// complete run's counts stay from the previous push, as the metrics file keeps them.
/// A push that fails is logged and changes nothing else: monitoring must not fail a run.
public enum MetricsPush {
    public static let job = "ap-reconcile"

    public struct Push: Sendable, Equatable {
        public var method: HTTPMethod
        public var url: String
        public var body: String
    }

    /// The requests for `runs`, one per account. Pure.
    public static func pushes(_ runs: [MetricsRun], to base: String) -> [Push] {
        var root = base
        while root.hasSuffix("/") { root.removeLast() }
        return runs.map { run in
            var anonymous = run
            anonymous.account = nil
            let group = root + "/metrics/job/" + job + (run.account.map { "/account/" + segment($0) } ?? "")
            return Push(method: run.outcome.reportsWritten ? .put : .post, url: group,
                        body: MetricsFile.render([anonymous], previousSuccess: [:]))
        }
    }

    /// A label value as one path segment: percent-encoded. The Pushgateway's base64 form
    /// (`account@base64/…`) is only needed for a `/`, which account names cannot hold.
    static func segment(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Sends every push; a failure is logged, never thrown.
    public static func send(_ runs: [MetricsRun], to base: String, transport: any HTTPTransport, logger: Logger) async {
        for push in pushes(runs, to: base) {
            let request = HTTPRequest(method: push.method, url: push.url,
                                      headers: [HTTPHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                                      body: Data(push.body.utf8), timeout: .seconds(30))
            let target = NotifySettings.redacted(push.url)
            do {
                let response = try await transport.send(request)
                if (200..<300).contains(response.status) {
                    logger.info("metrics pushed", metadata: ["url": "\(target)", "method": "\(push.method.rawValue)", "status": "\(response.status)"])
                } else {
                    logger.error("cannot push the metrics", metadata: ["url": "\(target)", "status": "\(response.status)"])
                }
            } catch {
                logger.error("cannot push the metrics", metadata: ["url": "\(target)", "reason": "\(error.kind.rawValue): \(error.detail)"])
            }
        }
    }
}

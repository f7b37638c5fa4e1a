import APClient
import APTransport
import Foundation
import Logging
import JobSettings
@testable import Operations
import RunPipeline
import Reconciliation
import Synchronization

/// An HTTPTransport answering from a script, recording every request it was sent.
final class ScriptedWebhookTransport: HTTPTransport {
    enum Step: Sendable {
        case status(Int)
        case failure(TransportError.Kind)
    }

    private let state: Mutex<(steps: [Step], sent: [HTTPRequest])>

    init(_ steps: [Step]) { state = Mutex((steps, [])) }

    var sent: [HTTPRequest] { state.withLock { $0.sent } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let step: Step = state.withLock { s in
            s.sent.append(request)
            return s.steps.isEmpty ? .status(204) : s.steps.removeFirst()
        }
        switch step {
        case .status(let code): return HTTPResponse(status: code, headers: HTTPHeaders(), body: Data())
        case .failure(let kind): throw TransportError(kind: kind, detail: "scripted", request: "POST \(request.url)")
        }
    }
}

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A result with one payout whose lines do not add up: 1 payout, 1 line, 1 error.
func oneErrorResult() -> ReconciliationResult {
    let usd = Currency(code: "USD")!
    var input = ReconciliationInput(window: ReportWindow(since: Timestamp(epochSeconds: 0), until: Timestamp(epochSeconds: 86_400)))
    input.payouts = [.record(Payout(id: "po_1", status: .succeeded, amount: Money(minorUnits: 100, currency: usd), createdAt: Timestamp(epochSeconds: 3600)))]
    input.payoutLines["po_1"] = [.record(PayoutTransaction(id: "t1", status: .succeeded, amount: Money(minorUnits: 90, currency: usd), type: .fee, direction: .inbound))]
    return reconcile(input)
}

let dayWindow = ReportWindow(since: Timestamp(epochSeconds: 0), until: Timestamp(epochSeconds: 86_400))

func completeOutcome() -> RunOutcome {
    var statistics = RequestStatistics()
    statistics.requestsByEndpoint = ["GET /payouts": 2, "GET /payouts/{id}/transactions": 1]
    statistics.retriesByEndpoint = ["GET /payouts": 1]
    statistics.tokenRequests = 1
    return RunOutcome(status: .diagnosticsFound, headline: "reconciled 1 payouts", result: oneErrorResult(), statistics: statistics,
                      files: ["report.json", "manifest.json"], fileDigests: ["report.json": "aa11", "manifest.json": "bb22"],
                      outputDirectory: "/reports/x", window: dayWindow)
}

func failedOutcome() -> RunOutcome {
    RunOutcome(status: .unavailable, headline: "no report written: API down", window: dayWindow)
}

import APModels
import JobSettings
@testable import RunPipeline
import Reconciliation
import Testing

@Suite struct FailOnTests {
    let usd = Currency(code: "USD")!

    func result(_ codes: [DiagnosticCode]) -> ReconciliationResult {
        var input = ReconciliationInput(window: ReportWindow(since: Timestamp(epochSeconds: 0), until: Timestamp(epochSeconds: 86_400 * 30)))
        // Build real diagnostics through the engine: one payout per code we can trigger cheaply.
        var payouts: [Fetched<Payout>] = []
        for (i, code) in codes.enumerated() {
            let id = "po_\(i)"
            switch code {
            case .payoutAmountMismatch: // error
                payouts.append(.record(Payout(id: id, status: .succeeded, amount: Money(minorUnits: 100, currency: usd), createdAt: Timestamp(epochSeconds: 3600))))
                input.payoutLines[id] = [.record(PayoutTransaction(id: "t\(i)", status: .succeeded, amount: Money(minorUnits: 90, currency: usd), type: .fee, direction: .inbound))]
            case .payoutFailed: // warning
                payouts.append(.record(Payout(id: id, status: .failed, amount: Money(minorUnits: 0, currency: usd), createdAt: Timestamp(epochSeconds: 3600))))
            default:
                break
            }
        }
        input.payouts = payouts
        return reconcile(input)
    }

    @Test func severitiesAgainstEachThreshold() {
        let errors = result([.payoutAmountMismatch])
        let warnings = result([.payoutFailed])
        let clean = result([])
        #expect(errors.diagnostics.map(\.code) == [.payoutAmountMismatch])
        #expect(warnings.diagnostics.map(\.code) == [.payoutFailed])
        #expect(Pipeline.exitStatus(for: errors, failOn: .error) == .diagnosticsFound)
        #expect(Pipeline.exitStatus(for: errors, failOn: .warning) == .diagnosticsFound)
        #expect(Pipeline.exitStatus(for: errors, failOn: .never) == .clean)
        #expect(Pipeline.exitStatus(for: warnings, failOn: .error) == .clean)
        #expect(Pipeline.exitStatus(for: warnings, failOn: .warning) == .diagnosticsFound)
        #expect(Pipeline.exitStatus(for: clean, failOn: .warning) == .clean)
    }

    @Test func onlyAcknowledgedErrorsExitZero() throws {
        let errors = result([.payoutAmountMismatch])
        let fingerprint = try #require(errors.diagnostics.first?.fingerprint)
        #expect(fingerprint == "PAYOUT_AMOUNT_MISMATCH|po_0|||")
        let asOf = Timestamp(epochSeconds: 86_400 * 31)
        let acknowledged = Acknowledgements([Acknowledgement(fingerprint: fingerprint, reason: "known", by: "ops", at: asOf)])
            .review(errors.diagnostics, asOf: asOf)
        #expect(Pipeline.exitStatus(for: errors, failOn: .error, review: acknowledged) == .clean)
        #expect(Pipeline.exitStatus(for: errors, failOn: .warning, review: acknowledged) == .clean)
        // Expired at the run's clock: it counts again.
        let expired = Acknowledgements([Acknowledgement(fingerprint: fingerprint, reason: "known", by: "ops", at: asOf, until: asOf)])
            .review(errors.diagnostics, asOf: asOf)
        #expect(Pipeline.exitStatus(for: errors, failOn: .error, review: expired) == .diagnosticsFound)
        // Acknowledged for other amounts (expected 100, actual 90 here): open again.
        let changed = Acknowledgements([Acknowledgement(fingerprint: fingerprint, reason: "known", by: "ops", at: asOf,
                                                        expected: 100, actual: 80, currency: usd)])
            .review(errors.diagnostics, asOf: asOf)
        #expect(Pipeline.exitStatus(for: errors, failOn: .error, review: changed) == .diagnosticsFound)
        let same = Acknowledgements([Acknowledgement(fingerprint: fingerprint, reason: "known", by: "ops", at: asOf,
                                                     expected: 90, actual: 100, currency: usd)])
            .review(errors.diagnostics, asOf: asOf)
        #expect(Pipeline.exitStatus(for: errors, failOn: .error, review: same) == .clean)
    }

    @Test func exitCodeTableIsTheDocumentedOne() {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 64, 65, 69, 73, 74, 75, 76, 77, 78, 130])
    }
}

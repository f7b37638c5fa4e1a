import ExternalTools
import Foundation
import Operations
import Testing

/// The `AP-Recon-Signature` header checked by a verifier the project did not write: Stripe's
/// Python library (`stripe.WebhookSignature.verify_header`) verifies the same `t=…,v1=…` scheme
/// (HMAC-SHA256 over "t.body"), so a receiver can use it as it is. scripts/test.sh installs it.
@Suite struct WebhookInteropTests {
    static let secret = "whsec_interop_7f3a"

    /// Exit status and stderr of the verifier for `body` under `header`.
    func verify(body: [UInt8], header: String) throws -> (status: Int32, stderr: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(body).write(to: folder.appendingPathComponent("body"))
        let result = try Python.run([
            "import sys, stripe",
            "body = open(sys.argv[1], 'rb').read()",
            "stripe.WebhookSignature.verify_header(body, sys.argv[2], sys.argv[3], tolerance=300)",
        ], arguments: [folder.appendingPathComponent("body").path, header, Self.secret])
        return (result.status, result.stderr)
    }

    @Test func stripesVerifierAcceptsOurSignatureAndRefusesATamperedBody() throws {
        let body = Array(#"{"id":"evt_1","type":"reconciliation.completed","headline":"ünïcödé ✓"}"#.utf8)
        let now = Int64(Date().timeIntervalSince1970)
        let header = WebhookSignature.sign(body: body, timestamp: now, secret: Self.secret)

        let good = try verify(body: body, header: header)
        #expect(good.status == 0, "stripe refused a signature it should accept: \(good.stderr)")

        let tampered = try verify(body: body + Array(" ".utf8), header: header)
        #expect(tampered.status != 0)
        #expect(tampered.stderr.contains("SignatureVerificationError"))

        let stale = try verify(body: body, header: WebhookSignature.sign(body: body, timestamp: now - 3600, secret: Self.secret))
        #expect(stale.status != 0)
        #expect(stale.stderr.contains("Timestamp outside the tolerance zone"))
    }
}

@testable import APTransport
import Testing

@Suite struct TransportSupportTests {
    @Test(arguments: [
        (Int32(28), TransportError.Kind.timeout), (7, .connectionRefused),
        (52, .connectionReset), (55, .connectionReset), (56, .connectionReset), (16, .connectionReset), (92, .connectionReset),
        (18, .truncatedBody), (6, .dnsFailure),
        (35, .tls), (51, .tls), (53, .tls), (54, .tls), (58, .tls), (59, .tls), (60, .tls), (64, .tls),
        (66, .tls), (77, .tls), (80, .tls), (82, .tls), (83, .tls), (90, .tls), (91, .tls),
        (63, .bodyTooLarge), (1, .invalidRequest), (3, .invalidRequest), (43, .invalidRequest),
        (5, .other), (23, .other), (47, .other), (99, .other),
    ])
    func curlCodeMapping(_ code: Int32, _ kind: TransportError.Kind) {
        #expect(TransportError.Kind(curlCode: code) == kind)
    }

    @Test func timeoutsInMilliseconds() {
        #expect(Duration.seconds(10).curlTimeoutMilliseconds == 10_000)
        #expect(Duration.milliseconds(1500).curlTimeoutMilliseconds == 1500)
        #expect(Duration.microseconds(1).curlTimeoutMilliseconds == 1)      // rounds up
        #expect(Duration.microseconds(1001).curlTimeoutMilliseconds == 2)
        #expect(Duration.zero.curlTimeoutMilliseconds == 1)                 // 0 would mean "never"
        #expect(Duration.seconds(-5).curlTimeoutMilliseconds == 1)
        #expect(Duration.seconds(Int64.max).curlTimeoutMilliseconds == Int.max)
        #expect(Duration.milliseconds(1500).curlTimeoutSeconds == 2)
        #expect(Duration.seconds(20).curlTimeoutSeconds == 20)
        #expect(Duration.zero.curlTimeoutSeconds == 1)
    }

    @Test func userInfoIsRedactedFromRequestDescriptions() {
        #expect(HTTPRequest.redactingUserInfo("https://u:p@host/a?b=c@d") == "https://***@host/a?b=c@d")
        #expect(HTTPRequest.redactingUserInfo("https://host/a?b=c@d") == "https://host/a?b=c@d")
        #expect(HTTPRequest.redactingUserInfo("http://a@b@host:8080") == "http://***@host:8080")
        #expect(HTTPRequest(method: .post, url: "http://x:y@h/p").errorDescription == "POST http://***@h/p")
    }
}

import APTransport
import Foundation
import TestCertificates
import Testing

/// https with the real libcurl transport against a local TLS server offering HTTP/2.
@Suite struct TLSTests {
    func caFile(_ pem: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString).pem")
        try Data(pem.utf8).write(to: url)
        return url.path
    }

    func server(_ identity: TestServer.Identity) async throws -> TestServer {
        try await TestServer.start(tls: identity) { router, _ in
            router.get("/hello") { _, _ in "hello over tls" }
        }
    }

    @Test func negotiatesHTTP2WithATrustedCertificate() async throws {
        let server = try await server(.init(certificate: TestCertificates.loopbackCertificate, key: TestCertificates.loopbackKey))
        var configuration = TransportConfiguration()
        configuration.caBundlePath = try caFile(TestCertificates.loopbackCertificate)
        let transport = CurlTransport(configuration: configuration)
        let responses = try await withThrowingTaskGroup(of: APTransport.HTTPResponse.self) { group in
            for _ in 0..<4 { group.addTask { try await transport.send(APTransport.HTTPRequest(url: server.base + "/hello")) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        transport.shutdown()
        await server.stop()
        #expect(responses.map(\.status) == [200, 200, 200, 200])
        #expect(responses.allSatisfy { $0.httpVersion == "2" })
        #expect(responses.allSatisfy { String(decoding: $0.body, as: UTF8.self) == "hello over tls" })
        // HTTP/2 multiplexes the four requests over one connection.
        #expect(transport.statistics.connectionsOpened == 1)
    }

    @Test func refusesACertificateNobodyTrusts() async throws {
        let server = try await server(.init(certificate: TestCertificates.loopbackCertificate, key: TestCertificates.loopbackKey))
        let transport = CurlTransport()
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(APTransport.HTTPRequest(url: server.base + "/hello"))
        }
        transport.shutdown()
        await server.stop()
        #expect(error?.kind == .tls)
        #expect(error?.curlCode == 60) // CURLE_PEER_FAILED_VERIFICATION
        #expect(error?.description.contains("certificate") == true)
    }

    @Test func refusesATrustedCertificateForAnotherHost() async throws {
        let server = try await server(.init(certificate: TestCertificates.wrongHostCertificate, key: TestCertificates.wrongHostKey))
        var configuration = TransportConfiguration()
        configuration.caBundlePath = try caFile(TestCertificates.wrongHostCertificate)
        let transport = CurlTransport(configuration: configuration)
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(APTransport.HTTPRequest(url: server.base + "/hello"))
        }
        transport.shutdown()
        await server.stop()
        #expect(error?.kind == .tls)
        #expect(error?.curlCode == 60)
    }
}

import APTransport
import Foundation
import Testing

/// The real libcurl client against an in-process Hummingbird server.
@Suite struct CurlTransportTests {
    private func outcome(_ transport: CurlTransport, _ request: APTransport.HTTPRequest) async -> Result<APTransport.HTTPResponse, TransportError> {
        do {
            return .success(try await transport.send(request))
        } catch {
            return .failure(error)
        }
    }

    private func expectFailure(
        _ result: Result<APTransport.HTTPResponse, TransportError>, sourceLocation: SourceLocation = #_sourceLocation
    ) -> TransportError? {
        switch result {
        case .success(let response):
            Issue.record("expected a TransportError, got status \(response.status)", sourceLocation: sourceLocation)
            return nil
        case .failure(let error):
            return error
        }
    }

    @Test func getReturnsStatusHeadersInOrderAndBody() async throws {
        let server = try await TestRoutes.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }

        let response = try await transport.send(.init(url: "\(server.base)/echo", headers: [HTTPHeader("X-Test", "abc")]))
        #expect(response.status == 200)
        #expect(response.body == Data())
        #expect(response.httpVersion == "1.1")
        #expect(response.headers["x-method"] == "GET")
        #expect(response.headers["X-Got-Test"] == "abc")
        #expect(response.headers.filter { $0.name == "X-Multi" }.map(\.value) == ["first", "second"])
        #expect(response.headers["Content-Length"] == "0")

        let teapot = try await transport.send(.init(url: "\(server.base)/status/418"))
        #expect(teapot.status == 418)
        #expect(teapot.body == Data("teapot".utf8))
        await server.stop()
    }

    @Test func postSendsBodyAndHeadersExactly() async throws {
        let server = try await TestRoutes.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }

        // Bytes that a C-string path would truncate (NUL) or mangle (high bytes), and
        // large enough that libcurl would otherwise add "Expect: 100-continue".
        var body = Data([0x00, 0xFF, 0x0A, 0x41])
        body.append(Data(repeating: 0x42, count: 5000))
        let response = try await transport.send(.init(
            method: .post, url: "\(server.base)/echo",
            headers: [HTTPHeader("Content-Type", "application/octet-stream"), HTTPHeader("X-Test", "posted")],
            body: body))
        #expect(response.status == 201)
        #expect(response.body == body)
        #expect(response.headers["X-Method"] == "POST")
        #expect(response.headers["X-Got-Test"] == "posted")
        #expect(response.headers["X-Got-Content-Type"] == "application/octet-stream")

        // Without a Content-Type libcurl would claim a form; we send none.
        let json = try await transport.send(.init(method: .put, url: "\(server.base)/echo", body: Data("{}".utf8)))
        #expect(json.status == 200)
        #expect(json.headers["X-Method"] == "PUT")
        #expect(json.body == Data("{}".utf8))
        #expect(json.headers["X-Got-Content-Type"] == "<none>")
        await server.stop()
    }

    @Test func sixtyFourRequestsWithConcurrencyFourAllCompleteAndNeverExceedFour() async throws {
        let counter = InFlightCounter()
        let server = try await TestRoutes.start(counter: counter, workBarrier: 4)
        var configuration = TransportConfiguration()
        configuration.maxConcurrentRequests = 4
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }

        let results = await withTaskGroup(of: (Int, Result<APTransport.HTTPResponse, TransportError>).self) { group in
            for n in 0..<64 {
                group.addTask { (n, await self.outcome(transport, .init(url: "\(server.base)/work/\(n)"))) }
            }
            var all: [Int: Result<APTransport.HTTPResponse, TransportError>] = [:]
            for await (n, result) in group { all[n] = result }
            return all
        }
        #expect(results.count == 64)
        for n in 0..<64 {
            let response = try #require(try results[n]?.get())
            #expect(response.status == 200)
            #expect(response.body == Data("\(n)".utf8))
        }
        #expect(counter.arrived == 64)
        #expect(counter.maximum == 4)
        // A handler that waited out its barrier means the client held transfers back
        // (as libcurl's PIPEWAIT did over plain http until the first response ended).
        #expect(counter.barrierTimeouts == 0)
        let statistics = transport.statistics
        #expect(statistics.transfersCompleted == 64)
        #expect(statistics.transfersFailed == 0)
        #expect(statistics.connectionsOpened <= 4)
        await server.stop()
    }

    @Test func fiftySequentialRequestsReuseOneConnection() async throws {
        let server = try await TestRoutes.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }

        var opened: [Int] = []
        for _ in 0..<50 {
            let response = try await transport.send(.init(url: "\(server.base)/hello"))
            #expect(response.body == Data("hello".utf8))
            opened.append(response.connectionsOpened)
        }
        #expect(opened == [1] + Array(repeating: 0, count: 49))
        #expect(transport.statistics == {
            var expected = TransportStatistics()
            expected.transfersCompleted = 50
            expected.connectionsOpened = 1
            return expected
        }())
        await server.stop()
    }

    @Test func requestTimeoutFailsWithTimeout() async throws {
        let server = try await TestRoutes.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }

        let result = await outcome(transport, .init(url: "\(server.base)/slow", timeout: .milliseconds(300)))
        let error = try #require(expectFailure(result))
        #expect(error.kind == .timeout)
        #expect(error.curlCode == 28)
        #expect(error.detail.hasPrefix("Operation timed out after"))
        #expect(error.request == "GET \(server.base)/slow")
        #expect(error.isTransient)
        await server.stop()
    }

    @Test func stalledBodyFailsWithTimeout() async throws {
        let server = try await TestRoutes.start()
        var configuration = TransportConfiguration()
        configuration.stallTimeout = .seconds(1)
        configuration.stallBytesPerSecond = 100
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }

        let error = try #require(expectFailure(await outcome(transport, .init(url: "\(server.base)/stall"))))
        #expect(error.kind == .timeout)
        #expect(error.curlCode == 28)
        #expect(error.detail.hasPrefix("Operation too slow"))
        await server.stop()
    }

    @Test func closedPortFailsWithConnectionRefused() async throws {
        let refusing = try RefusingPort()
        let transport = CurlTransport()
        defer { transport.shutdown() }

        let url = "http://127.0.0.1:\(refusing.port)/hello"
        let error = try #require(expectFailure(await outcome(transport, .init(url: url))))
        #expect(error.kind == .connectionRefused)
        #expect(error.curlCode == 7)
        #expect(error.request == "GET \(url)")
        #expect(transport.statistics.transfersFailed == 1)
    }

    @Test func bodyCapFailsWithBodyTooLarge() async throws {
        let server = try await TestRoutes.start()
        var configuration = TransportConfiguration()
        configuration.maxBodyBytes = 10_000
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }

        // Exactly at the cap is fine.
        let atCap = try await transport.send(.init(url: "\(server.base)/big/10000"))
        #expect(atCap.body == Data(repeating: UInt8(ascii: "x"), count: 10_000))

        // Declared too large (Content-Length): libcurl refuses up front.
        let declared = try #require(expectFailure(await outcome(transport, .init(url: "\(server.base)/big/10001"))))
        #expect(declared.kind == .bodyTooLarge)
        #expect(declared.curlCode == 63)
        #expect(declared.detail == "response body is larger than the cap of 10000 bytes (TransportConfiguration.maxBodyBytes)")

        // Undeclared (chunked): our write callback stops it.
        let streamed = try #require(expectFailure(await outcome(transport, .init(url: "\(server.base)/stream/50000"))))
        #expect(streamed.kind == .bodyTooLarge)
        #expect(streamed.curlCode == 23)

        // And the transport is still healthy.
        #expect(try await transport.send(.init(url: "\(server.base)/hello")).body == Data("hello".utf8))
        await server.stop()
    }

    @Test func cancellingARunningRequestFailsWithCancelledAndTransportKeepsWorking() async throws {
        let counter = InFlightCounter()
        let server = try await TestRoutes.start(counter: counter)
        let transport = CurlTransport()
        defer { transport.shutdown() }

        let task = Task { await outcome(transport, .init(url: "\(server.base)/slow")) }
        #expect(await counter.wait { arrived, _ in arrived == 1 })
        task.cancel()
        let error = try #require(expectFailure(await task.value))
        #expect(error.kind == .cancelled)
        #expect(error.curlCode == nil)
        #expect(error.detail == "the task was cancelled during the transfer")

        let response = try await transport.send(.init(url: "\(server.base)/hello"))
        #expect(response.status == 200)
        #expect(response.body == Data("hello".utf8))
        #expect(transport.statistics.transfersCancelled == 1)
        #expect(transport.statistics.transfersCompleted == 1)
        await server.stop()
    }

    @Test func cancellingAQueuedRequestFailsWithCancelled() async throws {
        let counter = InFlightCounter()
        let server = try await TestRoutes.start(counter: counter)
        var configuration = TransportConfiguration()
        configuration.maxConcurrentRequests = 1
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }

        let running = Task { await outcome(transport, .init(url: "\(server.base)/slow")) }
        #expect(await counter.wait { arrived, _ in arrived == 1 })
        let queued = Task { await outcome(transport, .init(url: "\(server.base)/hello")) }
        queued.cancel()
        let error = try #require(expectFailure(await queued.value))
        #expect(error.kind == .cancelled)
        running.cancel()
        #expect(try #require(expectFailure(await running.value)).kind == .cancelled)
        #expect(try await transport.send(.init(url: "\(server.base)/hello")).status == 200)
        await server.stop()
    }

    @Test func alreadyCancelledTaskFailsWithCancelled() async throws {
        let server = try await TestRoutes.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }

        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await outcome(transport, .init(url: "\(server.base)/hello"))
        }
        let error = try #require(expectFailure(await task.value))
        #expect(error.kind == .cancelled)
        #expect(error.detail == "the task was cancelled before the request was sent")
        await server.stop()
    }

    @Test func httpsToAPlainHTTPPortFailsWithTLS() async throws {
        let server = try await TestRoutes.start()
        let transport = CurlTransport()
        defer { transport.shutdown() }

        let error = try #require(expectFailure(await outcome(transport, .init(url: "https://127.0.0.1:\(server.port)/hello"))))
        #expect(error.kind == .tls)
        #expect(error.curlCode == 35)
        #expect(!error.isTransient)
        await server.stop()
    }

    @Test func missingCABundleFailsWithTLS() async throws {
        let server = try await TestRoutes.start()
        var configuration = TransportConfiguration()
        configuration.caBundlePath = "/nonexistent/ca.pem"
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }

        let error = try #require(expectFailure(await outcome(transport, .init(url: "https://127.0.0.1:\(server.port)/hello"))))
        #expect(error.kind == .tls)
        #expect(error.curlCode == 77)
        await server.stop()
    }

    @Test(arguments: [
        ("ftp://127.0.0.1/file", "unsupported URL scheme 'ftp'; only http and https are allowed"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'; only http and https are allowed"),
        ("/relative/path", "the URL is not absolute; expected http://… or https://…"),
        ("http://host/with space", "the URL contains spaces or control characters; percent-encode them"),
    ])
    func unsupportedOrMalformedURLsAreInvalidRequests(url: String, detail: String) async throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let error = try #require(expectFailure(await outcome(transport, .init(url: url))))
        #expect(error.kind == .invalidRequest)
        #expect(error.detail == detail)
        #expect(error.curlCode == nil)
    }

    @Test func urlThatLibcurlCannotParseIsAnInvalidRequest() async throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let error = try #require(expectFailure(await outcome(transport, .init(url: "http://[::1/"))))
        #expect(error.kind == .invalidRequest)
        #expect(error.curlCode == 3)
    }

    @Test func headerInjectionIsRefusedWithoutEchoingTheValue() async throws {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let secret = "Bearer s3cr3t-token"
        let request = APTransport.HTTPRequest(url: "http://127.0.0.1:1/", headers: [HTTPHeader("Authorization", secret + "\r\nX-Evil: 1")])
        let error = try #require(expectFailure(await outcome(transport, request)))
        #expect(error.kind == .invalidRequest)
        #expect(error.detail == "the value of request header 'Authorization' contains a line break or NUL")
        #expect(!error.description.contains("s3cr3t"))
    }

    @Test func errorsNeverContainRequestHeadersOrURLCredentials() async throws {
        let refusing = try RefusingPort()
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let request = APTransport.HTTPRequest(
            url: "http://user:hunter2@127.0.0.1:\(refusing.port)/x",
            headers: [HTTPHeader("Authorization", "Bearer s3cr3t-token")])
        let error = try #require(expectFailure(await outcome(transport, request)))
        #expect(error.kind == .connectionRefused)
        #expect(error.request == "GET http://***@127.0.0.1:\(refusing.port)/x")
        #expect(!error.description.contains("s3cr3t"))
        #expect(!error.description.contains("hunter2"))
        #expect(!String(reflecting: error).contains("s3cr3t"))
    }

    @Test func transfersInFlightDoNotOccupyTheCooperativePool() async throws {
        let counter = InFlightCounter()
        let server = try await TestRoutes.start(counter: counter)
        let transport = CurlTransport()  // 8 at once, more than this machine's pool threads
        defer { transport.shutdown() }

        let slow = (0..<8).map { _ in Task { await outcome(transport, .init(url: "\(server.base)/slow")) } }
        // While the server holds all 8, this task and its children still get to run:
        // the transfers wait on the curl thread, not on pool threads.
        #expect(await counter.wait { arrived, _ in arrived == 8 })
        let sum = await withTaskGroup(of: Int.self) { group in
            for n in 1...16 { group.addTask { n } }
            return await group.reduce(0, +)
        }
        #expect(sum == 136)
        #expect(counter.current == 8)

        server.gate.open()
        for task in slow {
            #expect(try await task.value.get().body == Data("finally".utf8))
        }
        await server.stop()
    }

    @Test func shutdownFailsRunningAndQueuedRequestsAndLaterSends() async throws {
        let counter = InFlightCounter()
        let server = try await TestRoutes.start(counter: counter)
        var configuration = TransportConfiguration()
        configuration.maxConcurrentRequests = 1
        let transport = CurlTransport(configuration: configuration)

        let tasks = (0..<3).map { _ in Task { await outcome(transport, .init(url: "\(server.base)/slow")) } }
        #expect(await counter.wait { arrived, _ in arrived == 1 })
        transport.shutdown()
        for task in tasks {
            let error = try #require(expectFailure(await task.value))
            #expect(error.kind == .cancelled)
            #expect(error.request == "GET \(server.base)/slow")
        }
        let later = try #require(expectFailure(await outcome(transport, .init(url: "\(server.base)/hello"))))
        #expect(later.kind == .cancelled)
        #expect(later.detail == "the transport was shut down")
        transport.shutdown()  // idempotent
        #expect(transport.statistics.transfersCancelled == 4)
        #expect(counter.arrived == 1)
        await server.stop()
    }
}

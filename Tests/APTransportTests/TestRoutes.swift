import Foundation
import HTTPTypes
import Hummingbird

/// The routes the transport tests talk to. `counter` sees every request to /work and /slow.
enum TestRoutes {
    static func start(counter: InFlightCounter = InFlightCounter(), workBarrier: Int = 4) async throws -> TestServer {
        try await TestServer.start { router, gate in
            router.get("/hello") { _, _ in "hello" }

            let echo: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                var headers = HTTPFields()
                headers.append(HTTPField(name: .init("X-Method")!, value: request.method.rawValue))
                headers.append(HTTPField(name: .init("X-Got-Test")!, value: request.headers[.init("X-Test")!] ?? "<none>"))
                headers.append(HTTPField(name: .init("X-Got-Content-Type")!, value: request.headers[.contentType] ?? "<none>"))
                headers.append(HTTPField(name: .init("X-Multi")!, value: "first"))
                headers.append(HTTPField(name: .init("X-Multi")!, value: "second"))
                return Response(status: request.method == .post ? .created : .ok, headers: headers, body: .init(byteBuffer: body))
            }
            router.get("/echo", use: echo)
            router.post("/echo", use: echo)
            router.put("/echo", use: echo)

            router.get("/status/418") { _, _ in
                Response(status: .init(code: 418, reasonPhrase: "I'm a teapot"), body: .init(byteBuffer: ByteBuffer(string: "teapot")))
            }

            // Holds each request until `workBarrier` have been seen at once (or 5 s pass), so
            // a test can tell that the client really ran them concurrently.
            router.get("/work/:n") { _, context in
                counter.enter()
                defer { counter.leave() }
                if !(await counter.wait { _, maximum in maximum >= workBarrier }) { counter.noteTimeout() }
                return try context.parameters.require("n")
            }

            router.get("/slow") { _, _ in
                counter.enter()
                defer { counter.leave() }
                await gate.hold(upTo: .seconds(10))
                return "finally"
            }

            // Sends 10 bytes, then nothing for 10 s (or until the server stops).
            router.get("/stall") { _, _ in
                Response(status: .ok, body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "0123456789"))
                    await gate.hold(upTo: .seconds(10))
                    try await writer.write(ByteBuffer(string: "late"))
                    try await writer.finish(nil)
                })
            }

            // n bytes with a Content-Length.
            router.get("/big/:n") { _, context in
                let n = try context.parameters.require("n", as: Int.self)
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: n)))
            }

            // n bytes in 1000-byte chunks without a Content-Length (chunked encoding).
            router.get("/stream/:n") { _, context in
                let n = try context.parameters.require("n", as: Int.self)
                return Response(status: .ok, body: ResponseBody { writer in
                    var left = n
                    while left > 0 {
                        let size = min(1000, left)
                        try await writer.write(ByteBuffer(repeating: UInt8(ascii: "y"), count: size))
                        left -= size
                    }
                    try await writer.finish(nil)
                })
            }
        }
    }
}

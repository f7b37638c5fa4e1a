import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import Logging
import NIOSSL
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Hummingbird server on 127.0.0.1 with an ephemeral port, running in a task for one test.
///
/// It runs inside a ServiceGroup so that `stop()` can shut it down gracefully. Cancelling
/// the run task instead races NIO accepting a connection against teardown and can crash
/// the test process ("Deinited NIOAsyncWriter without calling finish()").
struct TestServer {
    let port: Int
    let gate: Gate
    let scheme: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var base: String { "\(scheme)://127.0.0.1:\(port)" }

    /// A PEM certificate and key; with one, the server speaks TLS and offers HTTP/2 by ALPN.
    struct Identity {
        var certificate: String
        var key: String
    }

    static func start(tls identity: Identity? = nil, _ routes: (Router<BasicRequestContext>, Gate) -> Void) async throws -> TestServer {
        let router = Router()
        let gate = Gate()
        routes(router, gate)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "ap-transport-tests")
        logger.logLevel = .critical
        let server: HTTPServerBuilder
        if let identity {
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(identity.certificate.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(identity.key.utf8), format: .pem)))
            server = try .http2Upgrade(tlsConfiguration: tls)
        } else {
            server = .http1()
        }
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await group.triggerGracefulShutdown()
            throw TestServerError.didNotStart
        }
        return TestServer(port: port, gate: gate, scheme: identity == nil ? "http" : "https", group: group, task: task)
    }

    /// Lets held handlers finish, then shuts down gracefully and waits for it.
    func stop() async {
        gate.open()
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// Handlers that simulate a slow server wait on this; `TestServer.stop()` opens it so
/// that graceful shutdown does not wait for their full delay.
final class Gate: @unchecked Sendable {
    // @unchecked: `isOpen` is read and written under `lock`.
    private let lock = NSLock()
    private var isOpen = false

    func open() {
        lock.lock(); defer { lock.unlock() }
        isOpen = true
    }

    var opened: Bool { lock.lock(); defer { lock.unlock() }; return isOpen }

    /// Sleeps until the gate opens or `limit` passes.
    func hold(upTo limit: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while !opened, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

enum TestServerError: Error { case didNotStart, noFreePort }

/// A TCP port on 127.0.0.1 that refuses connections: bound (so nobody else gets it) but
/// never listening. Close it when done.
struct RefusingPort: ~Copyable {
    let port: Int
    private let fd: Int32

    init() throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestServerError.noFreePort }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw TestServerError.noFreePort
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}

/// Counts requests a handler is serving right now and the most seen at once.
final class InFlightCounter: @unchecked Sendable {
    // @unchecked: every field is read and written under `lock`.
    private let lock = NSLock()
    private var inside = 0
    private var peak = 0
    private var total = 0
    private var timeouts = 0

    func enter() {
        lock.lock(); defer { lock.unlock() }
        inside += 1
        total += 1
        peak = max(peak, inside)
    }

    func leave() {
        lock.lock(); defer { lock.unlock() }
        inside -= 1
    }

    func noteTimeout() {
        lock.lock(); defer { lock.unlock() }
        timeouts += 1
    }

    /// How many handlers gave up waiting for their barrier.
    var barrierTimeouts: Int { lock.lock(); defer { lock.unlock() }; return timeouts }

    var current: Int { lock.lock(); defer { lock.unlock() }; return inside }

    var maximum: Int { lock.lock(); defer { lock.unlock() }; return peak }
    var arrived: Int { lock.lock(); defer { lock.unlock() }; return total }

    /// Waits (polling) until `condition` holds or `limit` passes; returns whether it held.
    /// A synchronisation aid for handlers and tests, not a timing assertion.
    @discardableResult
    func wait(upTo limit: Duration = .seconds(5), until condition: (_ arrived: Int, _ maximum: Int) -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if condition(arrived, maximum) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(arrived, maximum)
    }
}

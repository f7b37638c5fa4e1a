import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import ServiceLifecycle

/// Why the sandbox could not start.
public struct SandboxStartError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

public enum SandboxServer {
    /// Binds `configuration.host:port` (port 0 picks a free one) and serves `dataset` until
    /// `RunningSandbox.stop()`. Returns once the socket is listening.
    public static func start(
        configuration: SandboxConfiguration,
        dataset: SandboxDataset,
        logger: Logger = Logger(label: "ap-sandbox")
    ) async throws -> RunningSandbox {
        let problems = configuration.faults.problems
        guard problems.isEmpty else { throw SandboxStartError(description: "invalid fault settings: " + problems.joined(separator: "; ")) }
        guard (0...65535).contains(configuration.port) else { throw SandboxStartError(description: "port \(configuration.port) is outside 0...65535") }
        guard configuration.tokenTTL >= 0 else { throw SandboxStartError(description: "token TTL \(configuration.tokenTTL) s is negative") }
        guard configuration.defaultPageSize >= 1, configuration.maxPageSize >= configuration.defaultPageSize else {
            throw SandboxStartError(description: "page sizes must satisfy 1 <= default (\(configuration.defaultPageSize)) <= max (\(configuration.maxPageSize))")
        }

        let state = SandboxState(faults: configuration.faults, seed: configuration.faultSeed)
        let store = SandboxStore(dataset: dataset)
        let webhooks = WebhookReceiver(secret: configuration.webhookSecret)
        let responder = SandboxResponder(store: store, state: state, configuration: configuration, webhooks: webhooks)
        let (portStream, portContinuation) = AsyncStream<Int?>.makeStream()
        let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [FaultChannelHandler(state: state)]))
        let server: HTTPServerBuilder
        if let identity = configuration.tls {
            server = try .tls(http1, tlsConfiguration: try tlsConfiguration(identity))
        } else {
            server = http1
        }
        let app = Application(
            responder: responder,
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port)
                portContinuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { portContinuation.finish() }
            do {
                try await group.run()
                return nil as String?
            } catch {
                return String(describing: error)
            }
        }
        var iterator = portStream.makeAsyncIterator()
        guard let reported = await iterator.next(), let port = reported else {
            let failure = await task.value
            throw SandboxStartError(description: "could not listen on \(configuration.host):\(configuration.port): \(failure ?? "server stopped")")
        }
        return RunningSandbox(port: port, host: configuration.host, scheme: configuration.tls == nil ? "http" : "https",
                              state: state, group: group, task: task, webhooks: webhooks)
    }

    /// The server side of TLS from PEM text; errors name which part could not be read.
    static func tlsConfiguration(_ identity: SandboxTLSIdentity) throws -> TLSConfiguration {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(Array(identity.certificatePEM.utf8))
        } catch {
            throw SandboxStartError(description: "the TLS certificate is not a readable PEM certificate chain: \(error)")
        }
        guard !certificates.isEmpty else { throw SandboxStartError(description: "the TLS certificate file holds no PEM certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem)
        } catch {
            // Never echo the key's bytes.
            throw SandboxStartError(description: "the TLS key is not a readable PEM private key")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}

/// A started sandbox. Stop it with `stop()` (idempotent).
public final class RunningSandbox: Sendable {
    public let port: Int
    /// "http://HOST:PORT" or "https://HOST:PORT" (IPv6 hosts bracketed).
    public let baseURL: String
    private let state: SandboxState
    private let group: ServiceGroup
    private let task: Task<String?, Never>
    private let stopped = NIOLockedValueBox(false)
    let webhooks: WebhookReceiver

    init(port: Int, host: String, scheme: String, state: SandboxState, group: ServiceGroup, task: Task<String?, Never>,
         webhooks: WebhookReceiver) {
        self.webhooks = webhooks
        self.port = port
        self.baseURL = host.contains(":") ? "\(scheme)://[\(host)]:\(port)" : "\(scheme)://\(host):\(port)"
        self.state = state
        self.group = group
        self.task = task
    }

    /// Requests by route, tokens issued, connections accepted, faults injected.
    public func stats() -> SandboxStats { state.stats }

    /// Random fault settings, changeable while running.
    public var faults: FaultConfiguration {
        get { state.faults }
        set { state.faults = newValue }
    }

    /// The `Date` header of every response from now on, e.g. `Thu, 01 Jan 2026 00:00:00 GMT`
    /// (nil: the real time): a server whose clock is off, for clients that compare clocks.
    public var dateHeader: String? {
        get { state.dateHeader }
        set { state.dateHeader = newValue }
    }

    /// Queues `fault` for the next `count` requests whose path starts with `pathPrefix`.
    public func enqueue(_ fault: ScriptedFault, matching pathPrefix: String = "/", count: Int = 1) {
        state.enqueue(fault, matching: pathPrefix, count: count)
    }

    /// Scripted faults not yet used.
    public var pendingScriptedFaults: Int { state.pendingScriptedFaults }

    public func clearScriptedFaults() { state.clearScriptedFaults() }

    /// Undoes `.revokeTokens`: POST /oauth/token issues tokens again.
    public func reinstateCredentials() { state.reinstateCredentials() }

    /// Every access token issued so far, revoked ones included: tests search the client's
    /// outputs (logs, errors, reports) for them.
    public func issuedTokens() -> [String] { state.issuedTokens }

    /// Every token issued so far answers 401 "expired" from now on.
    public func expireAllTokens() { state.expireAllTokens() }

    /// Stops accepting connections, lets requests in flight finish, and returns when the
    /// server has shut down. Calling it again does nothing.
    public func stop() async {
        let first = stopped.withLockedValue { wasStopped in
            defer { wasStopped = true }
            return !wasStopped
        }
        if first { await group.triggerGracefulShutdown() }
        _ = await task.value
    }

    /// Returns when the server has stopped (by `stop()` or a failure); the failure, if any.
    public func waitUntilStopped() async -> String? { await task.value }
}

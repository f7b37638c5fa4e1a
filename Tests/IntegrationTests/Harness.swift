import APClient
import APSandbox
import APTransport
import Foundation
import Logging
import Synchronization

/// Credentials the sandbox and the client share in these tests. The secret is distinctive so
/// a test can search every output for it.
let testClientID = "it-client"
let testClientSecret = "it-secret-Zq8Xv3Lw"

/// Starts the sandbox in-process on 127.0.0.1:0, builds the real libcurl client against it,
/// runs `body`, and stops both.
func withSandbox<R>(
    dataset: SandboxDataset,
    pageShape: PageShape = .openapi,
    tokenTTL: Int = 3600,
    faults: FaultConfiguration = .none,
    pageSize: Int = 100,
    retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50), budget: .seconds(30)),
    secret: String = testClientSecret,
    logs: LogCapture? = nil,
    _ body: (RunningSandbox, APIClient, SleepRecorder) async throws -> R
) async throws -> R {
    let sandbox = try await SandboxServer.start(
        configuration: SandboxConfiguration(clientID: testClientID, clientSecret: testClientSecret, tokenTTL: tokenTTL,
                                            pageShape: pageShape, faults: faults, environment: [:]),
        dataset: dataset, logger: Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() }))
    let transport = CurlTransport(configuration: TransportConfiguration())
    let sleeps = SleepRecorder()
    let logger = logs.map { capture in Logger(label: "client", factory: { _ in capture.handler() }) } ?? Logger(label: "client", factory: { _ in SwiftLogNoOpLogHandler() })
    var client: APIClient?
    do {
        let configuration = try APIClientConfiguration(
            baseURL: sandbox.baseURL, credentials: ClientCredentials(clientID: testClientID, clientSecret: secret),
            pageSize: pageSize, retryPolicy: retryPolicy)
        let made = APIClient(configuration: configuration, transport: transport, logger: logger,
                             sleep: { duration in try await sleeps.sleep(duration) })
        client = made
        let result = try await body(sandbox, made, sleeps)
        transport.shutdown()
        await sandbox.stop()
        return result
    } catch {
        _ = client
        transport.shutdown()
        await sandbox.stop()
        throw error
    }
}

/// Records each retry wait the client asks for, and waits at most 20 ms of it so the tests
/// stay fast while the client's decisions are still observable.
final class SleepRecorder: Sendable {
    private let waits = Mutex<[Duration]>([])
    func sleep(_ duration: Duration) async throws {
        waits.withLock { $0.append(duration) }
        try await Task.sleep(for: min(duration, .milliseconds(20)))
    }
    var recorded: [Duration] { waits.withLock { $0 } }
}

/// Collects every log line (message and metadata) the client emits.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func handler() -> some LogHandler { Handler(capture: self) }
    func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let error = event.error.map { " error=\($0)" } ?? ""
            capture.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))\(error)")
        }
    }
}

/// A dataset of `count` payouts with `linesPerPayout` lines each, from the sandbox's generator.
func generatedDataset(payouts: Int, linesPerPayout: Int = 2) -> SandboxDataset {
    SandboxDataset.generate(seed: 7, customers: 10, invoices: 50, payouts: payouts, linesPerPayout: linesPerPayout)
}

/// Ids of the readable records, in order.
func ids<T>(_ fetched: [Fetched<T>]) -> [String] where T: APIRecord {
    fetched.compactMap { $0.record?.id }
}

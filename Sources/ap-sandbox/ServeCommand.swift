import APSandbox
import ArgumentParser
import Foundation
import Logging

extension PageShape: ExpressibleByArgument {}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the API until SIGINT or SIGTERM.",
        discussion: """
        The first line on stdout is exactly `listening on http://HOST:PORT` (https:// with
        --tls-cert and --tls-key); logs go to stderr.
        Credentials: --client-id (or AP_CLIENT_ID), and the secret from AP_CLIENT_SECRET or
        --client-secret-file (never a flag value); defaults sandbox-client / sandbox-secret.
        """
    )

    @Option(help: "Dataset directory (customers.json, invoices.json, payment_requests.json, transactions.json, payouts.json). Default: samples/api when it holds payouts.json, else an empty store.")
    var dataset: String?
    @Flag(help: "Serve a generated dataset instead (see the size options).")
    var generate = false
    @OptionGroup(title: "Generated dataset") var sizes: GenerateOptions

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"
    @Option(help: "Port to bind; 0 picks a free one (printed on the first line).")
    var port = 8080
    @Option(help: "Client id expected in POST /oauth/token (default: AP_CLIENT_ID or sandbox-client).")
    var clientID: String?
    @Option(help: "File whose first line is the client secret (default: AP_CLIENT_SECRET or sandbox-secret).")
    var clientSecretFile: String?
    @Option(help: "Lifetime of access tokens in seconds (0: every token is already expired).")
    var tokenTTL = 3600
    @Option(help: "Shape of list replies: openapi, guide or alternating.")
    var pageShape: PageShape = .openapi
    @Option(help: "Default page size (limit).")
    var defaultPageSize = 100
    @Option(help: "Largest page size; larger limits are clamped.")
    var maxPageSize = 1000

    @Option(help: "Latency added to every request, in milliseconds.")
    var latencyMs = 0
    @Option(help: "Share (0...1) of requests answered 500/502/503.")
    var errorRate = 0.0
    @Flag(help: "Injected error pages are text/html like a proxy's instead of JSON.")
    var htmlErrors = false
    @Option(help: "Share (0...1) of requests answered 429.")
    var rateLimitRate = 0.0
    @Option(help: "Retry-After seconds of injected 429s (negative: send no Retry-After).")
    var retryAfter = 1
    @Option(help: "Share (0...1) of connections closed without a response.")
    var dropRate = 0.0
    @Option(help: "Share (0...1) of replies cut short (full Content-Length, half the body).")
    var truncateRate = 0.0
    @Option(help: "Share (0...1) of replies whose body stalls midway for --stall-ms.")
    var stallRate = 0.0
    @Option(help: "Length of a stall in milliseconds.")
    var stallMs = 2000
    @Flag(help: "Exempt POST /oauth/token from random faults.")
    var noFaultsOnTokenEndpoint = false
    @Option(help: "Seed of the fault draws: the same seed and request order give the same faults.")
    var faultSeed: UInt64 = 1

    @Option(help: "PEM certificate chain: serve https (HTTP/1.1 over TLS) instead of http. Needs --tls-key. Default: plain http.")
    var tlsCert: String?
    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    func validate() throws {
        if generate, dataset != nil { throw ValidationError("give --dataset or --generate, not both") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give --tls-cert and --tls-key together") }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = {
            var logger = Logger(label: "ap-sandbox")
            logger.logLevel = .info
            return logger
        }()

        let environment = ProcessInfo.processInfo.environment
        var secret: String?
        if let clientSecretFile {
            guard let text = try? String(contentsOfFile: clientSecretFile, encoding: .utf8),
                  let line = text.split(whereSeparator: \.isNewline).first, !line.isEmpty else {
                throw ValidationError("--client-secret-file \(clientSecretFile): cannot read a secret from its first line")
            }
            secret = String(line)
        }
        let faults = FaultConfiguration(
            latencyMs: latencyMs, errorRate: errorRate, htmlErrors: htmlErrors, rateLimitRate: rateLimitRate,
            retryAfterSeconds: retryAfter >= 0 ? retryAfter : nil, dropRate: dropRate, truncateRate: truncateRate,
            stallRate: stallRate, stallMs: stallMs, faultsOnTokenEndpoint: !noFaultsOnTokenEndpoint
        )
        if !faults.problems.isEmpty { throw ValidationError(faults.problems.joined(separator: "; ")) }
        let configuration = SandboxConfiguration(
            host: host, port: port, clientID: clientID, clientSecret: secret, tokenTTL: tokenTTL, pageShape: pageShape,
            defaultPageSize: defaultPageSize, maxPageSize: maxPageSize, faults: faults, faultSeed: faultSeed,
            tls: try loadTLSIdentity(), environment: environment
        )
        let data = try loadDataset(logger: logger)

        let running: RunningSandbox
        do {
            running = try await SandboxServer.start(configuration: configuration, dataset: data, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("ap-sandbox: \(error)\n".utf8))
            throw ExitCode(1)
        }
        // Written straight to the descriptor: scripts wait for this exact first line.
        FileHandle.standardOutput.write(Data("listening on \(running.baseURL)\n".utf8))
        logger.info("serving \(data.customers.count) customers, \(data.invoices.count) invoices, \(data.transactions.count) transactions, \(data.payouts.count) payouts; client id \(configuration.clientID)")

        let signals = SignalWatcher { signal in
            logger.info("received \(signal), stopping")
            Task { await running.stop() }
        }
        let failure = await running.waitUntilStopped()
        signals.cancel()
        if let failure {
            FileHandle.standardError.write(Data("ap-sandbox: server stopped: \(failure)\n".utf8))
            throw ExitCode(1)
        }
        logger.info("stopped")
    }

    private func loadTLSIdentity() throws -> SandboxTLSIdentity? {
        guard let tlsCert, let tlsKey else { return nil }
        guard let certificate = try? String(contentsOfFile: tlsCert, encoding: .utf8) else {
            throw CLIError(description: "--tls-cert \(tlsCert): cannot read the file")
        }
        guard let key = try? String(contentsOfFile: tlsKey, encoding: .utf8) else {
            throw CLIError(description: "--tls-key \(tlsKey): cannot read the file")
        }
        return SandboxTLSIdentity(certificatePEM: certificate, privateKeyPEM: key)
    }

    private func loadDataset(logger: Logger) throws -> SandboxDataset {
        if generate { return sizes.dataset() }
        if let dataset {
            do {
                return try SandboxDataset.load(directory: URL(fileURLWithPath: dataset))
            } catch {
                throw CLIError(description: error.description)
            }
        }
        let samples = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("samples/api")
        if FileManager.default.fileExists(atPath: samples.appendingPathComponent("payouts.json").path) {
            logger.info("no --dataset given: serving \(samples.path)")
            do {
                return try SandboxDataset.load(directory: samples)
            } catch {
                throw CLIError(description: error.description)
            }
        }
        FileHandle.standardError.write(Data("ap-sandbox: note: no --dataset or --generate and no samples/api/payouts.json here; serving an empty store (stage data with POST /sandbox/payments and /sandbox/payouts)\n".utf8))
        return .empty
    }
}

/// A failure that is not a usage mistake: printed as "Error: …" without the usage text.
struct CLIError: Error, CustomStringConvertible {
    var description: String
}

/// Turns SIGINT/SIGTERM into a callback instead of the default kill, so the server can
/// stop gracefully.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable (String) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(name) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func cancel() { for source in sources { source.cancel() } }
}

import APSandbox
import APTransport
import Foundation
import Logging

/// How many requests per second the sandbox serves on loopback with no added latency.
struct LoadResult: Sendable {
    var tool: String
    var path: String
    var connections: Int
    var seconds: Double
    var requests: Int
    var requestsPerSecond: Double
    var connectionsAccepted: Int
}

enum LoadBench {
    static func run(connections: Int, seconds: Int, path: String, preferWrk: Bool) async throws -> LoadResult {
        var logger = Logger(label: "ap-bench.sandbox")
        logger.logLevel = .error
        let sandbox = try await SandboxServer.start(configuration: SandboxConfiguration(port: 0),
                                                    dataset: BenchSize.all[0].dataset(), logger: logger)
        let token = try await fetchToken(baseURL: sandbox.baseURL)
        let url = sandbox.baseURL + path
        defer { Task { await sandbox.stop() } }

        if preferWrk, let wrk = which("wrk") {
            let child = try await Task.detached {
                try runChild(wrk, ["-t2", "-c\(connections)", "-d\(seconds)s", "-H", "Authorization: Bearer \(token)", url])
            }.value
            let stats = sandbox.stats()
            let rate = child.stdout.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }
                .flatMap { Double($0.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let total = stats.requestsByRoute.filter { $0.key != "POST /oauth/token" }.values.reduce(0, +)
            return LoadResult(tool: "wrk -t2 -c\(connections)", path: path, connections: connections, seconds: Double(seconds),
                              requests: total, requestsPerSecond: rate, connectionsAccepted: stats.connectionsAccepted)
        }

        // Built in: `connections` keep-alive transfers in flight through CurlTransport, for `seconds`.
        var configuration = TransportConfiguration()
        configuration.maxConcurrentRequests = connections
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }
        let request = HTTPRequest(url: url, headers: [HTTPHeader("Authorization", "Bearer \(token)")])
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        let began = clock.now
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var n = 0
                    while clock.now < deadline {
                        let response = try await transport.send(request)
                        guard response.status == 200 else { throw ChildProcessError(description: "load: HTTP \(response.status) from \(path)") }
                        n += 1
                    }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = (clock.now - began).seconds
        return LoadResult(tool: "built-in (CurlTransport, \(connections) in flight)", path: path, connections: connections,
                          seconds: elapsed, requests: done, requestsPerSecond: Double(done) / elapsed,
                          connectionsAccepted: sandbox.stats().connectionsAccepted)
    }

    static func fetchToken(baseURL: String) async throws -> String {
        let transport = CurlTransport()
        defer { transport.shutdown() }
        let basic = Data("sandbox-client:sandbox-secret".utf8).base64EncodedString()
        let response = try await transport.send(HTTPRequest(
            method: .post, url: baseURL + "/oauth/token",
            headers: [HTTPHeader("Authorization", "Basic \(basic)"), HTTPHeader("Content-Type", "application/x-www-form-urlencoded")],
            body: Data("grant_type=client_credentials".utf8)))
        guard response.status == 200,
              let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let token = object["access_token"] as? String
        else { throw ChildProcessError(description: "load: POST /oauth/token answered \(response.status)") }
        return token
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

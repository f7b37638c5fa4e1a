import APSandbox
import Foundation
import Testing

/// One HTTP exchange made with the curl CLI: what a real client saw on the wire.
struct CurlResult: Sendable {
    var exitCode: Int32
    var status: Int
    /// Lower-cased names → last value.
    var headers: [String: String]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSON { try JSON.parse(body) }

    func object() throws -> JSONObject {
        let value = try json()
        return try #require(value.objectValue, "expected a JSON object, got \(text)")
    }
}

enum Curl {
    /// Runs curl without blocking a cooperative thread (the server under test needs them).
    static func run(_ arguments: [String]) async throws -> CurlResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sbx-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let headerFile = dir.appendingPathComponent("headers")
        let bodyFile = dir.appendingPathComponent("body")
        let statusFile = dir.appendingPathComponent("status")
        _ = FileManager.default.createFile(atPath: statusFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", "30", "-D", headerFile.path, "-o", bodyFile.path, "-w", "%{http_code}"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: statusFile)
        process.standardError = FileHandle.nullDevice
        let exitCode: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let status = Int((try? String(contentsOf: statusFile, encoding: .utf8)) ?? "") ?? 0
        var headers: [String: String] = [:]
        let rawHeaders = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        for line in rawHeaders.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = (try? Data(contentsOf: bodyFile)).map { [UInt8]($0) } ?? []
        return CurlResult(exitCode: exitCode, status: status, headers: headers, body: body)
    }
}

/// A sandbox started on port 0 for one test, with a few request helpers.
struct SandboxHarness {
    let server: RunningSandbox
    var token: String = ""

    static func start(_ configuration: SandboxConfiguration = SandboxConfiguration(environment: [:]),
                      dataset: SandboxDataset = .empty, authenticate: Bool = true) async throws -> SandboxHarness {
        var harness = SandboxHarness(server: try await SandboxServer.start(configuration: configuration, dataset: dataset))
        if authenticate { harness.token = try await harness.newToken() }
        return harness
    }

    var base: String { server.baseURL }

    func tokenRequest(user: String? = "sandbox-client:sandbox-secret", form: String = "grant_type=client_credentials") async throws -> CurlResult {
        var arguments = ["-X", "POST", base + "/oauth/token", "-H", "Content-Type: application/x-www-form-urlencoded", "-d", form]
        if let user { arguments += ["-u", user] }
        return try await Curl.run(arguments)
    }

    func newToken() async throws -> String {
        let reply = try await tokenRequest()
        #expect(reply.status == 200, "token request answered \(reply.status): \(reply.text)")
        return try #require(try reply.object().string("access_token"))
    }

    func get(_ path: String, token: String? = nil) async throws -> CurlResult {
        try await Curl.run([base + path, "-H", "Authorization: Bearer \(token ?? self.token)"])
    }

    func send(_ method: String, _ path: String, json: String? = nil) async throws -> CurlResult {
        var arguments = ["-X", method, base + path, "-H", "Authorization: Bearer \(token)"]
        if let json { arguments += ["-H", "Content-Type: application/json", "-d", json] }
        return try await Curl.run(arguments)
    }

    func stop() async { await server.stop() }
}

extension JSONObject {
    func int(_ key: String) -> Int64? { self[key]?.minorUnits }
    func array(_ key: String) -> [JSONObject]? { self[key]?.arrayValue?.compactMap(\.objectValue) }
}

/// Small datasets built in code (no fixture files to drift from the tests).
enum Fixtures {
    static func record(_ fields: [(String, JSON)]) -> JSONObject {
        JSONObject(fields.map { JSONField($0.0, $0.1) })
    }

    static func payout(_ id: String, _ createdAt: String, amount: Int64 = 1000, status: String = "succeeded", lines: [JSONObject] = []) -> JSONObject {
        record([("id", .string(id)), ("status", .string(status)), ("amount", .integer(amount)), ("currency", .string("USD")),
                ("created_at", .string(createdAt)), ("lines", .array(lines.map(JSON.object)))])
    }

    static func line(_ id: String, amount: JSON, type: String = "payment", direction: String = "inbound", invoice: String? = nil) -> JSONObject {
        var fields: [(String, JSON)] = [("id", .string(id)), ("status", .string("succeeded")), ("amount", amount), ("currency", .string("USD")),
                                        ("type", .string(type)), ("direction", .string(direction))]
        if let invoice { fields.append(("invoice_id", .string(invoice))) }
        return record(fields)
    }

    static func invoice(_ id: String, status: String, amount: Int64 = 150000, createdAt: String = "2024-01-01T00:00:00Z", due: String = "2024-02-01") -> JSONObject {
        record([("id", .string(id)), ("customer_id", .string("cus_1")), ("status", .string(status)), ("amount", .integer(amount)),
                ("currency", .string("USD")), ("due_date", .string(due)), ("created_at", .string(createdAt))])
    }
}

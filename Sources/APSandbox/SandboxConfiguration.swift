import Foundation

/// How list replies are shaped (see docs/sandbox.md § Paging).
public enum PageShape: String, Sendable, CaseIterable {
    /// `{"data","has_next_page","has_previous_page","start_cursor","end_cursor"}`
    case openapi
    /// `{"data","pagination":{"has_next_page","end_cursor"}}`; payout lines under "transactions".
    case guide
    /// openapi and guide in turn, one list request after another.
    case alternating
}

/// A certificate chain and its private key, both PEM, for serving https.
public struct SandboxTLSIdentity: Sendable, Equatable {
    public var certificatePEM: String
    public var privateKeyPEM: String
    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}

extension SandboxTLSIdentity: CustomStringConvertible {
    /// Never shows the private key.
    public var description: String { "SandboxTLSIdentity(certificate: \(certificatePEM.utf8.count) bytes, key: <redacted>)" }
}

public struct SandboxConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; `RunningSandbox.port` tells which.
    public var port: Int
    public var clientID: String
    public var clientSecret: String
    /// Lifetime of issued tokens in seconds; 0 makes every token expired on arrival.
    public var tokenTTL: Int
    public var pageShape: PageShape
    public var defaultPageSize: Int
    public var maxPageSize: Int
    public var faults: FaultConfiguration
    public var faultSeed: UInt64
    /// Shared secret POST /sandbox/webhooks verifies signatures with (default: $AP_RECON_WEBHOOK_SECRET;
    /// without one every delivery is rejected as not_configured).
    public var webhookSecret: String?
    /// Serve https with this identity (HTTP/1.1 over TLS) instead of plain http.
    public var tls: SandboxTLSIdentity?

    /// Credentials default to AP_CLIENT_ID / AP_CLIENT_SECRET from the environment,
    /// else "sandbox-client" / "sandbox-secret".
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        clientID: String? = nil,
        clientSecret: String? = nil,
        tokenTTL: Int = 3600,
        pageShape: PageShape = .openapi,
        defaultPageSize: Int = 100,
        maxPageSize: Int = 1000,
        faults: FaultConfiguration = .none,
        faultSeed: UInt64 = 1,
        tls: SandboxTLSIdentity? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID ?? environment["AP_CLIENT_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? "sandbox-client"
        self.clientSecret = clientSecret ?? environment["AP_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 } ?? "sandbox-secret"
        self.tokenTTL = tokenTTL
        self.pageShape = pageShape
        self.defaultPageSize = defaultPageSize
        self.maxPageSize = maxPageSize
        self.faults = faults
        self.faultSeed = faultSeed
        self.webhookSecret = environment["AP_RECON_WEBHOOK_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        self.tls = tls
    }
}

extension SandboxConfiguration: CustomStringConvertible {
    /// Never shows the client secret.
    public var description: String {
        "SandboxConfiguration(host: \(host), port: \(port), clientID: \(clientID), clientSecret: <redacted>, tokenTTL: \(tokenTTL), pageShape: \(pageShape.rawValue), tls: \(tls == nil ? "off" : "on"))"
    }
}

import Foundation

/// The OAuth client id and secret. The secret is never printed: `description`,
/// `debugDescription` and `dump` show it as `<redacted>`. Deliberately not Codable, so it
/// cannot end up in a serialized config or log payload by accident.
public struct ClientCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var clientID: String
    public var clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    public var description: String { "ClientCredentials(clientID: \(clientID), clientSecret: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["clientID": clientID, "clientSecret": "<redacted>"], displayStyle: .struct)
    }

    /// `Basic base64(client_id:client_secret)` as CONTRACT.md specifies.
    var basicAuthorization: String { "Basic " + basicToken }

    private var basicToken: String { Data("\(clientID):\(clientSecret)".utf8).base64EncodedString() }

    /// Strings that must never appear in an error: the secret and its Basic encoding.
    var secrets: [String] { [clientSecret, basicToken] }
}

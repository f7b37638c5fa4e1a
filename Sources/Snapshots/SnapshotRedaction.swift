import APTransport
import Foundation
import JobSettings
import Publishing

/// What `--record` removes before anything reaches the disk. Pure functions over bytes.
///
/// - Request headers are never recorded (they carry `Authorization`).
/// - Response headers whose name can carry a credential (Authorization, cookies, anything with
///   token/secret/auth/key/session/signature/password in its name) are dropped, and so is any
///   header whose value contains a known secret.
/// - The token reply's `access_token` (and `refresh_token`/`id_token` if present) becomes
///   `<redacted>`; the rest of that body (`expires_in`, `token_type`) is kept so replay can parse it.
/// - Every known secret — the client secret, its Basic encoding, every access token issued
///   during the run — is replaced by `<redacted>` wherever else it appears in a body.
public enum SnapshotRedaction {
    public static let marker = "<redacted>"
    static let tokenFields = ["access_token", "refresh_token", "id_token"]
    static let droppedHeaderNames: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie", "www-authenticate"]
    static let droppedHeaderWords = ["token", "secret", "auth", "key", "session", "signature", "password", "cookie"]

    /// In words, for the index.
    public static let summary = [
        "request headers are not recorded",
        "response headers that can carry credentials are dropped",
        "access_token, refresh_token and id_token in POST /oauth/token replies are replaced by \(marker)",
        "the client secret, its Basic encoding and every access token are replaced by \(marker) wherever they appear",
    ]

    /// Whether `path` (relative to the base URL) is the OAuth token endpoint.
    public static func isTokenEndpoint(method: String, path: String) -> Bool {
        method == "POST" && (path == "/oauth/token" || path.hasPrefix("/oauth/token?"))
    }

    /// The client's secrets as they could appear on the wire: the secret and `base64(id:secret)`.
    public static func credentialSecrets(clientID: String, clientSecret: String) -> [String] {
        [clientSecret, Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()]
    }

    /// Token values in a token reply (empty when it is not a JSON object).
    public static func tokenValues(inTokenReply body: [UInt8]) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return [] }
        return tokenFields.compactMap { object[$0] as? String }.filter { !$0.isEmpty && $0 != marker }
    }

    /// The token reply with its token fields redacted and nothing else changed. If a token is
    /// written with JSON escapes the bytes do not match, so the object is written anew instead.
    public static func redactTokenReply(_ body: [UInt8], secrets: [String]) -> [UInt8] {
        let scrubbed = scrub(body, secrets: secrets)
        guard !tokenValues(inTokenReply: scrubbed).isEmpty,
              var object = (try? JSONSerialization.jsonObject(with: Data(scrubbed))) as? [String: Any] else { return scrubbed }
        for field in tokenFields where object[field] is String { object[field] = marker }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return Array(marker.utf8)
        }
        return Array(data)
    }

    /// `bytes` with every occurrence of every secret (also in its JSON-escaped form) replaced by the marker.
    public static func scrub(_ bytes: [UInt8], secrets: [String]) -> [UInt8] {
        var forms: [[UInt8]] = []
        for secret in secrets where !secret.isEmpty {
            forms.append(Array(secret.utf8))
            let escaped = secret.replacingOccurrences(of: "/", with: "\\/")
            if escaped != secret { forms.append(Array(escaped.utf8)) }
        }
        var result = bytes
        for form in forms.sorted(by: { $0.count > $1.count }) { result = replace(form, in: result) }
        return result
    }

    /// Response headers worth keeping: none that names or holds a credential.
    public static func keptHeaders(_ headers: HTTPHeaders, secrets: [String]) -> [RecordedHeader] {
        headers.entries.filter { header in
            let name = header.name.lowercased()
            if droppedHeaderNames.contains(name) { return false }
            if droppedHeaderWords.contains(where: { name.contains($0) }) { return false }
            return !secrets.contains { !$0.isEmpty && header.value.contains($0) }
        }.map { RecordedHeader(name: $0.name, value: $0.value) }
    }

    static func replace(_ needle: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return haystack }
        // Foundation's search is much faster than a byte loop, and bodies can be megabytes.
        let data = Data(haystack)
        let pattern = Data(needle)
        guard var found = data.range(of: pattern) else { return haystack }
        var out = Data()
        out.reserveCapacity(data.count)
        var from = data.startIndex
        while true {
            out.append(data[from..<found.lowerBound])
            out.append(contentsOf: Self.marker.utf8)
            from = found.upperBound
            guard let next = data.range(of: pattern, in: from..<data.endIndex) else { break }
            found = next
        }
        out.append(data[from..<data.endIndex])
        return Array(out)
    }
}

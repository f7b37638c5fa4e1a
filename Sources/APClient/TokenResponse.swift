import Foundation

/// The body of a successful `POST /oauth/token`.
struct TokenResponse: Sendable {
    var accessToken: String
    var expiresIn: Int64

    enum ParseError: Error, Equatable {
        case notJSONObject
        case missingAccessToken
        case invalidExpiresIn(String)
        case missingExpiresIn

        var detail: String {
            switch self {
            case .notJSONObject: "the token reply is not a JSON object"
            case .missingAccessToken: "the token reply has no access_token string"
            case .missingExpiresIn: "the token reply has no expires_in"
            case .invalidExpiresIn(let why): "the token reply's expires_in is \(why)"
            }
        }
    }

    /// Parses `{"access_token": "...", "expires_in": 3600}`; expires_in may be a number or a
    /// digit string. Error details never include the token.
    static func parse(_ body: Data) -> Result<TokenResponse, ParseError> {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body), case .object(let object) = value else {
            return .failure(.notJSONObject)
        }
        guard case .string(let token)? = object["access_token"], !token.isEmpty else { return .failure(.missingAccessToken) }
        let seconds: Int64
        switch object["expires_in"] {
        case nil, .null?:
            return .failure(.missingExpiresIn)
        case .integer(let n)?:
            seconds = n
        case .string(let s)?:
            guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int64(s) else {
                return .failure(.invalidExpiresIn("\"\(s.prefix(20))\", not a whole number of seconds"))
            }
            seconds = n
        case .number(let text)?:
            return .failure(.invalidExpiresIn("\(text.prefix(20)), not a whole number of seconds"))
        case let other?:
            return .failure(.invalidExpiresIn("\(other.kindName), not a number"))
        }
        guard seconds > 0 else { return .failure(.invalidExpiresIn("\(seconds), not positive")) }
        return .success(TokenResponse(accessToken: token, expiresIn: min(seconds, 10 * 365 * 86_400)))
    }
}

extension HTTPRequest {
    /// "GET https://host/path?query" for errors. Any userinfo ("user:pass@") in the URL
    /// is replaced with "***" so credentials cannot leak through an error message.
    /// Request headers are never part of it.
    var errorDescription: String {
        "\(method.rawValue) \(Self.redactingUserInfo(url))"
    }

    static func redactingUserInfo(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let authorityStart = schemeEnd.upperBound
        let rest = url[authorityStart...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? url.endIndex
        guard let at = url[authorityStart..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<authorityStart]) + "***" + String(url[at...])
    }

    /// The URL's scheme, lowercased, or nil when there is no "scheme://".
    var lowercasedScheme: String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        return url[..<schemeEnd.lowerBound].lowercased()
    }
}

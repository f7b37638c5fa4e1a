import APClient
import Foundation
import Testing

@Suite struct ConfigurationTests {
    @Test func trailingSlashIsDroppedAndPathPrefixKept() throws {
        let a = try APIClientConfiguration(baseURL: "https://public-api.alternativepayments.io/", credentials: Fixture.credentials)
        #expect(a.baseURL == "https://public-api.alternativepayments.io")
        let b = try APIClientConfiguration(baseURL: "http://localhost:8080/ap//", credentials: Fixture.credentials)
        #expect(b.baseURL == "http://localhost:8080/ap")
        #expect(b.pageSize == 100)
        #expect(b.maxPages == 100_000)
        #expect(b.tokenSafetyMargin == .seconds(30))
        #expect(b.retryPolicy == RetryPolicy())
    }

    @Test(arguments: [
        ("ftp://example.com", "base URL is invalid: scheme \"ftp\" is not http or https"),
        ("https://user:pw@example.com", "base URL is invalid: it contains user info; pass credentials separately"),
        ("https://example.com?x=1", "base URL is invalid: it contains a query"),
        ("https://example.com#top", "base URL is invalid: it contains a fragment"),
        ("example.com", "base URL is invalid: not a URL"),
        ("https://", "base URL is invalid: no host"),
    ])
    func invalidBaseURLs(url: String, detail: String) {
        #expect {
            _ = try APIClientConfiguration(baseURL: url, credentials: Fixture.credentials)
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.kind == .configuration && e.detail == detail && e.exitCode == 78 && !e.description.contains("pw@")
        }
    }

    @Test func emptyCredentialsAreAConfigurationError() {
        #expect(throws: APIError.self) {
            _ = try APIClientConfiguration(baseURL: "https://x.test", credentials: ClientCredentials(clientID: "a", clientSecret: ""))
        }
    }

    @Test func credentialsNeverPrintTheSecret() {
        let c = Fixture.credentials
        var dumped = ""
        dump(c, to: &dumped)
        for text in [c.description, c.debugDescription, String(describing: c), String(reflecting: c), "\(c)", dumped] {
            #expect(!text.contains(Fixture.secret))
            #expect(text.contains("client-abc"))
        }
        #expect(c.description == "ClientCredentials(clientID: client-abc, clientSecret: <redacted>)")
    }

    @Test func exitCodesPerKind() {
        let table: [APIError.Kind: Int32] = [
            .authentication: 77, .permission: 77, .rateLimited: 69, .unavailable: 69,
            .protocolViolation: 76, .clientError: 76, .notFound: 66, .configuration: 78,
        ]
        for kind in APIError.Kind.allCases {
            #expect(APIError(kind: kind, detail: "x").exitCode == table[kind])
        }
    }
}

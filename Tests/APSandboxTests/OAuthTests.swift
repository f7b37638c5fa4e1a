import APSandbox
import Testing

@Suite struct OAuthTests {
    @Test func goodCredentialsGetABearerToken() async throws {
        let sandbox = try await SandboxHarness.start(authenticate: false)
        let reply = try await sandbox.tokenRequest()
        #expect(reply.status == 200)
        let body = try reply.object()
        #expect(body.keys == ["access_token", "token_type", "expires_in"])
        #expect(body.string("token_type") == "Bearer")
        #expect(body.int("expires_in") == 3600)
        let token = try #require(body.string("access_token"))
        #expect(token.hasPrefix("sbx_") && token.count == 68)
        let list = try await sandbox.get("/payouts", token: token)
        #expect(list.status == 200)
        #expect(sandbox.server.stats().tokensIssued == 1)
        await sandbox.stop()
    }

    @Test func wrongSecretMissingHeaderAndWrongGrantAreRefused() async throws {
        let sandbox = try await SandboxHarness.start(authenticate: false)
        let wrong = try await sandbox.tokenRequest(user: "sandbox-client:nope")
        #expect(wrong.status == 401)
        #expect(wrong.text == #"{"code":"invalid_client","message":"client credentials are not valid"}"#)
        let missing = try await sandbox.tokenRequest(user: nil)
        #expect(missing.status == 401)
        #expect(try missing.object().string("code") == "invalid_client")
        let grant = try await sandbox.tokenRequest(form: "grant_type=password")
        #expect(grant.status == 400)
        #expect(try grant.object().string("code") == "unsupported_grant_type")
        let noGrant = try await sandbox.tokenRequest(form: "")
        #expect(noGrant.status == 400)
        #expect(try noGrant.object().string("code") == "invalid_request")
        #expect(sandbox.server.stats().tokensIssued == 0)
        await sandbox.stop()
    }

    @Test func credentialsComeFromConfiguration() async throws {
        let configuration = SandboxConfiguration(clientID: "me", clientSecret: "s3cret", environment: [:])
        #expect(!configuration.description.contains("s3cret"))
        let env = SandboxConfiguration(environment: ["AP_CLIENT_ID": "env-id", "AP_CLIENT_SECRET": "env-secret"])
        #expect(env.clientID == "env-id" && env.clientSecret == "env-secret")
        let sandbox = try await SandboxHarness.start(configuration, authenticate: false)
        #expect(try await sandbox.tokenRequest(user: "me:s3cret").status == 200)
        #expect(try await sandbox.tokenRequest().status == 401)
        await sandbox.stop()
    }

    @Test func routesNeedAValidUnexpiredToken() async throws {
        let sandbox = try await SandboxHarness.start(SandboxConfiguration(tokenTTL: 0, environment: [:]))
        let expired = try await sandbox.get("/invoices")
        #expect(expired.status == 401)
        #expect(expired.text == #"{"code":"unauthorized","message":"access token expired; request a new one from POST /oauth/token"}"#)
        let unknown = try await sandbox.get("/invoices", token: "made-up")
        #expect(unknown.status == 401)
        #expect(try unknown.object().string("message")?.hasPrefix("access token is not valid") == true)
        let none = try await Curl.run([sandbox.base + "/sandbox/stats"])
        #expect(none.status == 401)
        #expect(none.text == #"{"code":"unauthorized","message":"missing bearer token: send Authorization: Bearer <access_token> from POST /oauth/token"}"#)
        await sandbox.stop()
    }

    @Test func expireAllTokensMakesIssuedTokensExpired() async throws {
        let sandbox = try await SandboxHarness.start()
        #expect(try await sandbox.get("/payouts").status == 200)
        sandbox.server.expireAllTokens()
        let reply = try await sandbox.get("/payouts")
        #expect(reply.status == 401)
        #expect(try reply.object().string("message") == "access token expired; request a new one from POST /oauth/token")
        await sandbox.stop()
    }
}

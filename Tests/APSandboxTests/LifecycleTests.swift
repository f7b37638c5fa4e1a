import APSandbox
import Testing

@Suite struct LifecycleTests {
    @Test func startsOnAFreePortCountsConnectionsAndStopsIdempotently() async throws {
        let sandbox = try await SandboxHarness.start(authenticate: false)
        #expect(sandbox.server.port > 0)
        #expect(sandbox.base == "http://127.0.0.1:\(sandbox.server.port)")
        _ = try await sandbox.tokenRequest()
        _ = try await sandbox.tokenRequest()
        let stats = sandbox.server.stats()
        #expect(stats.connectionsAccepted == 2)
        #expect(stats.requestsByRoute == ["POST /oauth/token": 2])
        await sandbox.stop()
        await sandbox.stop()
        let refused = try await sandbox.tokenRequest()
        #expect(refused.exitCode == 7)  // curl: could not connect
    }

    @Test func invalidSettingsAreRefusedBeforeBinding() async throws {
        let faults = FaultConfiguration(errorRate: 1.5)
        await #expect(throws: SandboxStartError.self) {
            _ = try await SandboxServer.start(configuration: SandboxConfiguration(faults: faults, environment: [:]), dataset: .empty)
        }
    }

    @Test func twoSandboxesCannotShareAPort() async throws {
        let first = try await SandboxHarness.start(authenticate: false)
        let error = await #expect(throws: SandboxStartError.self) {
            _ = try await SandboxServer.start(configuration: SandboxConfiguration(port: first.server.port, environment: [:]), dataset: .empty)
        }
        #expect(error?.description.hasPrefix("could not listen on 127.0.0.1:\(first.server.port)") == true)
        await first.stop()
    }
}

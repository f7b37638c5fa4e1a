import Foundation
import JobSettings
@testable import Preflight
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ClockSkewTests {
    static let server = "Sun, 06 Nov 2026 08:49:37 GMT"
    static let serverTime = Date(timeIntervalSince1970: 1_793_954_977)

    @Test func withinTheToleranceIsOK() {
        for offset in [-60.0, 0, 60] {
            #expect(ClockSkew.check(dateHeader: Self.server, local: Self.serverTime.addingTimeInterval(offset))
                == .ok("clock", "within 60 s of the API's Date header"))
        }
    }

    @Test func beyondItIsAWarningNamingTheDirection() {
        #expect(ClockSkew.check(dateHeader: Self.server, local: Self.serverTime.addingTimeInterval(61)).line
            == "warn clock: this machine's clock is 61 s ahead of the API's (Date: Sun, 06 Nov 2026 08:49:37 GMT): the default window, token expiry and the webhook's signed timestamp depend on it; sync the clock (NTP)")
        #expect(ClockSkew.check(dateHeader: Self.server, local: Self.serverTime.addingTimeInterval(-3600)).detail
            .hasPrefix("this machine's clock is 3600 s behind the API's"))
    }

    @Test func noOrBadHeaderIsAWarningNotAFailure() {
        #expect(ClockSkew.check(dateHeader: nil, local: Self.serverTime)
            == .warn("clock", "the API sent no Date header, so the clock was not compared"))
        #expect(ClockSkew.check(dateHeader: "yesterday\u{1B}[31m", local: Self.serverTime).verdict == .warn)
        #expect(!ClockSkew.check(dateHeader: "yesterday\u{1B}[31m", local: Self.serverTime).detail.contains("\u{1B}"))
    }
}

@Suite struct PreflightReportTests {
    @Test func linesLineUp() {
        #expect(PreflightCheck.ok("GET /payouts", "readable").line == "ok   GET /payouts: readable")
        var failed = PreflightCheck.fail("token", "refused", .permissionDenied)
        failed.account = "acme"
        #expect(failed.line == "FAIL [acme] token: refused")
        #expect(PreflightCheck.warn("clock", "off").line == "warn clock: off")
    }

    @Test func theWorstFailedCheckDecidesTheExitCode() {
        let checks: [PreflightCheck] = [
            .ok("token", "fine"), .warn("clock", "off"),
            .fail("out", "not writable", .cannotWrite), .fail("GET /invoices", "403", .permissionDenied),
        ]
        let outcome = PreflightReport.outcome(checks)
        #expect(outcome.status == .permissionDenied)
        #expect(outcome.headline == "check: 1 ok, 1 warn, 2 FAIL (out, GET /invoices); nothing was written")
        let clean = PreflightReport.outcome([.ok("token", "fine"), .warn("clock", "off")])
        #expect(clean.status == .clean)
        #expect(clean.headline == "check: 1 ok, 1 warn, 0 FAIL; nothing was written")
    }
}

@Suite struct FolderCheckTests {
    func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("preflight-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aMissingFolderIsCheckedWhereItWouldBeCreatedAndNotCreated() throws {
        let root = try scratch()
        #expect(FolderCheck.output(root + "/a/b").line
            == "ok   out: \(root)/a/b does not exist yet; the run creates it (0700) in \(root), which is writable")
        #expect(!FileManager.default.fileExists(atPath: root + "/a"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == [])
    }

    @Test func aStateFolderOpenToOthersIsAWarningAndLeftAsItIs() throws {
        let root = try scratch()
        _ = chmod(root, 0o755)
        let checks = FolderCheck.state(root)
        #expect(checks.map(\.line) == [
            "warn state: \(root) has mode 0755: the next run takes group and other access away (0700)",
            "ok   state.json: none yet: the first run covers the previous UTC day",
        ])
        var info = stat()
        _ = stat(root, &info)
        #expect(info.st_mode & 0o777 == 0o755)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root) == [])
    }

    @Test func anUnreadableStateFileFailsWithItsExitCode() throws {
        let root = try scratch()
        _ = chmod(root, 0o700)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: root + "/state.json"))
        let checks = FolderCheck.state(root)
        #expect(checks.first?.line == "ok   state: \(root) is writable, mode 0700, owner uid \(geteuid())")
        #expect(checks.last?.verdict == .fail)
        #expect(checks.last?.status == .configuration)
    }

    @Test func aFileWhereAFolderShouldBeFails() throws {
        let root = try scratch()
        try Data().write(to: URL(fileURLWithPath: root + "/file"))
        #expect(FolderCheck.output(root + "/file") == .fail("out", "\(root)/file exists but is not a folder", .cannotWrite))
        #expect(FolderCheck.output(root + "/file/x").status == .cannotWrite)
    }
}

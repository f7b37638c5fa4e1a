import APModels
import Foundation
import JobSettings
import Testing

/// The hidden `AP_RECONCILE_INVOICE_FETCH` (docs/fetching.md): adaptive unless it says by-id;
/// any other value is a usage error naming the variable.
@Suite struct InvoiceFetchSettingTests {
    func resolve(_ extra: [String: String]) throws(SettingsError) -> RunRequest? {
        var flags = RunFlags()
        flags.baseURL = "https://flag.example"
        flags.out = "/out/flag"
        let environment = ["AP_CLIENT_ID": "env_id", "AP_CLIENT_SECRET": "env_secret"].merging(extra) { $1 }
        let sources = SettingsSources(environment: environment, now: Timestamp.parse("2026-11-23T03:15:42Z")!, readFile: FileReader { _ in nil })
        return try SettingsResolver.resolve(flags, sources: sources).plan.first?.request
    }

    @Test func adaptiveUnlessTheEnvironmentSaysByID() throws {
        #expect(try resolve([:])?.invoiceFetch == .adaptive)
        #expect(try resolve(["AP_RECONCILE_INVOICE_FETCH": ""])?.invoiceFetch == .adaptive)
        #expect(try resolve(["AP_RECONCILE_INVOICE_FETCH": "adaptive"])?.invoiceFetch == .adaptive)
        #expect(try resolve(["AP_RECONCILE_INVOICE_FETCH": "by-id"])?.invoiceFetch == .byID)
    }

    @Test func anotherValueIsAUsageError() {
        do {
            _ = try resolve(["AP_RECONCILE_INVOICE_FETCH": "byid"])
            Issue.record("accepted byid")
        } catch {
            #expect(error.status == .usage)
            #expect(error.message == "AP_RECONCILE_INVOICE_FETCH=byid is not adaptive or by-id")
        }
    }
}

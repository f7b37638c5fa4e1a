import APModels
import Foundation
import Testing

@Suite struct CurrencyTableTests {
    func payout(currency: String, amount: Int64) -> String {
        #"{"id":"po_1","status":"succeeded","amount":\#(amount),"currency":"\#(currency)","created_at":"2024-01-10T15:00:00Z"}"#
    }

    @Test func yenAndKuwaitiDinarAmountsReadAtTheirExponent() throws {
        let yen = try JSONDecoder().decode(Payout.self, from: Data(payout(currency: "JPY", amount: 150_000).utf8))
        #expect(yen.amount.currency.exponent == 0)
        #expect(yen.amount.description == "150000 JPY")
        let dinar = try JSONDecoder().decode(Payout.self, from: Data(payout(currency: "kwd", amount: 1_234_567).utf8))
        #expect(dinar.amount.currency.exponent == 3)
        #expect(dinar.amount.description == "1234.567 KWD")
        #expect(Money(minorUnits: -5, currency: dinar.amount.currency).decimalString == "-0.005")
    }

    @Test(arguments: ["XYZ", "AAA", "XAU", "XXX", "XTS"])
    func aCodeOutsideTheTableMakesTheRecordUnreadable(_ code: String) {
        #expect(Currency(code: code) == nil)
        #expect(throws: RecordError(field: "currency",
                                    problem: "\"\(code)\" is not an ISO 4217 currency code, so the amount's minor unit is unknown")) {
            _ = try JSONDecoder().decode(Payout.self, from: Data(self.payout(currency: code, amount: 100).utf8))
        }
    }

    @Test(arguments: [
        ("USD", 2), ("EUR", 2), ("GBP", 2), ("CHF", 2), ("MGA", 2), ("MRU", 2), ("XCG", 2), ("ZWG", 2),
        ("JPY", 0), ("KRW", 0), ("CLP", 0), ("ISK", 0), ("VND", 0), ("XAF", 0), ("XOF", 0), ("XPF", 0), ("UYI", 0),
        ("BHD", 3), ("IQD", 3), ("JOD", 3), ("KWD", 3), ("LYD", 3), ("OMR", 3), ("TND", 3),
        ("CLF", 4), ("UYW", 4),
    ])
    func exponentsFollowISO4217(_ code: String, _ exponent: Int) {
        #expect(Currency(code: code)?.exponent == exponent)
        #expect(Currency(code: code.lowercased())?.code == code)
    }
}

/// An ISO 4217 currency code with its minor-unit exponent (USD 2, JPY 0, BHD 3, CLF 4).
///
/// Only codes in the table below exist: an amount is integer minor units, and reading one
/// with a guessed exponent would misstate it by a factor of 10 or 100 in every report. A record
/// whose currency is not in the table is unreadable (`RecordError` naming the field and code).
public struct Currency: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Upper-case three-letter code.
    public let code: String
    /// Digits after the decimal point in the currency's major unit.
    public let exponent: Int

    /// Accepts a code of the table in any case; nil for anything else.
    public init?(code raw: String) {
        let upper = raw.uppercased()
        guard upper.utf8.count == 3, let exponent = Currency.exponents[upper] else { return nil }
        self.code = upper
        self.exponent = exponent
    }

    public var description: String { code }
    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    /// ISO 4217 list one (the codes with a minor unit) and its exponents, as of 2025: every
    /// active code, plus the codes withdrawn since 2022 (HRK, SLL, CUC, ZWL, ANG) that records
    /// made before then still carry. Left out: the codes whose minor unit is "N.A." — precious
    /// metals (XAU, XAG, XPT, XPD), bond-market units (XBA–XBD), XDR, XSU, XUA, and the testing
    /// codes XTS and XXX — none of which is money a payout can be made in.
    /// Checked against Debian's iso-codes 4.15 (`/usr/share/iso-codes/json/iso_4217.json`):
    /// its 181 codes minus the 13 above, plus ZWG (2024) and XCG (2025) which it predates.
    static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        for code in twoDecimal { table[code] = 2 }
        for code in ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
                     "VUV", "XAF", "XOF", "XPF"] { table[code] = 0 }
        for code in ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"] { table[code] = 3 }
        for code in ["CLF", "UYW"] { table[code] = 4 }
        return table
    }()

    private static let twoDecimal = [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
        "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF",
        "CHW", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN",
        "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HRK",
        "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK",
        "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
        "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK",
        "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP",
        "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TOP", "TRY",
        "TTD", "TWD", "TZS", "UAH", "USD", "USN", "UYU", "UZS", "VED", "VES", "WST", "XCD", "XCG", "YER",
        "ZAR", "ZMW", "ZWG", "ZWL",
    ]
}

/// An amount of money: integer minor units and their currency. Never floating point.
public struct Money: Sendable, Hashable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// The amount at the currency's exponent, e.g. "1500.00" (USD), "1500" (JPY), "-0.005" (BHD).
    public var decimalString: String { Money.decimalString(minorUnits, exponent: currency.exponent) }

    public var description: String { "\(decimalString) \(currency.code)" }

    /// Formats minor units at `exponent` decimals without floating point.
    public static func decimalString(_ minor: Int64, exponent: Int) -> String {
        let negative = minor < 0
        // magnitude as UInt64 so Int64.min does not overflow
        let magnitude = minor.magnitude
        var digits = String(magnitude)
        if exponent > 0 {
            if digits.count <= exponent {
                digits = String(repeating: "0", count: exponent - digits.count + 1) + digits
            }
            let split = digits.index(digits.endIndex, offsetBy: -exponent)
            digits = digits[..<split] + "." + digits[split...]
        }
        return negative ? "-" + digits : digits
    }
}

/// Why an amount from the API cannot be used.
public enum AmountError: Error, Sendable, Hashable, CustomStringConvertible {
    case notAnInteger(String)
    case outOfRange(String)
    case wrongType(String)

    public var description: String {
        switch self {
        case .notAnInteger(let s): "amount \(s) is not a whole number of minor units"
        case .outOfRange(let s): "amount \(s) is outside the 64-bit range"
        case .wrongType(let s): "amount is \(s), not a number or a string of digits"
        }
    }
}

public enum AmountParser {
    /// Parses an amount given as a string: optional '-', then ASCII digits only, within Int64.
    public static func parse(digits text: String) -> Result<Int64, AmountError> {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        }
        guard !utf8.isEmpty else { return .failure(.notAnInteger(quoted(text))) }
        var value: Int64 = 0
        var overflowed = false
        for byte in utf8 {
            guard byte >= 48, byte <= 57 else { return .failure(.notAnInteger(quoted(text))) }
            // Keep scanning after an overflow: "9223372036854775808x" is not a number at all,
            // and the diagnostic must say so rather than "outside the 64-bit range".
            if overflowed { continue }
            let digit = Int64(byte - 48)
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            // accumulate negatively so Int64.min is representable
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            overflowed = o1 || o2
            value = next
        }
        return overflowed ? .failure(.outOfRange(quoted(text))) : .success(value)
    }

    static func quoted(_ s: String) -> String {
        // Quoted as sent (spaces matter here); `RecordError` makes the whole reason safe to show.
        let cut = s.count > 40 ? String(s.prefix(40)) + "…" : s
        return "\"\(cut)\""
    }
}

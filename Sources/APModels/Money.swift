/// An ISO 4217 currency code with its minor-unit exponent (USD 2, JPY 0, BHD 3).
public struct Currency: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Upper-case three-letter code.
    public let code: String
    /// Digits after the decimal point in the currency's major unit.
    public let exponent: Int

    /// Accepts three ASCII letters in any case; nil otherwise.
    public init?(code raw: String) {
        let upper = raw.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
        self.code = upper
        self.exponent = Currency.exponents[upper] ?? 2
    }

    public var description: String { code }
    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

    /// ISO 4217 currencies whose minor unit is not 2 digits. Every other code uses 2.
    static let exponents: [String: Int] = [
        // zero-decimal
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
        "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        // three-decimal
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
        // four-decimal
        "CLF": 4, "UYW": 4,
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
        let cut = s.count > 40 ? String(s.prefix(40)) + "…" : s
        return "\"\(cut)\""
    }
}

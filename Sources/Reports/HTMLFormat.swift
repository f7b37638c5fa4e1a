import APModels

/// How report.html writes numbers for a reader. Integer arithmetic only: amounts are the same
/// decimal strings as the CSVs (`Money.decimalString`), with the integer part grouped by
/// thousands so a finance reader can take in `1,234,567.89` at a glance.
enum HTMLFormat {
    /// `1234567` → `1,234,567`; `-1250` → `-1,250`.
    static func count(_ value: some BinaryInteger) -> String {
        grouped(String(value))
    }

    /// The amount at the currency's exponent, thousands grouped: `147500` USD → `1,475.00`,
    /// `1500` JPY → `1,500`, `-1500` BHD → `-1.500`.
    static func amount(_ minor: Int64, _ currency: Currency) -> String {
        grouped(Money.decimalString(minor, exponent: currency.exponent))
    }

    /// `1,475.00 USD`, or an em dash when the amount is unknown (overflow, unreadable line).
    static func money(_ minor: Int64?, _ currency: Currency?) -> String {
        guard let minor, let currency else { return "—" }
        return amount(minor, currency) + " " + currency.code
    }

    /// `part / whole` as a percentage with one decimal, rounded half up: 1/3 → `33.3 %`.
    /// Computed in per-mille with integers; `—` when `whole` is 0.
    static func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0, part >= 0 else { return "—" }
        let perMille = (part * 1000 + whole / 2) / whole
        return "\(perMille / 10).\(perMille % 10) %"
    }

    /// Groups the digits before the decimal point (if any) of a plain decimal string.
    static func grouped(_ decimal: String) -> String {
        var digits = Substring(decimal)
        var sign = ""
        if digits.first == "-" {
            sign = "-"
            digits = digits.dropFirst()
        }
        let integerPart = digits.prefix { $0 != "." }
        let rest = digits[integerPart.endIndex...]
        var out = ""
        for (i, ch) in integerPart.enumerated() {
            if i > 0 && (integerPart.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return sign + out + rest
    }
}

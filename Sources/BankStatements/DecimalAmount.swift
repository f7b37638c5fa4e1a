import APModels

/// Decimal text to integer minor units at a currency's exponent, exactly (no floating point).
public enum DecimalAmount {
    /// Parses `[-+]digits[<decimal>digits]`, thousands separators allowed between digits of the
    /// whole part. More fraction digits than the exponent are accepted only when the extra ones
    /// are zeros ("12.50" for JPY is refused, "12.00" is 12). The digits then go through
    /// `AmountParser.parse(digits:)`, which enforces the Int64 range.
    public static func parse(_ raw: some StringProtocol, exponent: Int, decimalSeparator: Character = ".",
                             thousandsSeparator: Character? = nil) -> Result<Int64, AmountError> {
        let text = String(raw).trimmingWhitespace()
        var body = Substring(text)
        var negative = false
        if let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        let parts = body.split(separator: decimalSeparator, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return .failure(.notAnInteger(quoted(text))) }
        var whole = parts[0]
        if let thousandsSeparator, whole.contains(thousandsSeparator) {
            // Groups of three after the first: "1,234,567" yes, "12,34" no.
            let groups = whole.split(separator: thousandsSeparator, omittingEmptySubsequences: false)
            guard let head = groups.first, (1...3).contains(head.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return .failure(.notAnInteger(quoted(text)))
            }
            whole = Substring(groups.joined())
        }
        var fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty) else {
            return .failure(.notAnInteger(quoted(text)))
        }
        guard whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit) else {
            return .failure(.notAnInteger(quoted(text)))
        }
        while fraction.count > exponent, fraction.last == "0" { fraction = fraction.dropLast() }
        guard fraction.count <= exponent else { return .failure(.notAnInteger(quoted(text))) }
        let digits = (whole.isEmpty ? "0" : String(whole)) + fraction + String(repeating: "0", count: exponent - fraction.count)
        switch AmountParser.parse(digits: (negative ? "-" : "") + digits) {
        case .success(let v): return .success(v)
        case .failure(.outOfRange): return .failure(.outOfRange(quoted(text)))
        case .failure: return .failure(.notAnInteger(quoted(text)))
        }
    }

    static func quoted(_ s: String) -> String {
        "\"" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "\""
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}

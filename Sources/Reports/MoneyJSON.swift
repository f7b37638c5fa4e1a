import APModels

/// How report.json writes an amount: `{"minor": 150000, "decimal": "1500.00"}` — the exact
/// minor-unit integer for programs beside the decimal string at the currency's exponent for
/// people. `null` when the amount is unknown (it did not fit in 64 bits).
enum MoneyJSON {
    static func value(_ minor: Int64?, _ currency: Currency) -> ReportJSON {
        guard let minor else { return .null }
        return .object([
            ("minor", .int(minor)),
            ("decimal", .string(Money.decimalString(minor, exponent: currency.exponent))),
        ])
    }

    static func value(_ money: Money) -> ReportJSON { value(money.minorUnits, money.currency) }

    /// The decimal string alone, for the diagnostics' parallel `*_decimal` fields; null when
    /// the amount or its currency is unknown.
    static func decimal(_ minor: Int64?, _ currency: Currency?) -> ReportJSON {
        guard let minor, let currency else { return .null }
        return .string(Money.decimalString(minor, exponent: currency.exponent))
    }
}

import APModels

/// One cell of a report CSV. The kind decides the formula-injection rule: text may have come
/// from the API and is defused; numbers are our own formatting and are written as they are.
public enum CSVField: Sendable, Equatable {
    /// Text (ids, statuses, messages, raw JSON…). Its control and bidi characters (all but
    /// TAB, CR, LF) become U+FFFD, and it is prefixed with `'` when it starts with `=`, `+`,
    /// `-`, `@`, TAB or CR, so a spreadsheet never evaluates it (OWASP CSV injection).
    case text(String)
    /// A number we formatted ourselves (minor units, decimal amount, count): never prefixed,
    /// so `-12.50` stays a number a spreadsheet can add up.
    case number(String)
    /// No value (null in report.json).
    case empty

    /// Text, or empty when nil.
    public static func text(_ value: String?) -> CSVField {
        value.map { CSVField.text($0) } ?? .empty
    }

    public static func integer(_ value: Int64?) -> CSVField {
        value.map { CSVField.number(String($0)) } ?? .empty
    }

    public static func integer(_ value: Int) -> CSVField { .number(String(value)) }

    /// The amount at the currency's exponent ("1500.00" USD, "1500" JPY, "1.500" BHD); empty
    /// when the amount or the currency is unknown.
    public static func decimal(_ minor: Int64?, _ currency: Currency?) -> CSVField {
        guard let minor, let currency else { return .empty }
        return .number(Money.decimalString(minor, exponent: currency.exponent))
    }

    public static func bool(_ value: Bool) -> CSVField { .text(value ? "true" : "false") }

    /// Several ids in one cell, separated by `;` (ids are kept in the engine's sorted order);
    /// the writer quotes such a cell, so a semicolon-separated spreadsheet keeps it whole.
    public static func list(_ values: [String]) -> CSVField {
        .text(values.joined(separator: ";"))
    }
}

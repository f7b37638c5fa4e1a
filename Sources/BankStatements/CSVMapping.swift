import APModels

/// How to read a bank's CSV export: which column holds what, and how numbers and dates are
/// written. Columns are named by their header. Carried by the job file (`bank_statements`),
/// hence Codable with snake_case keys.
public struct CSVMapping: Codable, Sendable, Hashable {
    /// Booking date column.
    public var date: String
    public var valueDate: String?
    /// A signed amount column (negative = debit). Use this, or `debit` and `credit`.
    public var amount: String?
    /// Unsigned amount columns: a row fills one of them.
    public var debit: String?
    public var credit: String?
    /// Currency code column; or `fixedCurrency` when the export has none.
    public var currency: String?
    public var fixedCurrency: String?
    /// The bank's reference of the row, used as `bank_entry_id` (without it, `FILE#N`).
    public var id: String?
    /// The reference column (searched for payout ids).
    public var reference: String?
    /// Description / remittance text columns, joined with a space (searched for payout ids and
    /// provider names).
    public var text: [String]?
    public var counterparty: String?
    /// The account the export is for (the file has no such column).
    public var account: String?
    /// Default ".".
    public var decimalSeparator: String?
    /// Default none; "," or "." or " " or "'".
    public var thousandsSeparator: String?
    /// Tokens `yyyy`, `yy`, `MM`, `M`, `dd`, `d`; anything else is literal. Default `yyyy-MM-dd`.
    public var dateFormat: String?
    /// Default ",".
    public var delimiter: String?

    public init(date: String, valueDate: String? = nil, amount: String? = nil, debit: String? = nil, credit: String? = nil,
                currency: String? = nil, fixedCurrency: String? = nil, id: String? = nil, reference: String? = nil,
                text: [String]? = nil, counterparty: String? = nil, account: String? = nil,
                decimalSeparator: String? = nil, thousandsSeparator: String? = nil, dateFormat: String? = nil,
                delimiter: String? = nil) {
        self.date = date
        self.valueDate = valueDate
        self.amount = amount
        self.debit = debit
        self.credit = credit
        self.currency = currency
        self.fixedCurrency = fixedCurrency
        self.id = id
        self.reference = reference
        self.text = text
        self.counterparty = counterparty
        self.account = account
        self.decimalSeparator = decimalSeparator
        self.thousandsSeparator = thousandsSeparator
        self.dateFormat = dateFormat
        self.delimiter = delimiter
    }

    enum CodingKeys: String, CodingKey {
        case date, amount, debit, credit, currency, id, reference, text, counterparty, account, delimiter
        case valueDate = "value_date"
        case fixedCurrency = "fixed_currency"
        case decimalSeparator = "decimal_separator"
        case thousandsSeparator = "thousands_separator"
        case dateFormat = "date_format"
    }

    /// What is wrong with the mapping itself, before any file is read; nil when usable.
    public var problem: String? {
        if amount == nil && (debit == nil || credit == nil) {
            return "the CSV mapping needs an amount column, or both debit and credit columns"
        }
        if currency == nil && fixedCurrency == nil { return "the CSV mapping needs a currency column or a fixed_currency" }
        if let c = fixedCurrency, Currency(code: c) == nil { return "fixed_currency \"\(c.prefix(10))\" is not a three-letter code" }
        if (decimalSeparator ?? ".").count != 1 { return "decimal_separator must be one character" }
        if let t = thousandsSeparator, t.count != 1 || t == (decimalSeparator ?? ".") {
            return "thousands_separator must be one character, other than the decimal separator"
        }
        if (delimiter ?? ",").count != 1 { return "delimiter must be one character" }
        return nil
    }
}


/// Dates written by a `CSVMapping.dateFormat` pattern.
struct DatePattern {
    enum Token: Equatable { case year4, year2, month, day, literal(Character) }
    let tokens: [Token]

    init(_ pattern: String) {
        var tokens: [Token] = []
        var rest = Substring(pattern)
        while let c = rest.first {
            if rest.hasPrefix("yyyy") { tokens.append(.year4); rest = rest.dropFirst(4) }
            else if rest.hasPrefix("yy") { tokens.append(.year2); rest = rest.dropFirst(2) }
            else if rest.hasPrefix("MM") || rest.hasPrefix("M") { tokens.append(.month); rest = rest.dropFirst(rest.hasPrefix("MM") ? 2 : 1) }
            else if rest.hasPrefix("dd") || rest.hasPrefix("d") { tokens.append(.day); rest = rest.dropFirst(rest.hasPrefix("dd") ? 2 : 1) }
            else { tokens.append(.literal(c)); rest = rest.dropFirst() }
        }
        self.tokens = tokens
    }

    func parse(_ raw: String) -> BankDate? {
        var text = Substring(raw.trimmingWhitespace())
        var y: Int?, m: Int?, d: Int?
        func number(max: Int) -> Int? {
            let digits = text.prefix(max).prefix { $0.isASCIIDigit }
            guard !digits.isEmpty else { return nil }
            text = text.dropFirst(digits.count)
            return Int(digits)
        }
        for token in tokens {
            switch token {
            case .year4:
                guard let v = number(max: 4) else { return nil }
                y = v
            case .year2:
                guard let v = number(max: 2) else { return nil }
                y = v < 80 ? 2000 + v : 1900 + v
            case .month: m = number(max: 2)
            case .day: d = number(max: 2)
            case .literal(let c):
                guard text.first == c else { return nil }
                text = text.dropFirst()
            }
        }
        guard text.isEmpty, let y, let m, let d else { return nil }
        return BankDate(year: y, month: m, day: d)
    }
}

import APModels

/// Counts and totals of one run.
public struct Summary: Sendable, Equatable {
    public var payoutCount: Int
    /// Every line of every payout in the window, unreadable ones included.
    public var lineCount: Int
    /// Lines by how they matched; every kind present, zero included.
    public var linesByRule: [MatchRuleKind: Int]
    /// Every catalogue code present, zero included.
    public var diagnosticsByCode: [DiagnosticCode: Int]
    public var diagnosticsBySeverity: [Severity: Int]
    /// By currency code.
    public var currencies: [CurrencyTotals]

    public init(payoutCount: Int, lineCount: Int, linesByRule: [MatchRuleKind: Int], diagnosticsByCode: [DiagnosticCode: Int], diagnosticsBySeverity: [Severity: Int], currencies: [CurrencyTotals]) {
        self.payoutCount = payoutCount
        self.lineCount = lineCount
        self.linesByRule = linesByRule
        self.diagnosticsByCode = diagnosticsByCode
        self.diagnosticsBySeverity = diagnosticsBySeverity
        self.currencies = currencies
    }
}

/// Totals in one currency. Line totals cover the lines counted in their payout's amount, so
/// for a clean run `inboundTotal − outboundTotal == payoutAmountTotal`.
/// A total is nil when it does not fit in Int64 (an AMOUNT_OVERFLOW diagnostic says which).
public struct CurrencyTotals: Sendable, Equatable {
    public var currency: Currency
    public var payoutCount: Int
    public var payoutAmountTotal: Int64?
    public var inboundTotal: Int64?
    public var outboundTotal: Int64?
    /// By transaction type name, sorted by name.
    public var outboundByType: [TypeTotal]

    public init(currency: Currency, payoutCount: Int, payoutAmountTotal: Int64?, inboundTotal: Int64?, outboundTotal: Int64?, outboundByType: [TypeTotal]) {
        self.currency = currency
        self.payoutCount = payoutCount
        self.payoutAmountTotal = payoutAmountTotal
        self.inboundTotal = inboundTotal
        self.outboundTotal = outboundTotal
        self.outboundByType = outboundByType
    }
}

public struct TypeTotal: Sendable, Equatable {
    public var type: String
    public var total: Int64?

    public init(type: String, total: Int64?) {
        self.type = type
        self.total = total
    }
}

import APModels

/// Which of a diagnostic's amounts is the money at stake. Each code has one rule (the
/// catalogue table in docs/diagnostics.md shows it), so the figure is a pure function of the
/// diagnostic and two runs over the same data put the same money at stake.
public enum AtStakeRule: String, Sendable, Hashable {
    /// |actual − expected|: the money by which two figures disagree.
    case delta
    /// |actual|: the whole amount of a line nobody has accounted for.
    case actual
    /// |expected|: the whole amount of a record that should have been paid and was not.
    case expected
    /// The code compares no amounts, or its amounts put nothing at risk.
    case none
}

extension DiagnosticCode {
    /// The catalogue's rule for `Diagnostic.amountAtStake`.
    public var atStakeRule: AtStakeRule {
        switch self {
        case .payoutAmountMismatch, .txnAmountMismatch, .invoiceDuplicatePayment, .invoiceOverpaid,
             .invoiceUnderpaid, .invoicePartiallyPaid, .invoiceLineItemsMismatch, .payoutBankAmountMismatch:
            .delta
        case .payoutEmpty, .txnUnlinked, .txnSuggestedMatch, .txnAmbiguousMatch, .refundWithoutPayment,
             .payoutFailedButCredited, .bankCreditUnmatched:
            .actual
        case .invoicePaidWithoutPayment, .paymentRequestPaidWithoutPayment, .payoutNotInBank, .bankMatchAmbiguous:
            .expected
        case .payoutCurrencyMismatch, .payoutFailed, .txnNotSucceeded, .txnInMultiplePayouts,
             .txnInvoiceNotFound, .txnPaymentRequestNotFound, .txnCurrencyMismatch, .recordUnreadable,
             .invoicePaymentNotPaidOut, .invoiceStatusStale, .paymentRequestStatusStale, .amountOverflow,
             .bankEntryUnreadable, .bankStatementGap:
            .none
        }
    }
}

extension Diagnostic {
    /// The money this finding puts at risk, in its currency; nil when the code's rule is `none`,
    /// the amount it names is absent, or its magnitude does not fit in Int64 (an `AMOUNT_OVERFLOW`
    /// case, never wrapped).
    public var amountAtStake: Money? {
        guard let currency else { return nil }
        let amount: Int64? = switch code.atStakeRule {
        case .delta: delta
        case .actual: actual
        case .expected: expected
        case .none: nil
        }
        guard let amount, amount != .min else { return nil }
        return Money(minorUnits: abs(amount), currency: currency)
    }
}

/// Money at stake added up per currency, exactly. A total that would overflow Int64 is kept as
/// `nil` (shown as an overflow), never wrapped.
public struct AtStakeTotals: Sendable, Hashable {
    public struct Key: Sendable, Hashable, Comparable {
        public var currency: Currency
        public var severity: Severity
        public var code: DiagnosticCode
        public static func < (a: Key, b: Key) -> Bool {
            if a.currency != b.currency { return a.currency < b.currency }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.code < b.code
        }
    }

    /// Per currency; nil when the sum overflowed.
    public private(set) var byCurrency: [Currency: Int64?] = [:]
    /// Per currency, severity and code; nil when the sum overflowed.
    public private(set) var byKey: [Key: Int64?] = [:]

    public init() {}

    public init(_ diagnostics: some Sequence<Diagnostic>) {
        for d in diagnostics { add(d) }
    }

    public mutating func add(_ diagnostic: Diagnostic) {
        guard let money = diagnostic.amountAtStake else { return }
        Self.accumulate(&byCurrency, money.currency, money.minorUnits)
        Self.accumulate(&byKey, Key(currency: money.currency, severity: diagnostic.severity, code: diagnostic.code), money.minorUnits)
    }

    private static func accumulate<K: Hashable>(_ table: inout [K: Int64?], _ key: K, _ amount: Int64) {
        switch table[key] {
        case .none: table[key] = .some(amount)
        case .some(.none): break
        case .some(.some(let sum)):
            let (total, overflow) = sum.addingReportingOverflow(amount)
            table[key] = .some(overflow ? nil : total)
        }
    }

    /// The per-currency totals in currency order.
    public var currencies: [(currency: Currency, minorUnits: Int64?)] {
        byCurrency.keys.sorted().map { ($0, byCurrency[$0] ?? nil) }
    }

    /// The per-currency, severity and code totals in that order.
    public var rows: [(key: Key, minorUnits: Int64?)] {
        byKey.keys.sorted().map { ($0, byKey[$0] ?? nil) }
    }
}

/// How serious a diagnostic is. `--fail-on` compares against this order.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    case error, warning, info

    /// 0 for the most serious; diagnostics are listed in this order.
    public var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    /// `error < warning < info`: sorting ascending puts the most serious first.
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// The diagnostics catalogue (docs/diagnostics.md). The raw values are a stable interface for users: never rename one.
/// `allCases` lists every code in catalogue order; `bankCases` the codes of the bank
/// reconciliation among them (docs/bank.md).
public enum DiagnosticCode: String, Sendable, Hashable, CaseIterable, Comparable {
    case payoutAmountMismatch = "PAYOUT_AMOUNT_MISMATCH"
    case payoutCurrencyMismatch = "PAYOUT_CURRENCY_MISMATCH"
    case payoutEmpty = "PAYOUT_EMPTY"
    case payoutFailed = "PAYOUT_FAILED"
    case txnNotSucceeded = "TXN_NOT_SUCCEEDED"
    case txnInMultiplePayouts = "TXN_IN_MULTIPLE_PAYOUTS"
    case txnUnlinked = "TXN_UNLINKED"
    case txnSuggestedMatch = "TXN_SUGGESTED_MATCH"
    case txnAmbiguousMatch = "TXN_AMBIGUOUS_MATCH"
    case txnInvoiceNotFound = "TXN_INVOICE_NOT_FOUND"
    case txnPaymentRequestNotFound = "TXN_PAYMENT_REQUEST_NOT_FOUND"
    case txnCurrencyMismatch = "TXN_CURRENCY_MISMATCH"
    case txnAmountMismatch = "TXN_AMOUNT_MISMATCH"
    case refundWithoutPayment = "REFUND_WITHOUT_PAYMENT"
    case recordUnreadable = "RECORD_UNREADABLE"
    case invoiceDuplicatePayment = "INVOICE_DUPLICATE_PAYMENT"
    case invoiceOverpaid = "INVOICE_OVERPAID"
    case invoiceUnderpaid = "INVOICE_UNDERPAID"
    case invoicePaidWithoutPayment = "INVOICE_PAID_WITHOUT_PAYMENT"
    case invoicePaymentNotPaidOut = "INVOICE_PAYMENT_NOT_PAID_OUT"
    case invoicePartiallyPaid = "INVOICE_PARTIALLY_PAID"
    case invoiceStatusStale = "INVOICE_STATUS_STALE"
    case invoiceLineItemsMismatch = "INVOICE_LINE_ITEMS_MISMATCH"
    case paymentRequestStatusStale = "PAYMENT_REQUEST_STATUS_STALE"
    case paymentRequestPaidWithoutPayment = "PAYMENT_REQUEST_PAID_WITHOUT_PAYMENT"
    /// Not in the minimum catalogue: a sum that does not fit in Int64 minor units.
    case amountOverflow = "AMOUNT_OVERFLOW"
    // The bank reconciliation: payouts against the credits on bank statements.
    case payoutNotInBank = "PAYOUT_NOT_IN_BANK"
    case payoutBankAmountMismatch = "PAYOUT_BANK_AMOUNT_MISMATCH"
    case payoutFailedButCredited = "PAYOUT_FAILED_BUT_CREDITED"
    case bankMatchAmbiguous = "BANK_MATCH_AMBIGUOUS"
    case bankCreditUnmatched = "BANK_CREDIT_UNMATCHED"
    case bankEntryUnreadable = "BANK_ENTRY_UNREADABLE"
    case bankStatementGap = "BANK_STATEMENT_GAP"

    /// Every code, in catalogue order: what report.json's summary counts (zeros included) and its
    /// schema enumerates. The bank codes come last and count zero in a run without statements.
    public static let allCases: [DiagnosticCode] = [
        .payoutAmountMismatch,
        .payoutCurrencyMismatch,
        .payoutEmpty,
        .payoutFailed,
        .txnNotSucceeded,
        .txnInMultiplePayouts,
        .txnUnlinked,
        .txnSuggestedMatch,
        .txnAmbiguousMatch,
        .txnInvoiceNotFound,
        .txnPaymentRequestNotFound,
        .txnCurrencyMismatch,
        .txnAmountMismatch,
        .refundWithoutPayment,
        .recordUnreadable,
        .invoiceDuplicatePayment,
        .invoiceOverpaid,
        .invoiceUnderpaid,
        .invoicePaidWithoutPayment,
        .invoicePaymentNotPaidOut,
        .invoicePartiallyPaid,
        .invoiceStatusStale,
        .invoiceLineItemsMismatch,
        .paymentRequestStatusStale,
        .paymentRequestPaidWithoutPayment,
        .amountOverflow,
        .payoutNotInBank, .payoutBankAmountMismatch, .payoutFailedButCredited, .bankMatchAmbiguous,
        .bankCreditUnmatched, .bankEntryUnreadable, .bankStatementGap,
    ]

    /// The codes of the bank reconciliation, in catalogue order.
    public static let bankCases: [DiagnosticCode] = [
        .payoutNotInBank, .payoutBankAmountMismatch, .payoutFailedButCredited, .bankMatchAmbiguous,
        .bankCreditUnmatched, .bankEntryUnreadable, .bankStatementGap,
    ]

    /// Every code (the same list as `allCases`).
    public static var catalogue: [DiagnosticCode] { allCases }

    public var severity: Severity {
        switch self {
        case .payoutAmountMismatch, .payoutCurrencyMismatch, .payoutEmpty, .txnNotSucceeded,
             .txnInMultiplePayouts, .txnInvoiceNotFound, .txnPaymentRequestNotFound,
             .txnCurrencyMismatch, .txnAmountMismatch, .recordUnreadable,
             .invoiceDuplicatePayment, .invoiceOverpaid, .invoiceUnderpaid,
             .invoicePaidWithoutPayment, .paymentRequestPaidWithoutPayment, .amountOverflow,
             .payoutNotInBank, .payoutBankAmountMismatch, .payoutFailedButCredited, .bankEntryUnreadable:
            .error
        case .payoutFailed, .txnUnlinked, .txnSuggestedMatch, .txnAmbiguousMatch,
             .refundWithoutPayment, .invoiceStatusStale, .invoiceLineItemsMismatch,
             .paymentRequestStatusStale, .bankMatchAmbiguous, .bankCreditUnmatched, .bankStatementGap:
            .warning
        case .invoicePaymentNotPaidOut, .invoicePartiallyPaid:
            .info
        }
    }

    /// Codes order by their catalogue string, so the order never depends on declaration order.
    public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.rawValue < b.rawValue }
}

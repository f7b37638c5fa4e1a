/// How a payout line was tied to what it pays, in the priority order of docs/diagnostics.md § How the run decides.
public enum MatchRule: Sendable, Hashable {
    /// The line itself names an invoice or payment request.
    case payoutLink
    /// The line names none; the GET /payments record of the same id does.
    case paymentsLookup
    /// No link; exactly one open invoice fits. Reported for review, never counted as settled.
    case suggested([String])
    /// No link; several open invoices fit (sorted ids). Never counted as settled.
    case ambiguous([String])
    /// A payment, refund or chargeback with no link and no candidate.
    case unmatched
    /// Fees, adjustments and unknown types link to nothing by definition.
    case notApplicable
    /// The line could not be read; see its RECORD_UNREADABLE diagnostic.
    case unreadable

    /// Stable snake_case name for reports and summary keys.
    public var name: String { kind.rawValue }

    public var kind: MatchRuleKind {
        switch self {
        case .payoutLink: .payoutLink
        case .paymentsLookup: .paymentsLookup
        case .suggested: .suggested
        case .ambiguous: .ambiguous
        case .unmatched: .unmatched
        case .notApplicable: .notApplicable
        case .unreadable: .unreadable
        }
    }

    /// Candidate invoice ids for suggested/ambiguous, else empty.
    public var candidateInvoiceIDs: [String] {
        switch self {
        case .suggested(let ids), .ambiguous(let ids): ids
        default: []
        }
    }
}

/// A `MatchRule` without its payload, for counting.
public enum MatchRuleKind: String, Sendable, Hashable, CaseIterable {
    case payoutLink = "payout_link"
    case paymentsLookup = "payments_lookup"
    case suggested
    case ambiguous
    case unmatched
    case notApplicable = "not_applicable"
    case unreadable

    /// Position in `allCases`, for counting in a plain array.
    var ordinal: Int {
        switch self {
        case .payoutLink: 0
        case .paymentsLookup: 1
        case .suggested: 2
        case .ambiguous: 3
        case .unmatched: 4
        case .notApplicable: 5
        case .unreadable: 6
        }
    }
}

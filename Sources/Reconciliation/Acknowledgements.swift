import APModels

/// One accepted exception: a person has investigated the problem a fingerprint names and
/// decided it needs no action (until `until`, if given). The file format is in
/// docs/acknowledgements.md.
public struct Acknowledgement: Sendable, Hashable {
    /// The diagnostic's fingerprint, as diagnostics.csv and exceptions.csv show it. The
    /// fingerprint is the code plus the ids, so it also serves as "code plus ids".
    public var fingerprint: String
    public var reason: String
    public var by: String
    /// When it was accepted.
    public var at: Timestamp
    /// The first instant it no longer applies; nil: until removed.
    public var until: Timestamp?
    /// The diagnostic's amounts when it was accepted (minor units). When given, a diagnostic
    /// whose amounts differ is open again: the acknowledgement covered other numbers.
    public var expected: Int64?
    public var actual: Int64?
    public var currency: Currency?

    public init(fingerprint: String, reason: String, by: String, at: Timestamp, until: Timestamp? = nil,
                expected: Int64? = nil, actual: Int64? = nil, currency: Currency? = nil) {
        self.fingerprint = fingerprint
        self.reason = reason
        self.by = by
        self.at = at
        self.until = until
        self.expected = expected
        self.actual = actual
        self.currency = currency
    }

    /// Not yet expired at `asOf` (the run's clock): `until` is exclusive.
    public func isInForce(asOf: Timestamp) -> Bool {
        guard let until else { return true }
        return asOf < until
    }

    /// The amounts recorded with the acknowledgement, if any, are the diagnostic's amounts.
    public func coversAmounts(of diagnostic: Diagnostic) -> Bool {
        guard expected != nil || actual != nil || currency != nil else { return true }
        return expected == diagnostic.expected && actual == diagnostic.actual && currency == diagnostic.currency
    }
}

/// Whether a diagnostic counts toward `--fail-on`, the exit code and the alerting metrics.
/// Orthogonal to `ItemStatus` (new/open/resolved against the previous run): an acknowledged
/// diagnostic is still new or open in exceptions.csv, and says so.
public enum Disposition: String, Sendable, Hashable {
    /// Nobody has accepted it (or the acceptance expired, or its amounts changed).
    case open
    /// Accepted by an acknowledgement in force whose amounts still match.
    case acknowledged
}

/// Why an acknowledgement did not acknowledge anything this run.
public enum StaleReason: String, Sendable, Hashable {
    /// No diagnostic of this run has its fingerprint: the problem is gone (or out of the window).
    case noMatch = "no_match"
    /// Its `until` is at or before the run's clock.
    case expired
    /// The diagnostic is there, but its amounts are not those acknowledged.
    case amountsChanged = "amounts_changed"
}

public struct StaleAcknowledgement: Sendable, Hashable {
    public var acknowledgement: Acknowledgement
    public var reason: StaleReason
}

/// The acknowledgements file's entries, in file order. Matching is pure: the run's diagnostics
/// and its clock in, a `AcknowledgementReview` out.
public struct Acknowledgements: Sendable, Hashable {
    public var entries: [Acknowledgement]

    public init(_ entries: [Acknowledgement] = []) { self.entries = entries }

    /// Sets each diagnostic's disposition as of `asOf`. A fingerprint listed twice uses its
    /// first entry (the file writer never writes two).
    public func review(_ diagnostics: [Diagnostic], asOf: Timestamp) -> AcknowledgementReview {
        var byFingerprint: [String: Acknowledgement] = [:]
        for entry in entries where byFingerprint[entry.fingerprint] == nil { byFingerprint[entry.fingerprint] = entry }

        var accepted: [String: Acknowledgement] = [:]
        var reasons: [String: StaleReason] = [:]
        for d in diagnostics {
            guard let entry = byFingerprint[d.fingerprint], accepted[d.fingerprint] == nil else { continue }
            if !entry.isInForce(asOf: asOf) {
                reasons[d.fingerprint] = .expired
            } else if !entry.coversAmounts(of: d) {
                reasons[d.fingerprint] = reasons[d.fingerprint] ?? .amountsChanged
            } else {
                accepted[d.fingerprint] = entry
                reasons[d.fingerprint] = nil
            }
        }
        var stale: [StaleAcknowledgement] = []
        var seen = Set<String>()
        for entry in entries where seen.insert(entry.fingerprint).inserted && accepted[entry.fingerprint] == nil {
            let reason = reasons[entry.fingerprint] ?? (entry.isInForce(asOf: asOf) ? .noMatch : .expired)
            stale.append(StaleAcknowledgement(acknowledgement: entry, reason: reason))
        }
        return AcknowledgementReview(acknowledged: accepted, stale: stale)
    }
}

/// The outcome of matching a run's diagnostics against its acknowledgements.
public struct AcknowledgementReview: Sendable, Hashable {
    /// The acknowledgement in force for each acknowledged fingerprint.
    public var acknowledged: [String: Acknowledgement]
    /// Entries that acknowledged nothing this run, in file order.
    public var stale: [StaleAcknowledgement]

    public init(acknowledged: [String: Acknowledgement] = [:], stale: [StaleAcknowledgement] = []) {
        self.acknowledged = acknowledged
        self.stale = stale
    }

    /// A run without an acknowledgements file: everything is open.
    public static let none = AcknowledgementReview()

    public func disposition(of diagnostic: Diagnostic) -> Disposition {
        acknowledged[diagnostic.fingerprint] == nil ? .open : .acknowledged
    }

    public func acknowledgement(for diagnostic: Diagnostic) -> Acknowledgement? {
        acknowledged[diagnostic.fingerprint]
    }

    /// The diagnostics nobody has accepted: what `--fail-on` and the alerting metrics look at.
    public func open(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        acknowledged.isEmpty ? diagnostics : diagnostics.filter { acknowledged[$0.fingerprint] == nil }
    }
}

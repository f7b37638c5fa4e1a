import APModels

/// Whether money came into the account or left it.
public enum BankDirection: String, Sendable, Hashable, CaseIterable {
    case credit, debit
}

/// One booked line of a bank statement, whatever the format it was read from.
public struct BankEntry: Sendable, Hashable {
    /// The statement file as the caller named it (what `bank_entry_id` and diagnostics show).
    public var statementFile: String
    /// 1-based position among the entries of the file, unreadable ones included.
    public var position: Int
    /// The bank's own reference of the entry when it gave one (camt `AcctSvcrRef`, else `NtryRef`;
    /// MT940 `:61:` bank reference unless `NONREF`; BAI2 bank reference; CSV id column).
    public var bankReference: String?
    public var bookingDate: BankDate
    public var valueDate: BankDate?
    public var direction: BankDirection
    /// Positive: `direction` says which way it moved.
    public var amount: Money
    /// The customer-side reference (MT940 `:61:` customer reference, BAI2 customer reference,
    /// camt `EndToEndId`'s neighbour `InstrId`, CSV reference column).
    public var reference: String?
    /// Unstructured and structured remittance information, or MT940 `:86:`, or the BAI2 text.
    public var remittanceInformation: String?
    public var endToEndID: String?
    public var additionalInformation: String?
    public var counterpartyName: String?
    /// The statement's account, when the format names one.
    public var accountID: String?

    public init(statementFile: String, position: Int, bankReference: String?, bookingDate: BankDate,
                valueDate: BankDate? = nil, direction: BankDirection, amount: Money, reference: String? = nil,
                remittanceInformation: String? = nil, endToEndID: String? = nil, additionalInformation: String? = nil,
                counterpartyName: String? = nil, accountID: String? = nil) {
        self.statementFile = statementFile
        self.position = position
        self.bankReference = bankReference.flatMap(BankEntry.nonEmpty)
        self.bookingDate = bookingDate
        self.valueDate = valueDate
        self.direction = direction
        self.amount = amount
        self.reference = reference.flatMap(BankEntry.nonEmpty)
        self.remittanceInformation = remittanceInformation.flatMap(BankEntry.nonEmpty)
        self.endToEndID = endToEndID.flatMap(BankEntry.nonEmpty)
        self.additionalInformation = additionalInformation.flatMap(BankEntry.nonEmpty)
        self.counterpartyName = counterpartyName.flatMap(BankEntry.nonEmpty)
        self.accountID = accountID.flatMap(BankEntry.nonEmpty)
    }

    /// `bank_entry_id`: the bank's reference, else `FILE#N` (file name and position).
    public var id: String { bankReference ?? BankEntry.positionID(file: statementFile, position: position) }

    public var currency: Currency { amount.currency }

    /// The texts a payout id is looked for in (remittance information, end-to-end id,
    /// additional entry information, and the customer reference), in that order.
    public var matchingTexts: [String] {
        [remittanceInformation, endToEndID, additionalInformation, reference].compactMap { $0 }
    }

    /// The texts a provider name is looked for in: the matching texts and the counterparty.
    public var descriptiveTexts: [String] { matchingTexts + [counterpartyName].compactMap { $0 } }

    /// `FILE#N`: the id of an entry without a bank reference, and of an unreadable one.
    public static func positionID(file: String, position: Int) -> String { "\(file)#\(position)" }

    static func nonEmpty(_ s: String) -> String? {
        let trimmed = s.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension String {
    /// Spaces, tabs and line breaks removed at both ends (no Foundation needed).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }

    /// Runs of whitespace (line breaks of a multi-line field included) as one space.
    func collapsingWhitespace() -> String {
        var out = ""
        var pendingSpace = false
        for scalar in unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

import APModels

/// Compact JSON with sorted keys for a decoded payout line, used as the raw JSON of a line
/// that decoded but cannot be summed (no direction, none implied). Hand-written rather than
/// JSONSerialization so the bytes are the same on every platform.
enum RecordJSON {
    static func payoutLine(_ t: PayoutTransaction) -> String {
        var fields: [(String, String)] = [
            ("amount", String(t.amount.minorUnits)),
            ("currency", quote(t.amount.currency.code)),
            ("id", quote(t.id)),
            ("status", quote(t.status.name)),
            ("type", quote(t.type.name)),
        ]
        if let v = t.createdAt { fields.append(("created_at", quote(v.rfc3339))) }
        if let v = t.customerID { fields.append(("customer_id", quote(v))) }
        if let v = t.direction { fields.append(("direction", quote(v.rawValue))) }
        if let v = t.invoiceID { fields.append(("invoice_id", quote(v))) }
        if let v = t.paymentRequestID { fields.append(("payment_request_id", quote(v))) }
        fields.sort { $0.0 < $1.0 }
        return "{" + fields.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func quote(_ s: String) -> String { JSONText.quoted(s) }
}

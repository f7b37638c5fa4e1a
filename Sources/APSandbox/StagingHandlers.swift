/// Sandbox-only routes (under /sandbox) that stage scenarios the public API cannot create:
/// payments against invoices / payment requests, and payouts over chosen transactions.
extension SandboxStore {
    static let outboundTypes: Set<String> = ["refund", "fee", "chargeback"]

    /// POST /sandbox/payments → a transaction; marks its invoice / payment request PAID once
    /// succeeded payments in its currency cover its amount.
    func stagePayment(_ input: APIInput) throws(APIError) -> Reply {
        let body = try input.objectBody()
        let invoiceID = body.string("invoice_id")
        let requestID = body.string("payment_request_id")
        guard invoiceID != nil || requestID != nil else {
            throw APIError.badRequest("give invoice_id or payment_request_id", [("invoice_id", "invoice_id or payment_request_id is required")])
        }
        var target: JSONObject?
        if let invoiceID {
            guard let invoice = invoices[invoiceID] else { throw APIError.notFound("invoice", invoiceID) }
            target = invoice
        }
        if let requestID {
            guard let request = paymentRequests[requestID] else { throw APIError.notFound("payment request", requestID) }
            if target == nil { target = request }
        }
        var invalid: [(String, String)] = []
        var amount = target?["amount"]?.minorUnits
        if let given = body["amount"] {
            amount = given.minorUnits
            if amount == nil || amount ?? 0 <= 0 { invalid.append(("amount", "must be a positive whole number of minor units")) }
        } else if amount == nil {
            invalid.append(("amount", "is required: the target's own amount is not a whole number of minor units"))
        }
        let currency = body.string("currency") ?? target?.string("currency")
        if currency.map(Self.isCurrencyCode) != true { invalid.append(("currency", "must be a 3-letter upper-case ISO 4217 code")) }
        if let createdAt = body["created_at"], createdAt.stringValue.flatMap({ SandboxTime.parse($0) }) == nil {
            invalid.append(("created_at", "must be an RFC 3339 timestamp"))
        }
        for field in ["status", "type", "customer_id", "payment_method"] {
            if let value = body[field], value.stringValue == nil { invalid.append((field, "must be a string")) }
        }
        guard invalid.isEmpty, let amount, let currency else { throw APIError.validation(invalid) }

        var transaction: JSONObject = ["id": .string(newID("txn", unusedIn: transactions))]
        transaction["amount"] = .integer(amount)
        transaction["currency"] = .string(currency)
        transaction["status"] = .string(body.string("status") ?? "succeeded")
        transaction["type"] = .string(body.string("type") ?? "payment")
        transaction["payment_method"] = .string(body.string("payment_method") ?? "standard_ach")
        if let invoiceID { transaction["invoice_id"] = .string(invoiceID) }
        if let requestID { transaction["payment_request_id"] = .string(requestID) }
        if let customerID = body.string("customer_id") ?? invoiceID.flatMap({ invoices[$0]?.string("customer_id") }) {
            transaction["customer_id"] = .string(customerID)
        }
        transaction["created_at"] = .string(body.string("created_at") ?? nowString)
        transactions[transaction.id ?? ""] = transaction

        if let invoiceID, var invoice = invoices[invoiceID], isCovered(invoice, link: "invoice_id") {
            invoice["status"] = .string("PAID")
            invoices[invoiceID] = invoice
        }
        if let requestID, var request = paymentRequests[requestID], isCovered(request, link: "payment_request_id") {
            request["status"] = .string("PAID")
            paymentRequests[requestID] = request
        }
        return .json(status: 201, .object(transaction))
    }

    /// Whether succeeded payments linked to `target` in its currency add up to its amount.
    private func isCovered(_ target: JSONObject, link: String) -> Bool {
        guard let id = target.id, let due = target["amount"]?.minorUnits else { return false }
        let currency = target.string("currency")
        var paid: Int64 = 0
        for t in transactions.byID.values where t.string(link) == id {
            guard Self.equalsIgnoringCase(t.string("status"), "succeeded"),
                  Self.equalsIgnoringCase(t.string("type") ?? "payment", "payment"),
                  currency == nil || t.string("currency") == currency,
                  let amount = t["amount"]?.minorUnits else { continue }
            paid = paid.addingReportingOverflow(amount).partialValue
        }
        return paid >= due
    }

    /// POST /sandbox/payouts → a payout whose lines copy the given transactions;
    /// amount = Σ inbound − Σ outbound unless given (to stage a mismatch).
    func stagePayout(_ input: APIInput) throws(APIError) -> Reply {
        let body = try input.objectBody()
        guard let ids = body["transaction_ids"]?.arrayValue, !ids.isEmpty else {
            throw APIError.badRequest("transaction_ids must be a non-empty array of transaction ids", [("transaction_ids", "is required")])
        }
        var invalid: [(String, String)] = []
        var lines: [JSON] = []
        var net: Int64 = 0
        var currencies: Set<String> = []
        for (index, item) in ids.enumerated() {
            guard let id = item.stringValue else { invalid.append(("transaction_ids[\(index)]", "must be a string")); continue }
            guard let t = transactions[id] else { invalid.append(("transaction_ids[\(index)]", "no transaction \(id)")); continue }
            let type = t.string("type") ?? "payment"
            let direction: String = if Self.outboundTypes.contains(type.lowercased()) {
                "outbound"
            } else if type.lowercased() == "payment" {
                "inbound"
            } else {
                t.string("direction") ?? "inbound"
            }
            var line: JSONObject = ["id": .string(id)]
            for key in ["status", "amount", "currency"] { if let value = t[key] { line[key] = value } }
            line["type"] = .string(type)
            line["direction"] = .string(direction)
            for key in ["invoice_id", "payment_request_id", "customer_id", "created_at"] { if let value = t[key] { line[key] = value } }
            lines.append(.object(line))
            if let currency = t.string("currency") { currencies.insert(currency) }
            if let amount = t["amount"]?.minorUnits {
                net = direction == "outbound" ? net.subtractingReportingOverflow(amount).partialValue : net.addingReportingOverflow(amount).partialValue
            } else if body["amount"] == nil {
                invalid.append(("transaction_ids[\(index)]", "transaction \(id) has an amount that is not a whole number; give \"amount\""))
            }
        }
        let currency = body.string("currency") ?? (currencies.count == 1 ? currencies.first : nil)
        if currency == nil { invalid.append(("currency", "the transactions mix currencies (or have none); give \"currency\"")) }
        if let given = body["amount"], given.minorUnits == nil {
            invalid.append(("amount", "must be a whole number of minor units"))
        }
        if let createdAt = body["created_at"], createdAt.stringValue.flatMap({ SandboxTime.parse($0) }) == nil {
            invalid.append(("created_at", "must be an RFC 3339 timestamp"))
        }
        guard invalid.isEmpty, let currency else { throw APIError.validation(invalid) }

        var payout: JSONObject = ["id": .string(newID("pout", unusedIn: payouts))]
        payout["status"] = .string(body.string("status") ?? "succeeded")
        payout["amount"] = body["amount"] ?? .integer(net)
        payout["currency"] = .string(currency)
        payout["created_at"] = .string(body.string("created_at") ?? nowString)
        if let arrival = body["arrival_date"] { payout["arrival_date"] = arrival }
        payout["lines"] = .array(lines)
        payouts[payout.id ?? ""] = payout
        var reply = payout.removing(["lines"])
        reply["transaction_count"] = .integer(Int64(lines.count))
        return .json(status: 201, .object(reply))
    }
}

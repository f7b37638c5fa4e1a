extension SandboxStore {
    private func existingInvoice(_ id: String) throws(APIError) -> JSONObject {
        guard let invoice = invoices[id] else { throw APIError.notFound("invoice", id) }
        return invoice
    }

    func listInvoices(_ input: APIInput) throws(APIError) -> Reply {
        let created = try Self.window(input.query, "created_at")
        let due = try Self.window(input.query, "due_date")
        let status = input.query["status"].flatMap { $0.isEmpty ? nil : $0 }
        let customerID = input.query["customer_id"].flatMap { $0.isEmpty ? nil : $0 }
        let records = invoices.sorted(query: input.query, createdAt: created) { invoice in
            if Self.isArchived(invoice) { return false }
            if let status, !Self.equalsIgnoringCase(invoice.string("status"), status) { return false }
            if let customerID, invoice.string("customer_id") != customerID { return false }
            return Self.inWindow(invoice.string("due_date"), due)
        }
        return .list(records, guideArrayKey: "data")
    }

    func getInvoice(_ input: APIInput) throws(APIError) -> Reply {
        .json(status: 200, .object(try existingInvoice(input.param(0))))
    }

    /// amount = Σ amount × quantity of the line items; status OPEN.
    func createInvoice(_ input: APIInput) throws(APIError) -> Reply {
        let body = try input.objectBody()
        var missing: [(String, String)] = []
        for field in ["customer_id", "currency"] where (body.string(field) ?? "").isEmpty { missing.append((field, "is required")) }
        if body["line_items"] == nil { missing.append(("line_items", "is required")) }
        if !missing.isEmpty { throw APIError.badRequest("missing required field(s): \(missing.map(\.0).joined(separator: ", "))", missing) }
        var invalid: [(String, String)] = []
        if let currency = body.string("currency"), !Self.isCurrencyCode(currency) {
            invalid.append(("currency", "must be a 3-letter upper-case ISO 4217 code"))
        }
        if let due = body["due_date"], due.stringValue.flatMap({ SandboxTime.parse($0) }) == nil {
            invalid.append(("due_date", "must be a YYYY-MM-DD date"))
        }
        var total: Int64 = 0
        var lineItems: [JSON] = []
        if let items = body["line_items"]?.arrayValue, !items.isEmpty {
            for (index, item) in items.enumerated() {
                guard let line = item.objectValue else { invalid.append(("line_items[\(index)]", "must be an object")); continue }
                guard let amount = line["amount"]?.minorUnits, amount >= 0 else {
                    invalid.append(("line_items[\(index)].amount", "must be a whole number of minor units (number or digit string)"))
                    continue
                }
                let quantity = line["quantity"].map { $0.integerValue } ?? 1
                guard let quantity, quantity >= 1 else {
                    invalid.append(("line_items[\(index)].quantity", "must be a whole number of at least 1"))
                    continue
                }
                let (product, overflow1) = amount.multipliedReportingOverflow(by: quantity)
                let (sum, overflow2) = total.addingReportingOverflow(product)
                if overflow1 || overflow2 { invalid.append(("line_items", "total overflows")); break }
                total = sum
                lineItems.append(item)
            }
        } else {
            invalid.append(("line_items", "must be a non-empty array"))
        }
        if !invalid.isEmpty { throw APIError.validation(invalid) }
        var invoice: JSONObject = ["id": .string(newID("inv", unusedIn: invoices)), "status": .string("OPEN")]
        invoice["customer_id"] = body["customer_id"]
        invoice["amount"] = .integer(total)
        invoice["currency"] = body["currency"]
        if let due = body["due_date"] { invoice["due_date"] = due }
        invoice["line_items"] = .array(lineItems)
        invoice["created_at"] = .string(nowString)
        invoices[invoice.id ?? ""] = invoice
        return .json(status: 201, .object(invoice))
    }

    func archiveInvoice(_ input: APIInput) throws(APIError) -> Reply {
        var invoice = try existingInvoice(input.param(0))
        invoice["archived"] = .bool(true)
        invoices[input.param(0)] = invoice
        return .json(status: 200, .object(invoice))
    }

    func invoicePaymentLink(_ input: APIInput) throws(APIError) -> Reply {
        let id = try existingInvoice(input.param(0)).id ?? input.param(0)
        return .json(status: 200, .object(["url": .string("https://checkout.alternativepayments.io/pay/\(id)")]))
    }

    func invoicePDFLink(_ input: APIInput) throws(APIError) -> Reply {
        let id = try existingInvoice(input.param(0)).id ?? input.param(0)
        return .json(status: 200, .object(["url": .string("https://cdn.ap.com/invoices/\(id).pdf")]))
    }

    // MARK: payment requests

    func createPaymentRequest(_ input: APIInput) throws(APIError) -> Reply {
        let body = try input.objectBody()
        var missing: [(String, String)] = []
        if body["amount"] == nil { missing.append(("amount", "is required")) }
        if (body.string("currency") ?? "").isEmpty { missing.append(("currency", "is required")) }
        if !missing.isEmpty { throw APIError.badRequest("missing required field(s): \(missing.map(\.0).joined(separator: ", "))", missing) }
        var invalid: [(String, String)] = []
        let amount = body["amount"]?.minorUnits
        if amount == nil || amount ?? 0 <= 0 {
            invalid.append(("amount", "must be a positive whole number of minor units (number or digit string)"))
        }
        if let currency = body.string("currency"), !Self.isCurrencyCode(currency) {
            invalid.append(("currency", "must be a 3-letter upper-case ISO 4217 code"))
        }
        for field in ["redirect_url", "reference_id"] {
            if let value = body[field], value.stringValue == nil { invalid.append((field, "must be a string")) }
        }
        guard invalid.isEmpty, let amount else { throw APIError.validation(invalid) }
        let id = newID("preq", unusedIn: paymentRequests)
        let url = JSON.string("https://checkout.alternativepayments.io/pay/\(id)")
        var record: JSONObject = ["id": .string(id), "amount": .integer(amount), "currency": body["currency"] ?? .null,
                                  "status": .string("PENDING")]
        if let reference = body["reference_id"] { record["reference_id"] = reference }
        if let redirect = body["redirect_url"] { record["redirect_url"] = redirect }
        record["url"] = url
        record["created_at"] = .string(nowString)
        paymentRequests[id] = record
        return .json(status: 201, .object(["id": .string(id), "url": url, "status": .string("PENDING")]))
    }

    func getPaymentRequest(_ input: APIInput) throws(APIError) -> Reply {
        guard let record = paymentRequests[input.param(0)] else { throw APIError.notFound("payment request", input.param(0)) }
        return .json(status: 200, .object(record))
    }
}

extension SandboxStore {
    private static let lineKey: Set<String> = ["lines"]

    func listPayments(_ input: APIInput) throws(APIError) -> Reply {
        let q = input.query.filter { !$0.value.isEmpty }
        let records = transactions.sorted(query: input.query) { t in
            if let status = q["status"], !Self.equalsIgnoringCase(t.string("status"), status) { return false }
            if let type = q["type"], !Self.equalsIgnoringCase(t.string("type"), type) { return false }
            if let method = q["payment_method"], !Self.equalsIgnoringCase(t.string("payment_method"), method) { return false }
            for key in ["invoice_id", "customer_id", "payment_request_id"] {
                if let wanted = q[key], t.string(key) != wanted { return false }
            }
            return true
        }
        return .list(records, guideArrayKey: "data")
    }

    /// Both ends inclusive.
    func listPayouts(_ input: APIInput) throws(APIError) -> Reply {
        let created = try Self.window(input.query, "created_at")
        let status = input.query["status"].flatMap { $0.isEmpty ? nil : $0 }
        let records = payouts.sorted(query: input.query, createdAt: created) { payout in
            if let status, !Self.equalsIgnoringCase(payout.string("status"), status) { return false }
            return true
        }
        return .list(records.map { $0.removing(Self.lineKey) }, guideArrayKey: "data")
    }

    func getPayout(_ input: APIInput) throws(APIError) -> Reply {
        guard let payout = payouts[input.param(0)] else { throw APIError.notFound("payout", input.param(0)) }
        return .json(status: 200, .object(payout.removing(Self.lineKey)))
    }

    func listPayoutTransactions(_ input: APIInput) throws(APIError) -> Reply {
        guard let lines = payouts.nestedEntries(id: input.param(0), key: "lines") else {
            throw APIError.notFound("payout", input.param(0))
        }
        return .entries(lines, guideArrayKey: "transactions")
    }
}

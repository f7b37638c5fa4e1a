/// The read endpoints of CONTRACT.md's table.
extension APIClient {
    /// `GET /payouts`, optionally filtered by creation time (RFC 3339) and status.
    public func payouts(createdAtStart: Timestamp? = nil, createdAtEnd: Timestamp? = nil,
                        status: PayoutStatus? = nil) -> PagedRecords<Payout> {
        list(Payout.self, .payouts, query: [
            ("created_at_start", createdAtStart?.rfc3339), ("created_at_end", createdAtEnd?.rfc3339), ("status", status?.name),
        ])
    }

    /// `GET /payouts/{id}`. Throws `APIError` `.notFound` on 404.
    public func payout(id: String) async throws -> Fetched<Payout> {
        try Self.requireID(id, "GET /payouts/{id}")
        return try await single(Payout.self, .payout(id))
    }

    /// `GET /payouts/{id}/transactions` (array key `transactions` or `data`). A 404 is `.notFound`.
    public func payoutTransactions(payoutID: String) -> PagedRecords<PayoutTransaction> {
        let base = Endpoint.payoutTransactions(payoutID)
        guard !payoutID.isEmpty else {
            let error = Self.emptyID(base.template)
            return PagedRecords(endpoint: base.template, maxPages: 1) { _ in throw error }
        }
        return list(PayoutTransaction.self, base, notFound: .missingRecord)
    }

    /// `GET /payments`.
    public func payments(_ filter: PaymentFilter = PaymentFilter()) -> PagedRecords<Transaction> {
        list(Transaction.self, .payments, query: filter.queryItems)
    }

    /// `GET /invoices`.
    public func invoices(_ filter: InvoiceFilter = InvoiceFilter()) -> PagedRecords<Invoice> {
        list(Invoice.self, .invoices, query: filter.queryItems)
    }

    /// `GET /invoices/{id}`. Throws `APIError` `.notFound` on 404.
    public func invoice(id: String) async throws -> Fetched<Invoice> {
        try Self.requireID(id, "GET /invoices/{id}")
        return try await single(Invoice.self, .invoice(id))
    }

    /// `GET /payments/request/{id}` (there is no list endpoint). Throws `.notFound` on 404.
    public func paymentRequest(id: String) async throws -> Fetched<PaymentRequest> {
        try Self.requireID(id, "GET /payments/request/{id}")
        return try await single(PaymentRequest.self, .paymentRequest(id))
    }

    /// `GET /customers`.
    public func customers(_ filter: CustomerFilter = CustomerFilter()) -> PagedRecords<Customer> {
        list(Customer.self, .customers, query: filter.queryItems)
    }

    /// `GET /customers/{id}`. Throws `APIError` `.notFound` on 404.
    public func customer(id: String) async throws -> Fetched<Customer> {
        try Self.requireID(id, "GET /customers/{id}")
        return try await single(Customer.self, .customer(id))
    }
}

/// Filters of `GET /payments`. Nil fields are not sent.
public struct PaymentFilter: Sendable, Hashable {
    public var status: TransactionStatus?
    public var type: TransactionType?
    public var paymentMethod: String?
    public var invoiceID: String?
    public var customerID: String?

    public init(status: TransactionStatus? = nil, type: TransactionType? = nil, paymentMethod: String? = nil,
                invoiceID: String? = nil, customerID: String? = nil) {
        self.status = status
        self.type = type
        self.paymentMethod = paymentMethod
        self.invoiceID = invoiceID
        self.customerID = customerID
    }

    var queryItems: [(String, String?)] {
        [("status", status?.name), ("type", type?.name), ("payment_method", paymentMethod),
         ("invoice_id", invoiceID), ("customer_id", customerID)]
    }
}

/// Filters of `GET /invoices`. Timestamps are sent as RFC 3339 in UTC.
public struct InvoiceFilter: Sendable, Hashable {
    public var status: InvoiceStatus?
    public var customerID: String?
    public var createdAtStart: Timestamp?
    public var createdAtEnd: Timestamp?
    public var dueDateStart: Timestamp?
    public var dueDateEnd: Timestamp?

    public init(status: InvoiceStatus? = nil, customerID: String? = nil, createdAtStart: Timestamp? = nil,
                createdAtEnd: Timestamp? = nil, dueDateStart: Timestamp? = nil, dueDateEnd: Timestamp? = nil) {
        self.status = status
        self.customerID = customerID
        self.createdAtStart = createdAtStart
        self.createdAtEnd = createdAtEnd
        self.dueDateStart = dueDateStart
        self.dueDateEnd = dueDateEnd
    }

    var queryItems: [(String, String?)] {
        [("status", status?.name), ("customer_id", customerID),
         ("created_at_start", createdAtStart?.rfc3339), ("created_at_end", createdAtEnd?.rfc3339),
         ("due_date_start", dueDateStart?.rfc3339), ("due_date_end", dueDateEnd?.rfc3339)]
    }
}

/// Filters of `GET /customers`.
public struct CustomerFilter: Sendable, Hashable {
    public var companyName: String?
    public var createdAtStart: Timestamp?
    public var createdAtEnd: Timestamp?

    public init(companyName: String? = nil, createdAtStart: Timestamp? = nil, createdAtEnd: Timestamp? = nil) {
        self.companyName = companyName
        self.createdAtStart = createdAtStart
        self.createdAtEnd = createdAtEnd
    }

    var queryItems: [(String, String?)] {
        [("company_name", companyName), ("created_at_start", createdAtStart?.rfc3339), ("created_at_end", createdAtEnd?.rfc3339)]
    }
}

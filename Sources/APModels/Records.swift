import Foundation

// Typed records of the API, one per row of CONTRACT.md's table. Each decodes by field
// name (unknown fields ignored, optional fields optional); a record that cannot be used
// throws `RecordError`, which the paging layer turns into an `UnreadableRecord`.
// Status strings compare case-insensitively, so the enums keep unknown values verbatim.

public enum PayoutStatus: Sendable, Hashable {
    case pending, inTransit, succeeded, failed, canceled
    case other(String)
    public init(_ raw: String) {
        switch raw.lowercased() {
        case "pending": self = .pending
        case "in_transit": self = .inTransit
        case "succeeded", "paid": self = .succeeded
        case "failed": self = .failed
        case "canceled", "cancelled": self = .canceled
        default: self = .other(raw)
        }
    }
    public var name: String {
        switch self {
        case .pending: "pending"
        case .inTransit: "in_transit"
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .canceled: "canceled"
        case .other(let s): s
        }
    }
}

public enum TransactionStatus: Sendable, Hashable {
    case succeeded, pending, failed, refunded
    case other(String)
    public init(_ raw: String) {
        switch raw.lowercased() {
        case "succeeded": self = .succeeded
        case "pending": self = .pending
        case "failed": self = .failed
        case "refunded": self = .refunded
        default: self = .other(raw)
        }
    }
    public var name: String {
        switch self {
        case .succeeded: "succeeded"
        case .pending: "pending"
        case .failed: "failed"
        case .refunded: "refunded"
        case .other(let s): s
        }
    }
}

public enum TransactionType: Sendable, Hashable {
    case payment, refund, fee, chargeback, adjustment
    case other(String)
    public init(_ raw: String) {
        switch raw.lowercased() {
        case "payment": self = .payment
        case "refund": self = .refund
        case "fee": self = .fee
        case "chargeback": self = .chargeback
        case "adjustment": self = .adjustment
        default: self = .other(raw)
        }
    }
    public var name: String {
        switch self {
        case .payment: "payment"
        case .refund: "refund"
        case .fee: "fee"
        case .chargeback: "chargeback"
        case .adjustment: "adjustment"
        case .other(let s): s
        }
    }
}

public enum Direction: String, Sendable, Hashable {
    case inbound, outbound
    public init?(raw: String) { self.init(rawValue: raw.lowercased()) }
}

public enum InvoiceStatus: Sendable, Hashable {
    case open, paid, overdue
    case other(String)
    public init(_ raw: String) {
        switch raw.uppercased() {
        case "OPEN": self = .open
        case "PAID": self = .paid
        case "OVERDUE": self = .overdue
        default: self = .other(raw)
        }
    }
    public var name: String {
        switch self {
        case .open: "OPEN"
        case .paid: "PAID"
        case .overdue: "OVERDUE"
        case .other(let s): s
        }
    }
}

public enum PaymentRequestStatus: Sendable, Hashable {
    case pending, paid
    case other(String)
    public init(_ raw: String) {
        switch raw.uppercased() {
        case "PENDING": self = .pending
        case "PAID": self = .paid
        default: self = .other(raw)
        }
    }
    public var name: String {
        switch self {
        case .pending: "PENDING"
        case .paid: "PAID"
        case .other(let s): s
        }
    }
}

/// `GET /payouts`, `GET /payouts/{id}`.
public struct Payout: APIRecord, Hashable {
    public var id: String
    public var status: PayoutStatus
    /// Net amount paid out.
    public var amount: Money
    public var createdAt: Timestamp
    public var arrivalDate: String?

    public init(id: String, status: PayoutStatus, amount: Money, createdAt: Timestamp, arrivalDate: String? = nil) {
        self.id = id
        self.status = status
        self.amount = amount
        self.createdAt = createdAt
        self.arrivalDate = arrivalDate
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        id = try c.requiredString("id")
        status = PayoutStatus(try c.requiredString("status"))
        amount = Money(minorUnits: try c.amount("amount"), currency: try c.currency("currency"))
        createdAt = try c.timestamp("created_at")
        arrivalDate = try? c.optionalString("arrival_date")
    }
}

/// One line of `GET /payouts/{id}/transactions`.
public struct PayoutTransaction: APIRecord, Hashable {
    public var id: String
    public var status: TransactionStatus
    /// Positive amount; `direction` says whether it adds to or subtracts from the payout.
    public var amount: Money
    public var type: TransactionType
    /// As sent; nil when absent. See `effectiveDirection`.
    public var direction: Direction?
    public var invoiceID: String?
    public var paymentRequestID: String?
    public var customerID: String?
    public var createdAt: Timestamp?

    public init(id: String, status: TransactionStatus, amount: Money, type: TransactionType, direction: Direction?,
                invoiceID: String? = nil, paymentRequestID: String? = nil, customerID: String? = nil, createdAt: Timestamp? = nil) {
        self.id = id
        self.status = status
        self.amount = amount
        self.type = type
        self.direction = direction
        self.invoiceID = invoiceID
        self.paymentRequestID = paymentRequestID
        self.customerID = customerID
        self.createdAt = createdAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        id = try c.requiredString("id")
        status = TransactionStatus(try c.requiredString("status"))
        amount = Money(minorUnits: try c.amount("amount"), currency: try c.currency("currency"))
        type = TransactionType(try c.requiredString("type"))
        if let raw = try c.optionalString("direction") {
            guard let d = Direction(raw: raw) else {
                throw RecordError(field: "direction", problem: "\"\(raw.prefix(20))\" is neither inbound nor outbound")
            }
            direction = d
        } else {
            direction = nil
        }
        invoiceID = try c.optionalString("invoice_id").flatMap(nonEmpty)
        paymentRequestID = try c.optionalString("payment_request_id").flatMap(nonEmpty)
        customerID = try c.optionalString("customer_id").flatMap(nonEmpty)
        createdAt = c.optionalTimestamp("created_at")
    }

    /// The direction as sent, or the one its type implies when absent
    /// (payment inbound; refund, fee and chargeback outbound). Nil for an
    /// adjustment or unknown type without a direction: the line cannot be summed.
    public var effectiveDirection: Direction? {
        if let direction { return direction }
        switch type {
        case .payment: return .inbound
        case .refund, .fee, .chargeback: return .outbound
        case .adjustment, .other: return nil
        }
    }
}

/// `GET /payments`: a transaction as the payments list reports it.
public struct Transaction: APIRecord, Hashable {
    public var id: String
    public var amount: Money
    public var status: TransactionStatus
    public var paymentMethod: String?
    public var createdAt: Timestamp?
    /// Nil when absent; a record without `type` is a payment.
    public var type: TransactionType?
    public var direction: Direction?
    public var invoiceID: String?
    public var paymentRequestID: String?
    public var customerID: String?

    public init(id: String, amount: Money, status: TransactionStatus, paymentMethod: String? = nil, createdAt: Timestamp? = nil,
                type: TransactionType? = nil, direction: Direction? = nil, invoiceID: String? = nil,
                paymentRequestID: String? = nil, customerID: String? = nil) {
        self.id = id
        self.amount = amount
        self.status = status
        self.paymentMethod = paymentMethod
        self.createdAt = createdAt
        self.type = type
        self.direction = direction
        self.invoiceID = invoiceID
        self.paymentRequestID = paymentRequestID
        self.customerID = customerID
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        id = try c.requiredString("id")
        amount = Money(minorUnits: try c.amount("amount"), currency: try c.currency("currency"))
        status = TransactionStatus(try c.requiredString("status"))
        paymentMethod = try? c.optionalString("payment_method")
        createdAt = c.optionalTimestamp("created_at")
        type = try c.optionalString("type").map(TransactionType.init)
        direction = try c.optionalString("direction").flatMap(Direction.init(raw:))
        invoiceID = try c.optionalString("invoice_id").flatMap(nonEmpty)
        paymentRequestID = try c.optionalString("payment_request_id").flatMap(nonEmpty)
        customerID = try c.optionalString("customer_id").flatMap(nonEmpty)
    }

    /// `type`, defaulting to payment as CONTRACT.md says.
    public var effectiveType: TransactionType { type ?? .payment }
}

public struct InvoiceLineItem: Sendable, Hashable {
    public var description: String?
    public var amount: Int64
    public var quantity: Int64
    public init(description: String?, amount: Int64, quantity: Int64) {
        self.description = description
        self.amount = amount
        self.quantity = quantity
    }
}

/// `GET /invoices`, `GET /invoices/{id}`.
public struct Invoice: APIRecord, Hashable {
    public var id: String
    public var customerID: String?
    public var status: InvoiceStatus
    public var amount: Money
    public var dueDate: String?
    public var createdAt: Timestamp?
    /// Nil when the API sent none.
    public var lineItems: [InvoiceLineItem]?

    public init(id: String, customerID: String?, status: InvoiceStatus, amount: Money, dueDate: String? = nil,
                createdAt: Timestamp? = nil, lineItems: [InvoiceLineItem]? = nil) {
        self.id = id
        self.customerID = customerID
        self.status = status
        self.amount = amount
        self.dueDate = dueDate
        self.createdAt = createdAt
        self.lineItems = lineItems
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        id = try c.requiredString("id")
        customerID = try c.optionalString("customer_id").flatMap(nonEmpty)
        status = InvoiceStatus(try c.requiredString("status"))
        amount = Money(minorUnits: try c.amount("amount"), currency: try c.currency("currency"))
        dueDate = try? c.optionalString("due_date")
        createdAt = c.optionalTimestamp("created_at")
        let itemsKey = Field("line_items")
        if c.contains(itemsKey), try !c.decodeNil(forKey: itemsKey) {
            var list = try c.nestedUnkeyedContainer(forKey: itemsKey)
            var items: [InvoiceLineItem] = []
            var index = 0
            while !list.isAtEnd {
                let item = try list.nestedContainer(keyedBy: Field.self)
                do {
                    items.append(InvoiceLineItem(
                        description: try? item.optionalString("description"),
                        amount: try item.amount("amount"),
                        quantity: try item.optionalAmount("quantity") ?? 1))
                } catch let e as RecordError {
                    throw RecordError(field: "line_items[\(index)].\(e.field)", problem: e.problem)
                }
                index += 1
            }
            lineItems = items
        } else {
            lineItems = nil
        }
    }
}

/// `GET /payments/request/{id}` (there is no list endpoint).
public struct PaymentRequest: APIRecord, Hashable {
    public var id: String
    public var amount: Money
    public var status: PaymentRequestStatus
    public var referenceID: String?
    public var url: String?

    public init(id: String, amount: Money, status: PaymentRequestStatus, referenceID: String? = nil, url: String? = nil) {
        self.id = id
        self.amount = amount
        self.status = status
        self.referenceID = referenceID
        self.url = url
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        id = try c.requiredString("id")
        amount = Money(minorUnits: try c.amount("amount"), currency: try c.currency("currency"))
        status = PaymentRequestStatus(try c.requiredString("status"))
        referenceID = try? c.optionalString("reference_id")
        url = try? c.optionalString("url")
    }
}

/// `GET /customers`, `GET /customers/{id}`.
public struct Customer: APIRecord, Hashable {
    public var id: String
    public var name: String?
    public var legalName: String?
    public var email: String?
    public var externalID: String?
    public var streetAddress: String?
    public var subPremise: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?
    public var createdAt: Timestamp?

    public init(id: String, name: String? = nil, email: String? = nil) {
        self.id = id
        self.name = name
        self.email = email
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        id = try c.requiredString("id")
        name = try? c.optionalString("name")
        legalName = try? c.optionalString("legal_name")
        email = try? c.optionalString("email")
        externalID = try? c.optionalString("external_id")
        streetAddress = try? c.optionalString("street_address")
        subPremise = try? c.optionalString("sub_premise")
        city = try? c.optionalString("city")
        state = try? c.optionalString("state")
        postalCode = try? c.optionalString("postal_code")
        country = try? c.optionalString("country")
        createdAt = c.optionalTimestamp("created_at")
    }
}

/// A record the API returned that could not be decoded. It is never dropped silently:
/// callers receive it in place, with its id (when it has a readable one) and raw JSON.
public struct UnreadableRecord: Sendable, Hashable {
    /// "GET /payouts/{id}/transactions" style endpoint the record came from.
    public var endpoint: String
    public var id: String?
    /// The record as compact JSON with sorted keys.
    public var rawJSON: String
    /// What is wrong, naming the field.
    public var reason: String

    public init(endpoint: String, id: String?, rawJSON: String, reason: String) {
        self.endpoint = endpoint
        self.id = id
        self.rawJSON = rawJSON
        self.reason = reason
    }
}

/// One element of a listing: a usable record, or an unreadable one in its place.
public enum Fetched<Record: Sendable>: Sendable {
    case record(Record)
    case unreadable(UnreadableRecord)

    public var record: Record? {
        if case .record(let r) = self { return r }
        return nil
    }
}

extension Fetched: Equatable where Record: Equatable {}
extension Fetched: Hashable where Record: Hashable {}

private func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

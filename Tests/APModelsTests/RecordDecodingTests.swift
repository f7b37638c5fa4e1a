import APModels
import Foundation
import Testing

@Suite struct RecordDecodingTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    func error<T: Decodable>(_ type: T.Type, _ json: String) -> RecordError? {
        do {
            _ = try decode(T.self, json)
            return nil
        } catch {
            return error as? RecordError
        }
    }

    @Test func payoutWithUnknownFieldsAndUpperCaseStatus() throws {
        let p = try decode(Payout.self, #"{"id":"po_1","status":"PAID","amount":100000,"currency":"usd","created_at":"2024-01-10T15:00:00Z","arrival_date":"2024-01-12","extra":{"x":[1]}}"#)
        #expect(p.id == "po_1")
        #expect(p.status == .succeeded)
        #expect(p.amount.minorUnits == 100_000)
        #expect(p.amount.currency.code == "USD")
        #expect(p.createdAt.rfc3339 == "2024-01-10T15:00:00Z")
        #expect(p.arrivalDate == "2024-01-12")
        #expect(try decode(Payout.self, #"{"id":"p","status":"In_Transit","amount":1,"currency":"USD","created_at":"2024-01-10T15:00:00Z"}"#).status == .inTransit)
        #expect(try decode(Payout.self, #"{"id":"p","status":"on_hold","amount":1,"currency":"USD","created_at":"2024-01-10T15:00:00Z"}"#).status == .other("on_hold"))
    }

    @Test(arguments: [
        (#"{"status":"paid","amount":1,"currency":"USD","created_at":"2024-01-10T15:00:00Z"}"#, "id", "missing"),
        (#"{"id":"","status":"paid","amount":1,"currency":"USD","created_at":"2024-01-10T15:00:00Z"}"#, "id", "missing"),
        (#"{"id":"p","amount":1,"currency":"USD","created_at":"2024-01-10T15:00:00Z"}"#, "status", "missing"),
        (#"{"id":"p","status":"paid","amount":1,"created_at":"2024-01-10T15:00:00Z"}"#, "currency", "missing"),
        (#"{"id":"p","status":"paid","amount":1,"currency":"US","created_at":"2024-01-10T15:00:00Z"}"#, "currency", #""US" is not an ISO 4217 currency code, so the amount's minor unit is unknown"#),
        (#"{"id":"p","status":"paid","amount":1,"currency":"USD"}"#, "created_at", "missing"),
        (#"{"id":"p","status":"paid","amount":1,"currency":"USD","created_at":"yesterday"}"#, "created_at", #""yesterday" is not an RFC 3339 timestamp"#),
        (#"{"id":["p"],"status":"paid","amount":1,"currency":"USD","created_at":"2024-01-10T15:00:00Z"}"#, "id", "not a string"),
    ])
    func payoutRequiredFields(json: String, field: String, problem: String) {
        #expect(error(Payout.self, json) == RecordError(field: field, problem: problem))
    }

    @Test func payoutTransactionDirectionAndLinks() throws {
        let t = try decode(PayoutTransaction.self, #"{"id":"tx","status":"SUCCEEDED","amount":"5000","currency":"USD","type":"Fee","direction":"OUTBOUND","invoice_id":"inv_1","payment_request_id":"","customer_id":"cus_1","created_at":"2024-01-03T08:30:00Z"}"#)
        #expect(t.status == .succeeded)
        #expect(t.type == .fee)
        #expect(t.direction == .outbound)
        #expect(t.invoiceID == "inv_1")
        #expect(t.paymentRequestID == nil)
        #expect(t.customerID == "cus_1")
        #expect(t.amount.minorUnits == 5000)
        #expect(error(PayoutTransaction.self, #"{"id":"tx","status":"succeeded","amount":1,"currency":"USD","type":"payment","direction":"sideways"}"#)
            == RecordError(field: "direction", problem: #""sideways" is neither inbound nor outbound"#))
        #expect(error(PayoutTransaction.self, #"{"id":"tx","status":"succeeded","amount":1,"currency":"USD"}"#)
            == RecordError(field: "type", problem: "missing"))
    }

    @Test func transactionDefaultsToPayment() throws {
        let t = try decode(Transaction.self, #"{"id":"txn_001","amount":5000,"currency":"USD","status":"succeeded","payment_method":"standard_ach","created_at":"2024-01-03T08:30:00Z"}"#)
        #expect(t.type == nil)
        #expect(t.effectiveType == .payment)
        #expect(t.paymentMethod == "standard_ach")
        #expect(t.createdAt?.rfc3339 == "2024-01-03T08:30:00Z")
        #expect(error(Transaction.self, #"{"id":"t","currency":"USD","status":"succeeded"}"#) == RecordError(field: "amount", problem: "missing"))
    }

    @Test func invoiceWithLineItems() throws {
        let i = try decode(Invoice.self, #"{"id":"inv_123","status":"open","customer_id":"cus_123","amount":150000,"currency":"USD","due_date":"2025-09-01","line_items":[{"description":"August MSP Fee","amount":150000,"quantity":1},{"amount":"5"}]}"#)
        #expect(i.status == .open)
        #expect(i.customerID == "cus_123")
        #expect(i.dueDate == "2025-09-01")
        #expect(i.lineItems == [InvoiceLineItem(description: "August MSP Fee", amount: 150_000, quantity: 1),
                                InvoiceLineItem(description: nil, amount: 5, quantity: 1)])
        #expect(error(Invoice.self, #"{"id":"i","status":"PAID","amount":1,"currency":"USD","line_items":[{"amount":1},{"amount":2.5}]}"#)
            == RecordError(field: "line_items[1].amount", problem: #"amount "2.5" is not a whole number of minor units"#))
        #expect(try decode(Invoice.self, #"{"id":"i","status":"Overdue","amount":1,"currency":"USD"}"#).status == .overdue)
        #expect(try decode(Invoice.self, #"{"id":"i","status":"VOID","amount":1,"currency":"USD"}"#).status == .other("VOID"))
    }

    @Test func paymentRequestAmountAsString() throws {
        let r = try decode(PaymentRequest.self, #"{"id":"preq_123","amount":"5000","currency":"USD","status":"paid","reference_id":"quote-987"}"#)
        #expect(r.amount.minorUnits == 5000)
        #expect(r.status == .paid)
        #expect(r.referenceID == "quote-987")
        #expect(r.url == nil)
        #expect(error(PaymentRequest.self, #"{"id":"p","amount":"50.00","currency":"USD","status":"PAID"}"#)
            == RecordError(field: "amount", problem: #"amount "50.00" is not a whole number of minor units"#))
    }

    @Test func customerOptionalFields() throws {
        let c = try decode(Customer.self, #"{"id":"cus_123","name":"Acme Inc.","email":"billing@acme.com","external_id":"acme-001","city":"Austin","created_at":"2024-01-01T12:00:00Z","ein":"x"}"#)
        #expect(c.name == "Acme Inc.")
        #expect(c.externalID == "acme-001")
        #expect(c.city == "Austin")
        #expect(c.createdAt?.rfc3339 == "2024-01-01T12:00:00Z")
        #expect(error(Customer.self, #"{"name":"x"}"#) == RecordError(field: "id", problem: "missing"))
    }
}

import APClient
import APModels
import Foundation
import FuzzSupport

/// The page decoder: any body decodes, as a page of each record type, to a page or an
/// APIError (protocol violation) naming the endpoint, never a crash. On a page, every element
/// of the array is kept (record or unreadable, never dropped), and an unreadable record's raw
/// JSON, which the reports print, is valid JSON.
@main enum FuzzPageDecoder {
    static func main() { FuzzEntry.main(testOneInput) }
}

func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let body = FuzzEntry.data(bytes, count)
    check(Payout.self, body, endpoint: "GET /payouts")
    check(PayoutTransaction.self, body, endpoint: "GET /payouts/{id}/transactions")
    check(Transaction.self, body, endpoint: "GET /transactions")
    check(Invoice.self, body, endpoint: "GET /invoices")
    check(PaymentRequest.self, body, endpoint: "GET /payment-requests")
    check(Customer.self, body, endpoint: "GET /customers")
    checkSingle(Payout.self, body, endpoint: "GET /payouts/{id}")
    return 0
}

func check<Record: APIRecord>(_ type: Record.Type, _ body: Data, endpoint: String) {
    do {
        let page = try PageDecoder.decode(type, from: body, endpoint: endpoint, cursor: "c1")
        if let elements = arrayCount(body) {
            fuzzCheck(page.items.count == elements, "\(endpoint): \(elements) elements became \(page.items.count) items")
        }
        for item in page.items { checkUnreadable(item, endpoint: endpoint) }
    } catch {
        fuzzCheck(error.kind == .protocolViolation && error.endpoint == endpoint && error.cursor == "c1",
                  "\(endpoint): unexpected error \(error)")
    }
}

func checkSingle<Record: APIRecord>(_ type: Record.Type, _ body: Data, endpoint: String) {
    do {
        checkUnreadable(try PageDecoder.decodeSingle(type, from: body, endpoint: endpoint), endpoint: endpoint)
    } catch {
        fuzzCheck(error.kind == .protocolViolation && error.endpoint == endpoint, "\(endpoint): unexpected error \(error)")
    }
}

func checkUnreadable<Record>(_ item: Fetched<Record>, endpoint: String) {
    guard case .unreadable(let record) = item else { return }
    fuzzCheck(record.endpoint == endpoint, "unreadable record names \(record.endpoint), not \(endpoint)")
    fuzzCheck(!record.reason.isEmpty, "\(endpoint): unreadable record without a reason")
    let raw = Data(record.rawJSON.utf8)
    fuzzCheck(record.rawJSON.isEmpty || (try? JSONSerialization.jsonObject(with: raw, options: .fragmentsAllowed)) != nil,
              "\(endpoint): raw JSON of an unreadable record is not JSON: \(record.rawJSON.prefix(200))")
}

/// The length of the page's array as an independent parser (JSONSerialization) sees it, when
/// the body is an unambiguous page: an object whose "data" (or else "transactions") is an array.
func arrayCount(_ body: Data) -> Int? {
    guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
    if object["data"] != nil { return (object["data"] as? [Any])?.count }
    return (object["transactions"] as? [Any])?.count
}

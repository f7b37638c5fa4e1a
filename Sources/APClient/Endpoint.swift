import Foundation

/// A request target: the endpoint template (for errors, logs and statistics) and the concrete
/// path with its query, every id and value percent-encoded.
struct Endpoint: Sendable {
    /// `GET /payouts/{id}/transactions`.
    var template: String
    /// `/payouts/po%2F1/transactions` — without the query.
    var path: String
    var query: [(String, String)]

    /// Path plus `?query`, as sent.
    var pathAndQuery: String {
        query.isEmpty ? path : path + "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    func with(_ name: String, _ value: String?) -> Endpoint {
        guard let value else { return self }
        var copy = self
        copy.query.append((name, value))
        return copy
    }

    /// RFC 3986 unreserved characters pass; every other byte is %XX. An id can therefore never
    /// add a path segment ("a/b") or a query ("a?b").
    static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + hex(byte >> 4) + hex(byte & 0xF)
            }
        }
        return out
    }

    /// One path segment. "." and ".." are dot-segments that HTTP stacks collapse (curl does),
    /// so their dots are encoded too; that keeps `payout(id: "..")` on `/payouts/%2E%2E`.
    static func segment(_ id: String) -> String {
        if id == "." || id == ".." { return String(repeating: "%2E", count: id.count) }
        return encode(id)
    }

    private static func hex(_ nibble: UInt8) -> String {
        String(UnicodeScalar(nibble < 10 ? 48 + nibble : 55 + nibble))
    }

    // MARK: the read endpoints of CONTRACT.md

    static let token = Endpoint(template: "POST /oauth/token", path: "/oauth/token", query: [])
    static let payouts = Endpoint(template: "GET /payouts", path: "/payouts", query: [])
    static func payout(_ id: String) -> Endpoint {
        Endpoint(template: "GET /payouts/{id}", path: "/payouts/" + segment(id), query: [])
    }
    static func payoutTransactions(_ id: String) -> Endpoint {
        Endpoint(template: "GET /payouts/{id}/transactions", path: "/payouts/" + segment(id) + "/transactions", query: [])
    }
    static let payments = Endpoint(template: "GET /payments", path: "/payments", query: [])
    static let invoices = Endpoint(template: "GET /invoices", path: "/invoices", query: [])
    static func invoice(_ id: String) -> Endpoint {
        Endpoint(template: "GET /invoices/{id}", path: "/invoices/" + segment(id), query: [])
    }
    static func paymentRequest(_ id: String) -> Endpoint {
        Endpoint(template: "GET /payments/request/{id}", path: "/payments/request/" + segment(id), query: [])
    }
    static let customers = Endpoint(template: "GET /customers", path: "/customers", query: [])
    static func customer(_ id: String) -> Endpoint {
        Endpoint(template: "GET /customers/{id}", path: "/customers/" + segment(id), query: [])
    }
}

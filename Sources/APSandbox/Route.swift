import Foundation

/// Every route of the sandbox. The raw value is the key used in `SandboxStats.requestsByRoute`.
enum Route: String, CaseIterable, Sendable {
    case token = "POST /oauth/token"
    case listCustomers = "GET /customers"
    case createCustomer = "POST /customers"
    case getCustomer = "GET /customers/{id}"
    case patchCustomer = "PATCH /customers/{id}"
    case archiveCustomer = "DELETE /customers/{id}"
    case restoreCustomer = "POST /customers/{id}/restore"
    case listCustomerUsers = "GET /customers/{id}/users"
    case createCustomerUser = "POST /customers/{id}/users"
    case listPaymentMethods = "GET /customers/{id}/payment-methods"
    case getPaymentMethod = "GET /customers/{id}/payment-methods/{method_id}"
    case listInvoices = "GET /invoices"
    case createInvoice = "POST /invoices"
    case getInvoice = "GET /invoices/{id}"
    case archiveInvoice = "DELETE /invoices/{id}"
    case invoicePaymentLink = "GET /invoices/{id}/payment-link"
    case invoicePDFLink = "GET /invoices/{id}/pdf-link"
    case createPaymentRequest = "POST /payments/request"
    case getPaymentRequest = "GET /payments/request/{id}"
    case listPayments = "GET /payments"
    case listPayouts = "GET /payouts"
    case getPayout = "GET /payouts/{id}"
    case listPayoutTransactions = "GET /payouts/{id}/transactions"
    case stagePayment = "POST /sandbox/payments"
    case stagePayout = "POST /sandbox/payouts"
    case stats = "GET /sandbox/stats"
    case receiveWebhook = "POST /sandbox/webhooks"
    case listWebhooks = "GET /sandbox/webhooks"

    var method: String { String(rawValue.prefix { $0 != " " }) }
    var pattern: [Substring] { rawValue.split(separator: " ")[1].split(separator: "/") }

    var isList: Bool {
        switch self {
        case .listCustomers, .listCustomerUsers, .listInvoices, .listPayments, .listPayouts, .listPayoutTransactions: true
        default: false
        }
    }

    enum Match: Equatable {
        case route(Route, params: [String])
        /// The path exists for other methods.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// Each route's method and path segments, split once rather than on every request.
    private static let patterns: [(route: Route, method: String, segments: [Substring])] =
        allCases.map { ($0, $0.method, $0.pattern) }

    /// Literal segments win over `{param}` ones ("/payments/request" is not "/payments/{id}").
    static func match(method: String, path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        for (route, routeMethod, pattern) in patterns {
            guard pattern.count == segments.count else { continue }
            var params: [String] = []
            var matches = true
            for (p, s) in zip(pattern, segments) {
                if p.hasPrefix("{") {
                    // Without a "%" there is nothing to decode (and no Foundation call to pay for).
                    params.append(s.contains("%") ? String(s).removingPercentEncoding ?? String(s) : String(s))
                } else if p != s {
                    matches = false
                    break
                }
            }
            guard matches else { continue }
            if routeMethod == method { return .route(route, params: params) }
            allowed.append(routeMethod)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}

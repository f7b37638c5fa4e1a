import APSandbox
import Testing

/// The guide's curl examples, unchanged but for host and token.
@Suite struct GuideExampleTests {
    @Test func paymentRequestWithStringAmount() async throws {
        let sandbox = try await SandboxHarness.start()
        let created = try await sandbox.send("POST", "/payments/request", json: """
            {
                "amount": "5000",
                "currency": "USD",
                "redirect_url": "https://yourapp.com/success",
                "reference_id": "quote-987"
              }
            """)
        #expect(created.status == 201)
        #expect(created.text == #"{"id":"preq_sbx_000001","url":"https://checkout.alternativepayments.io/pay/preq_sbx_000001","status":"PENDING"}"#)
        let fetched = try await sandbox.get("/payments/request/preq_sbx_000001").object()
        #expect(fetched.int("amount") == 5000)
        #expect(fetched["amount"] == .number("5000"))
        #expect(fetched.string("reference_id") == "quote-987")
        let bad = try await sandbox.send("POST", "/payments/request", json: #"{"amount":"12.5","currency":"USD"}"#)
        #expect(bad.status == 422)
        #expect(try bad.object()["validation_errors"]?.objectValue?.keys == ["amount"])
        await sandbox.stop()
    }

    @Test func invoiceWithLineItemsThenPaymentMarksItPaid() async throws {
        let sandbox = try await SandboxHarness.start()
        let invoice = try await sandbox.send("POST", "/invoices", json: """
            {
                "customer_id": "cus_123",
                "currency": "USD",
                "due_date": "2025-09-01",
                "line_items": [
                  {
                    "description": "August MSP Fee",
                    "amount": 150000,
                    "quantity": 1
                  },
                  { "description": "Seats", "amount": "2500", "quantity": 4 }
                ]
              }
            """)
        #expect(invoice.status == 201)
        let body = try invoice.object()
        #expect(body.string("id") == "inv_sbx_000001")
        #expect(body.string("status") == "OPEN")
        #expect(body.int("amount") == 160000)

        let partial = try await sandbox.send("POST", "/sandbox/payments", json: #"{"invoice_id":"inv_sbx_000001","amount":60000,"created_at":"2025-08-20T10:00:00Z"}"#)
        #expect(partial.status == 201)
        #expect(try await sandbox.get("/invoices/inv_sbx_000001").object().string("status") == "OPEN")
        let rest = try await sandbox.send("POST", "/sandbox/payments", json: #"{"invoice_id":"inv_sbx_000001","amount":100000,"created_at":"2025-08-21T10:00:00Z"}"#)
        #expect(try rest.object().string("customer_id") == "cus_123")
        #expect(try await sandbox.get("/invoices/inv_sbx_000001").object().string("status") == "PAID")
        #expect(try await sandbox.get("/invoices?status=paid").object().array("data")?.count == 1)

        let payments = try await sandbox.get("/payments?invoice_id=inv_sbx_000001").object().array("data") ?? []
        #expect(payments.compactMap(\.id) == ["txn_sbx_000001", "txn_sbx_000002"])
        let fee = try await sandbox.send("POST", "/sandbox/payments", json: #"{"invoice_id":"inv_sbx_000001","amount":1500,"type":"fee"}"#).object()

        let payout = try await sandbox.send("POST", "/sandbox/payouts", json: """
            {"transaction_ids":["txn_sbx_000001","txn_sbx_000002","\(fee.id ?? "")"],"created_at":"2025-08-22T00:00:00Z"}
            """)
        #expect(payout.status == 201)
        let payoutBody = try payout.object()
        #expect(payoutBody.int("amount") == 158500)
        let id = try #require(payoutBody.id)
        let lines = try await sandbox.get("/payouts/\(id)/transactions").object().array("data") ?? []
        #expect(lines.compactMap { $0.string("direction") } == ["inbound", "inbound", "outbound"])
        #expect(lines.compactMap { $0.int("amount") } == [60000, 100000, 1500])

        let mismatch = try await sandbox.send("POST", "/sandbox/payouts", json: #"{"transaction_ids":["txn_sbx_000001"],"amount":59999}"#).object()
        #expect(mismatch.int("amount") == 59999)
        let unknown = try await sandbox.send("POST", "/sandbox/payouts", json: #"{"transaction_ids":["txn_zzz"]}"#)
        #expect(unknown.status == 422)
        let stats = try await sandbox.get("/sandbox/stats").object()
        #expect(stats["requests_by_route"]?.objectValue?["POST /sandbox/payouts"] == .integer(3))
        await sandbox.stop()
    }

    @Test func customersAndUsers() async throws {
        let sandbox = try await SandboxHarness.start(SandboxConfiguration(pageShape: .guide, environment: [:]))
        let customer = try await sandbox.send("POST", "/customers", json: """
            {
                "name": "Acme Inc.",
                "email": "billing@acme.com",
                "external_id": "acme-001"
              }
            """)
        #expect(customer.status == 201)
        #expect(try customer.object().keys == ["id", "name", "email", "external_id", "created_at"])
        let id = try #require(try customer.object().id)
        let user = try await sandbox.send("POST", "/customers/\(id)/users", json: """
            {
                "email": "jane@acme.com",
                "first_name": "Jane",
                "last_name": "Doe"
              }
            """)
        #expect(user.status == 201)
        let users = try await sandbox.get("/customers/\(id)/users").json()
        // The guide shows this list as a bare array.
        #expect(users.arrayValue?.count == 1)
        let missing = try await sandbox.send("POST", "/customers", json: #"{"name":"No Mail"}"#)
        #expect(missing.status == 400)
        #expect(try missing.object()["validation_errors"]?.objectValue?["email"] == .string("is required"))
        #expect(try await sandbox.get("/invoices/x/payment-link").status == 404)
        await sandbox.stop()
    }
}

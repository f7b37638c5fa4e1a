import APSandbox
import Testing

@Suite struct RouteTests {
    static let dataset = SandboxDataset(
        customers: [Fixtures.record([("id", .string("cus_1")), ("name", .string("Acme Inc.")), ("email", .string("billing@acme.com")),
                                     ("created_at", .string("2024-01-01T12:00:00Z")),
                                     ("users", .array([.object(Fixtures.record([("id", .string("user_001")), ("email", .string("jane@acme.com"))]))])),
                                     ("payment_methods", .array([.object(Fixtures.record([("id", .string("pm_1")), ("type", .string("ach"))]))]))])],
        invoices: [Fixtures.invoice("inv_1", status: "PAID", createdAt: "2024-01-05T00:00:00Z"),
                   Fixtures.invoice("inv_2", status: "open", createdAt: "2024-01-06T00:00:00Z"),
                   Fixtures.invoice("inv_3", status: "paid", createdAt: "2024-01-07T00:00:00Z", due: "2024-03-01")],
        transactions: [
            Fixtures.record([("id", .string("txn_a")), ("amount", .string("5000")), ("currency", .string("USD")), ("status", .string("succeeded")),
                             ("payment_method", .string("standard_ach")), ("created_at", .string("2024-01-03T08:30:00Z")), ("invoice_id", .string("inv_1")),
                             ("surprise", .object(["nested": .bool(true)]))]),
            Fixtures.record([("id", .string("txn_b")), ("amount", .number("12.5")), ("currency", .string("USD")), ("status", .string("failed")),
                             ("created_at", .string("2024-01-04T08:30:00Z")), ("invoice_id", .string("inv_2"))]),
            Fixtures.record([("id", .string("txn_c")), ("amount", .string("abc")), ("currency", .string("USD")), ("status", .string("succeeded")),
                             ("invoice_id", .string("inv_1"))]),
        ],
        payouts: [
            Fixtures.payout("pout_1", "2024-01-10T00:00:00Z", lines: [Fixtures.line("txn_a", amount: .integer(5000), invoice: "inv_1")]),
            Fixtures.payout("pout_2", "2024-01-11T00:00:00Z"),
            Fixtures.payout("pout_3", "2024-01-12T00:00:00Z", status: "pending"),
            Fixtures.payout("pout_4", "2024-01-12T23:59:59Z"),
            Fixtures.payout("pout_5", "2024-01-13T00:00:00Z"),
        ]
    )

    @Test func payoutWindowsAreInclusiveAtBothEnds() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let window = try await sandbox.get("/payouts?created_at_start=2024-01-11T00:00:00Z&created_at_end=2024-01-12T00:00:00Z").object()
        #expect(window.array("data")?.compactMap(\.id) == ["pout_2", "pout_3"])
        let wholeDay = try await sandbox.get("/payouts?created_at_start=2024-01-12&created_at_end=2024-01-12").object()
        #expect(wholeDay.array("data")?.compactMap(\.id) == ["pout_3", "pout_4"])
        let status = try await sandbox.get("/payouts?status=PENDING").object()
        #expect(status.array("data")?.compactMap(\.id) == ["pout_3"])
        let bad = try await sandbox.get("/payouts?created_at_start=yesterday")
        #expect(bad.status == 400)
        #expect(try bad.object()["validation_errors"]?.objectValue?.keys == ["created_at_start"])
        let payout = try await sandbox.get("/payouts/pout_1").object()
        #expect(payout.keys == ["id", "status", "amount", "currency", "created_at"])
        await sandbox.stop()
    }

    @Test func invoicesByStatusIgnoreCase() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let paid = try await sandbox.get("/invoices?status=paid").object()
        #expect(paid.array("data")?.compactMap(\.id) == ["inv_1", "inv_3"])
        let due = try await sandbox.get("/invoices?due_date_start=2024-02-15").object()
        #expect(due.array("data")?.compactMap(\.id) == ["inv_3"])
        let missing = try await sandbox.get("/invoices/inv_x")
        #expect(missing.status == 404)
        #expect(missing.text == #"{"code":"not_found","message":"invoice inv_x not found"}"#)
        await sandbox.stop()
    }

    @Test func paymentsByInvoiceServeOddShapesVerbatim() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let reply = try await sandbox.get("/payments?invoice_id=inv_1")
        let data = try #require(try reply.object().array("data"))
        // txn_c has no created_at: listed after the others.
        #expect(data.compactMap(\.id) == ["txn_a", "txn_c"])
        #expect(reply.text.hasPrefix(#"{"data":[{"id":"txn_a","amount":"5000","currency":"USD","status":"succeeded","payment_method":"standard_ach","created_at":"2024-01-03T08:30:00Z","invoice_id":"inv_1","surprise":{"nested":true}},{"id":"txn_c","amount":"abc""#))
        let fraction = try await sandbox.get("/payments?status=FAILED")
        #expect(fraction.text.contains(#""amount":12.5,"#))
        await sandbox.stop()
    }

    @Test func customersArchiveRestoreAndSubResources() async throws {
        let sandbox = try await SandboxHarness.start(dataset: Self.dataset)
        let customer = try await sandbox.get("/customers/cus_1").object()
        #expect(customer.keys == ["id", "name", "email", "created_at"])
        let archived = try await sandbox.send("DELETE", "/customers/cus_1")
        #expect(archived.status == 200)
        #expect(try await sandbox.get("/customers").object().array("data")?.count == 0)
        #expect(try await sandbox.get("/customers/cus_1").object()["archived"] == .bool(true))
        #expect(try await sandbox.send("POST", "/customers/cus_1/restore").status == 200)
        #expect(try await sandbox.get("/customers?company_name=acme").object().array("data")?.compactMap(\.id) == ["cus_1"])
        let methods = try await sandbox.get("/customers/cus_1/payment-methods")
        #expect(methods.text == #"{"data":[{"id":"pm_1","type":"ach"}]}"#)
        #expect(try await sandbox.get("/customers/cus_1/payment-methods/pm_1").text == #"{"id":"pm_1","type":"ach"}"#)
        #expect(try await sandbox.get("/customers/cus_1/payment-methods/pm_9").status == 404)
        let patched = try await sandbox.send("PATCH", "/customers/cus_1", json: #"{"city":"Springfield"}"#).object()
        #expect(patched.string("city") == "Springfield")
        let refused = try await sandbox.send("PATCH", "/customers/cus_1", json: #"{"id":"cus_2"}"#)
        #expect(refused.status == 422)
        await sandbox.stop()
    }

    @Test func unknownRoutesAndMethods() async throws {
        let sandbox = try await SandboxHarness.start()
        let unknown = try await sandbox.get("/nope")
        #expect(unknown.status == 404)
        #expect(unknown.text == #"{"code":"not_found","message":"no route GET /nope"}"#)
        let method = try await sandbox.send("PUT", "/payouts")
        #expect(method.status == 405)
        #expect(method.headers["allow"] == "GET")
        let malformed = try await sandbox.send("POST", "/invoices", json: "{nope")
        #expect(malformed.status == 400)
        #expect(try malformed.object().string("message")?.hasPrefix("malformed JSON body: not valid JSON at byte 1") == true)
        await sandbox.stop()
    }
}

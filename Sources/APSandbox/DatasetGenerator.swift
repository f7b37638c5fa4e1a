import Foundation

extension SandboxDataset {
    /// 2024-01-01T00:00:00Z, the default start of generated data.
    public static let defaultGenerationStart = Date(timeIntervalSince1970: 1_704_067_200)

    /// A consistent dataset drawn from `seed` alone: the same arguments always give the same
    /// records (and the same bytes from `write(to:)`). Dates count from `start`, never "now".
    ///
    /// Each payout holds `linesPerPayout` lines: payments (inbound), each paying one invoice
    /// in full while unpaid invoices remain (then a payment request made for it), and, when
    /// there are two or more lines, a last fee line (outbound). Payout amount = Σ in − Σ out.
    /// Every line also appears in transactions.json; invoices paid by a line are PAID.
    /// `shape` moves invoices in time (net terms, a long tail) and adds an invoice history no
    /// line pays; `.plain` gives the same records as before it existed.
    public static func generate(
        seed: UInt64,
        customers customerCount: Int = 20,
        invoices invoiceCount: Int = 100,
        payouts payoutCount: Int = 10,
        linesPerPayout: Int = 10,
        start: Date = defaultGenerationStart,
        shape: DatasetShape = .plain
    ) -> SandboxDataset {
        var rng = SplitMix64(seed: seed)
        var shapeRNG = SplitMix64(seed: DatasetShape.shapeSeed(seed))
        let spacing = max(shape.payoutSpacingSeconds, 1)
        let paymentLinesPerPayout = linesPerPayout >= 2 ? linesPerPayout - 1 : linesPerPayout
        let t0 = Int64(start.timeIntervalSince1970.rounded(.down))
        let customerCount = max(customerCount, 1)
        let names = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Hooli", "Vandelay", "Soylent",
                     "Tyrell", "Cyberdyne", "Aperture", "Gringotts", "Pied Piper", "Dunder"]
        let suffixes = ["Inc.", "LLC", "Ltd", "Corp.", "GmbH", "Co."]
        let firstNames = ["Jane", "John", "Ana", "Wei", "Priya", "Omar", "Lena", "Kofi"]
        let lastNames = ["Doe", "Smith", "Garcia", "Chen", "Patel", "Haddad", "Novak", "Mensah"]
        let services = ["MSP Fee", "Support Plan", "Licenses", "Onboarding", "Hardware", "Consulting"]
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

        func pad(_ n: Int, _ width: Int = 5) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }

        var dataset = SandboxDataset()
        for i in 1...customerCount {
            let name = "\(names[rng.int(in: 0...names.count - 1)]) \(suffixes[rng.int(in: 0...suffixes.count - 1)])"
            let slug = name.lowercased().filter { $0.isLetter }
            let created = t0 + Int64(i - 1) * 3600
            let first = firstNames[rng.int(in: 0...firstNames.count - 1)]
            let last = lastNames[rng.int(in: 0...lastNames.count - 1)]
            let user: JSONObject = [
                "id": .string("user_\(pad(i))"), "email": .string("\(first.lowercased())@\(slug)\(i).example"),
                "first_name": .string(first), "last_name": .string(last), "created_at": .string(SandboxTime.format(created + 60)),
            ]
            let isCard = rng.int(in: 0...1) == 0
            var method: JSONObject = ["id": .string("pm_\(pad(i))"), "type": .string(isCard ? "card" : "ach"), "default": .bool(true)]
            method["last4"] = .string(pad(rng.int(in: 0...9999), 4))
            if isCard {
                method["brand"] = .string("visa")
                method["exp_month"] = .string(pad(rng.int(in: 1...12), 2))
                method["exp_year"] = .string(String(2027 + rng.int(in: 0...4)))
            }
            method["created_at"] = .string(SandboxTime.format(created + 120))
            dataset.customers.append([
                "id": .string("cus_\(pad(i))"), "name": .string(name), "email": .string("billing@\(slug)\(i).example"),
                "external_id": .string("ext-\(pad(i))"), "city": .string("Springfield"), "country": .string("US"),
                "created_at": .string(SandboxTime.format(created)),
                "users": .array([.object(user)]), "payment_methods": .array([.object(method)]),
            ])
        }

        var invoiceAmounts: [Int64] = []
        var invoiceCustomers: [String] = []
        for i in 1...max(invoiceCount, 1) where invoiceCount > 0 {
            let customerID = "cus_\(pad(rng.int(in: 1...customerCount)))"
            var created = t0 + Int64(i - 1) * 600
            if shape.movesInvoices,
               let paid = DatasetShape.paymentTime(ofInvoice: i - 1, start: t0, payouts: payoutCount,
                                                   paymentLinesPerPayout: paymentLinesPerPayout, spacing: spacing),
               let lead = shape.leadSeconds(&shapeRNG) {
                created = paid - lead
            }
            var lines: [JSON] = []
            var total: Int64 = 0
            for _ in 0..<rng.int(in: 1...3) {
                let amount = Int64(rng.int(in: 10...2500)) * 100
                let quantity = Int64(rng.int(in: 1...3))
                total += amount * quantity
                let month = months[Int(((created / 86_400 / 30) % 12 + 12) % 12)]
                lines.append(.object(["description": .string("\(month) \(services[rng.int(in: 0...services.count - 1)])"),
                                      "amount": .integer(amount), "quantity": .integer(quantity)]))
            }
            invoiceAmounts.append(total)
            invoiceCustomers.append(customerID)
            dataset.invoices.append([
                "id": .string("inv_\(pad(i))"), "customer_id": .string(customerID), "status": .string("OPEN"),
                "amount": .integer(total), "currency": .string("USD"),
                "due_date": .string(SandboxTime.formatDate(days: (created / 86_400) + 30)),
                "created_at": .string(SandboxTime.format(created)), "line_items": .array(lines),
            ])
        }

        var nextInvoice = 0
        var txnNumber = 0
        var requestNumber = 0
        let methods = ["standard_ach", "card", "same_day_ach"]
        for p in 1...max(payoutCount, 1) where payoutCount > 0 {
            let payoutCreated = t0 + Int64(p) * spacing
            var lines: [JSON] = []
            var net: Int64 = 0
            let paymentLines = paymentLinesPerPayout
            var paidTotal: Int64 = 0
            for l in 0..<paymentLines {
                txnNumber += 1
                let txnID = "txn_\(pad(txnNumber, 6))"
                let created = payoutCreated - 86_400 + Int64(l) * 60
                var txn: JSONObject = ["id": .string(txnID)]
                var amount: Int64
                if nextInvoice < dataset.invoices.count {
                    amount = invoiceAmounts[nextInvoice]
                    txn["amount"] = .integer(amount)
                    txn["currency"] = .string("USD")
                    txn["status"] = .string("succeeded")
                    txn["type"] = .string("payment")
                    txn["direction"] = .string("inbound")
                    txn["invoice_id"] = dataset.invoices[nextInvoice]["id"]
                    txn["customer_id"] = .string(invoiceCustomers[nextInvoice])
                    dataset.invoices[nextInvoice]["status"] = .string("PAID")
                    nextInvoice += 1
                } else {
                    requestNumber += 1
                    amount = Int64(rng.int(in: 10...1000)) * 100
                    let requestID = "preq_\(pad(requestNumber))"
                    dataset.paymentRequests.append([
                        "id": .string(requestID), "amount": .integer(amount), "currency": .string("USD"), "status": .string("PAID"),
                        "reference_id": .string("quote-\(pad(requestNumber))"),
                        "url": .string("https://checkout.alternativepayments.io/pay/\(requestID)"),
                        "created_at": .string(SandboxTime.format(created - 3600)),
                    ])
                    txn["amount"] = .integer(amount)
                    txn["currency"] = .string("USD")
                    txn["status"] = .string("succeeded")
                    txn["type"] = .string("payment")
                    txn["direction"] = .string("inbound")
                    txn["payment_request_id"] = .string(requestID)
                }
                txn["created_at"] = .string(SandboxTime.format(created))
                paidTotal += amount
                net += amount
                lines.append(.object(txn))
                var listed = txn
                listed["payment_method"] = .string(methods[rng.int(in: 0...methods.count - 1)])
                dataset.transactions.append(listed)
            }
            if linesPerPayout >= 2 {
                txnNumber += 1
                // 2.9% of what was paid in, rounded down to a cent.
                let fee = paidTotal * 29 / 1000
                let feeLine: JSONObject = [
                    "id": .string("txn_\(pad(txnNumber, 6))"), "amount": .integer(fee), "currency": .string("USD"),
                    "status": .string("succeeded"), "type": .string("fee"), "direction": .string("outbound"),
                    "created_at": .string(SandboxTime.format(payoutCreated - 60)),
                ]
                net -= fee
                lines.append(.object(feeLine))
                var listed = feeLine
                listed["payment_method"] = .string("standard_ach")
                dataset.transactions.append(listed)
            }
            dataset.payouts.append([
                "id": .string("pout_\(pad(p))"), "status": .string("succeeded"), "amount": .integer(net), "currency": .string("USD"),
                "created_at": .string(SandboxTime.format(payoutCreated)),
                "arrival_date": .string(SandboxTime.formatDate(days: payoutCreated / 86_400 + 2)),
                "lines": .array(lines),
            ])
        }

        // After the payouts, so that no line pays a history invoice.
        let statusWeights = DatasetShape.historyStatuses.reduce(0) { $0 + $1.1 }
        for h in 0..<max(shape.historyInvoices, 0) {
            let number = max(invoiceCount, 0) + h + 1
            let created = t0 - DatasetShape.seconds(in: shape.historyAgeDays, &shapeRNG)
            let customerID = "cus_\(pad(shapeRNG.int(in: 1...customerCount)))"
            var pick = shapeRNG.int(in: 0...statusWeights - 1)
            var status = DatasetShape.historyStatuses[0].0
            for (name, weight) in DatasetShape.historyStatuses {
                if pick < weight { status = name; break }
                pick -= weight
            }
            let amount = Int64(shapeRNG.int(in: 10...2500)) * 100
            let month = months[Int(((created / 86_400 / 30) % 12 + 12) % 12)]
            let service = services[shapeRNG.int(in: 0...services.count - 1)]
            dataset.invoices.append([
                "id": .string("inv_\(pad(number))"), "customer_id": .string(customerID), "status": .string(status),
                "amount": .integer(amount), "currency": .string("USD"),
                "due_date": .string(SandboxTime.formatDate(days: (created / 86_400) + 30)),
                "created_at": .string(SandboxTime.format(created)),
                "line_items": .array([.object(["description": .string("\(month) \(service)"), "amount": .integer(amount), "quantity": .integer(1)])]),
            ])
        }
        return dataset
    }
}

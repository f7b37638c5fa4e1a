extension SandboxStore {
    private static let embedded: Set<String> = ["users", "payment_methods"]
    private static let createFields = ["name", "email", "external_id", "legal_name", "ein", "street_address",
                                       "sub_premise", "city", "state", "postal_code", "country"]
    private static let patchFields: Set<String> = ["name", "legal_name", "ein", "street_address", "sub_premise",
                                                   "city", "state", "postal_code", "country"]

    private func existingCustomer(_ id: String) throws(APIError) -> JSONObject {
        guard let customer = customers[id] else { throw APIError.notFound("customer", id) }
        return customer
    }

    func listCustomers(_ input: APIInput) throws(APIError) -> Reply {
        let created = try Self.window(input.query, "created_at")
        let name = input.query["company_name"].map { $0.replacingOccurrences(of: "+", with: " ") }
        let records = customers.sorted(query: input.query) { customer in
            guard !Self.isArchived(customer), Self.inWindow(customer.string("created_at"), created) else { return false }
            if let name, !name.isEmpty {
                let candidates = [customer.string("name"), customer.string("legal_name"), customer.string("company_name")]
                return candidates.contains { $0?.localizedCaseInsensitiveContains(name) == true }
            }
            return true
        }
        return .list(records.map { $0.removing(Self.embedded) }, guideArrayKey: "data")
    }

    func getCustomer(_ input: APIInput) throws(APIError) -> Reply {
        .json(status: 200, .object(try existingCustomer(input.param(0)).removing(Self.embedded)))
    }

    func createCustomer(_ input: APIInput) throws(APIError) -> Reply {
        let body = try input.objectBody()
        var missing: [(String, String)] = []
        var invalid: [(String, String)] = []
        for field in ["name", "email"] where (body.string(field) ?? "").isEmpty {
            missing.append((field, "is required"))
        }
        if !missing.isEmpty { throw APIError.badRequest("missing required field(s): \(missing.map(\.0).joined(separator: ", "))", missing) }
        for field in Self.createFields {
            if let value = body[field], value.stringValue == nil { invalid.append((field, "must be a string")) }
        }
        if let email = body.string("email"), !email.contains("@") { invalid.append(("email", "is not an email address")) }
        if !invalid.isEmpty { throw APIError.validation(invalid) }
        var customer: JSONObject = ["id": .string(newID("cus", unusedIn: customers))]
        for field in Self.createFields { if let value = body[field] { customer[field] = value } }
        customer["created_at"] = .string(nowString)
        customers[customer.id ?? ""] = customer
        return .json(status: 201, .object(customer))
    }

    func patchCustomer(_ input: APIInput) throws(APIError) -> Reply {
        var customer = try existingCustomer(input.param(0))
        let body = try input.objectBody()
        var invalid: [(String, String)] = []
        for field in body.fields {
            if !Self.patchFields.contains(field.key) {
                invalid.append((field.key, "cannot be changed with PATCH"))
            } else if field.value.stringValue == nil {
                invalid.append((field.key, "must be a string"))
            }
        }
        if !invalid.isEmpty { throw APIError.validation(invalid) }
        for field in body.fields { customer[field.key] = field.value }
        customers[input.param(0)] = customer
        return .json(status: 200, .object(customer.removing(Self.embedded)))
    }

    /// Archiving hides the customer from GET /customers; GET /customers/{id} still answers,
    /// with "archived": true.
    func archiveCustomer(_ input: APIInput) throws(APIError) -> Reply {
        var customer = try existingCustomer(input.param(0))
        customer["archived"] = .bool(true)
        customers[input.param(0)] = customer
        return .json(status: 200, .object(customer.removing(Self.embedded)))
    }

    func restoreCustomer(_ input: APIInput) throws(APIError) -> Reply {
        var customer = try existingCustomer(input.param(0))
        customer["archived"] = .bool(false)
        customers[input.param(0)] = customer
        return .json(status: 200, .object(customer.removing(Self.embedded)))
    }

    func listCustomerUsers(_ input: APIInput) throws(APIError) -> Reply {
        let customer = try existingCustomer(input.param(0))
        let users = (customer["users"]?.arrayValue ?? []).compactMap(\.objectValue).sortedByKey()
        // The guide shows this reply as a bare array; the OpenAPI document as a page.
        return .list(users, guideArrayKey: "data", guideBareArray: true)
    }

    func createCustomerUser(_ input: APIInput) throws(APIError) -> Reply {
        var customer = try existingCustomer(input.param(0))
        let body = try input.objectBody()
        if (body.string("email") ?? "").isEmpty { throw APIError.badRequest("missing required field: email", [("email", "is required")]) }
        var invalid: [(String, String)] = []
        for field in ["email", "first_name", "last_name", "job_title", "phone"] {
            if let value = body[field], value.stringValue == nil { invalid.append((field, "must be a string")) }
        }
        if let email = body.string("email"), !email.contains("@") { invalid.append(("email", "is not an email address")) }
        if !invalid.isEmpty { throw APIError.validation(invalid) }
        var users = (customer["users"]?.arrayValue ?? [])
        let taken = Set(users.compactMap { $0.objectValue?.id })
        var n = users.count + 1
        while taken.contains("user_sbx_\(n)") { n += 1 }
        var user: JSONObject = ["id": .string("user_sbx_\(n)")]
        for field in ["email", "first_name", "last_name", "job_title", "phone"] { if let value = body[field] { user[field] = value } }
        user["created_at"] = .string(nowString)
        users.append(.object(user))
        customer["users"] = .array(users)
        customers[input.param(0)] = customer
        return .json(status: 201, .object(user))
    }

    func listPaymentMethods(_ input: APIInput) throws(APIError) -> Reply {
        let customer = try existingCustomer(input.param(0))
        return .unpaged((customer["payment_methods"]?.arrayValue ?? []).compactMap(\.objectValue))
    }

    func getPaymentMethod(_ input: APIInput) throws(APIError) -> Reply {
        let customer = try existingCustomer(input.param(0))
        let methodID = input.param(1)
        guard let method = (customer["payment_methods"]?.arrayValue ?? []).compactMap(\.objectValue).first(where: { $0.id == methodID }) else {
            throw APIError.notFound("payment method", "\(methodID) of customer \(input.param(0))")
        }
        return .json(status: 200, .object(method))
    }
}

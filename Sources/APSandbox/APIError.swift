/// An error reply of the API: HTTP status plus `{"code","message"[,"validation_errors"]}`.
struct APIError: Error, Sendable, Equatable {
    var status: Int
    var code: String
    var message: String
    var validationErrors: [(String, String)] = []

    static func == (lhs: APIError, rhs: APIError) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message
            && lhs.validationErrors.map(\.0) == rhs.validationErrors.map(\.0)
            && lhs.validationErrors.map(\.1) == rhs.validationErrors.map(\.1)
    }

    var body: JSON {
        var object: JSONObject = ["code": .string(code), "message": .string(message)]
        if !validationErrors.isEmpty {
            object["validation_errors"] = .object(JSONObject(validationErrors.map { JSONField($0.0, .string($0.1)) }))
        }
        return .object(object)
    }

    static func notFound(_ kind: String, _ id: String) -> APIError {
        APIError(status: 404, code: "not_found", message: "\(kind) \(id) not found")
    }

    static func badRequest(_ message: String, _ errors: [(String, String)] = []) -> APIError {
        APIError(status: 400, code: "bad_request", message: message, validationErrors: errors)
    }

    static func validation(_ errors: [(String, String)]) -> APIError {
        APIError(status: 422, code: "validation_error", message: "the request has invalid fields; see validation_errors", validationErrors: errors)
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: 401, code: "unauthorized", message: message)
    }
}

/// What the sandbox has seen since it started. Route keys are templates such as
/// "GET /payouts/{id}/transactions"; requests that match no route count as "unmatched".
public struct SandboxStats: Sendable, Equatable {
    public var requestsByRoute: [String: Int] = [:]
    public var tokensIssued: Int = 0
    public var connectionsAccepted: Int = 0
    /// Keys are `ScriptedFault.kind` names ("drop", "truncate", "status_503", "rate_limit", ...).
    public var faultsInjected: [String: Int] = [:]

    public init() {}

    public var totalRequests: Int { requestsByRoute.values.reduce(0, +) }

    /// Sorted keys, so the JSON of GET /sandbox/stats is stable.
    public var json: JSON {
        func counts(_ dictionary: [String: Int]) -> JSON {
            .object(JSONObject(dictionary.keys.sorted().map { JSONField($0, .integer(Int64(dictionary[$0] ?? 0))) }))
        }
        return .object([
            "requests_by_route": counts(requestsByRoute),
            "total_requests": .integer(Int64(totalRequests)),
            "tokens_issued": .integer(Int64(tokensIssued)),
            "connections_accepted": .integer(Int64(connectionsAccepted)),
            "faults_injected": counts(faultsInjected),
        ])
    }
}

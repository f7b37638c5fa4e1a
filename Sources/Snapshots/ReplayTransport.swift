import APTransport
import Foundation
import JobSettings
import Publishing
import Synchronization

/// Serves a verified snapshot's recorded answers instead of a network: the n-th request with a
/// given method and path gets the n-th recorded answer for it (response or transport failure),
/// so retries replay as they happened, whatever the concurrency. A request the snapshot does
/// not hold fails at once with a non-retryable error and is remembered in `misses`.
///
/// The one exception: once the recorded token replies run out, the last one is served again.
/// A replay is faster than the recorded run, so it renews tokens no more often; never more.
public final class ReplayTransport: HTTPTransport {
    private let baseURL: String
    private let answers: [String: [RecordedExchange]]
    private let bodies: [String: [UInt8]]
    private let state = Mutex(State())

    private struct State {
        var counts: [String: Int] = [:]
        var misses: [String] = []
        var served = 0
    }

    public init(snapshot: VerifiedSnapshot) {
        baseURL = RequestTarget.normalizedBase(snapshot.index.run.baseURL)
        answers = Dictionary(grouping: snapshot.index.exchanges, by: \.key).mapValues { $0.sorted { $0.occurrence < $1.occurrence } }
        bodies = snapshot.bodies
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let method = request.method.rawValue
        let path = RequestTarget.path(of: request.url, base: baseURL)
        let key = method + " " + path
        let occurrence = state.withLock { state in
            state.counts[key, default: 0] += 1
            return state.counts[key, default: 0]
        }
        let recorded = answers[key] ?? []
        let answer: RecordedExchange
        if occurrence <= recorded.count {
            answer = recorded[occurrence - 1]
        } else if SnapshotRedaction.isTokenEndpoint(method: method, path: path), let last = recorded.last(where: { $0.status == 200 }) {
            answer = last
        } else {
            let miss = "\(key) (request \(occurrence) of it; the snapshot holds \(recorded.count))"
            state.withLock { $0.misses.append(miss) }
            throw TransportError(kind: .invalidRequest, detail: "the snapshot has no response for \(miss)", request: "\(method) \(path)")
        }
        state.withLock { $0.served += 1 }
        if let failure = answer.transportError {
            throw TransportError(kind: TransportError.Kind(rawValue: failure.kind) ?? .other, curlCode: failure.curlCode,
                                 detail: failure.detail, request: "\(method) \(path)")
        }
        var headers = HTTPHeaders()
        for header in answer.headers ?? [] { headers.append(HTTPHeader(header.name, header.value)) }
        let body = answer.file.flatMap { bodies[$0] } ?? []
        return HTTPResponse(status: answer.status ?? 0, headers: headers, body: Data(body))
    }

    /// Requests the snapshot had no answer for, in words; empty after a faithful replay.
    public var misses: [String] { state.withLock { $0.misses } }

    /// Recorded attempts the replay never asked for.
    public var unusedCount: Int {
        state.withLock { state in
            answers.reduce(0) { total, entry in total + max(0, entry.value.count - (state.counts[entry.key] ?? 0)) }
        }
    }
}

import APTransport
import JobSettings
import Operations
import RunPipeline

/// Sends requests addressed to a fixed, stable base URL to where the sandbox really listens.
///
/// The demo's sandbox takes a free port, different on every run. The job writes its base URL
/// into report.json, so with the real address no two demo runs (and never the expected reports
/// under samples/reports/) would have the same bytes. The job is given `stableBaseURL` instead,
/// and this transport swaps it for the sandbox's address just before libcurl sends the request.
struct FixedAddressTransport: HTTPTransport {
    let stableBaseURL: String
    let actualBaseURL: String
    let inner: any HTTPTransport

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        var request = request
        if request.url.hasPrefix(stableBaseURL) {
            request.url = actualBaseURL + request.url.dropFirst(stableBaseURL.count)
        }
        return try await inner.send(request)
    }
}

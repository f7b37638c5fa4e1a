import CCurl

extension TransportError.Kind {
    /// Classifies a libcurl result code (see docs/transport.md for the table).
    ///
    /// CURLE_WRITE_ERROR (23) is not here: it means our write callback refused data,
    /// which the transfer knows to be the body cap; see `CurlTransfer.failure(code:)`.
    init(curlCode code: Int32) {
        switch code {
        case 28: self = .timeout
        case 7: self = .connectionRefused
        case 16, 52, 55, 56, 92: self = .connectionReset
        case 18: self = .truncatedBody
        case 6: self = .dnsFailure
        case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91: self = .tls
        case 63: self = .bodyTooLarge
        case 1, 3, 43: self = .invalidRequest
        default: self = .other
        }
    }
}

enum CurlText {
    /// libcurl's fixed English text for a result code.
    static func describe(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "curl error \(code.rawValue)" }
        return String(cString: text)
    }

    static func describe(multi code: CURLMcode) -> String {
        guard let text = curl_multi_strerror(code) else { return "curl multi error \(code.rawValue)" }
        return String(cString: text)
    }
}

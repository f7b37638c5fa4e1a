import CCurl
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide libcurl setup.
enum CurlGlobal {
    /// The result of `curl_global_init`. A static `let` is initialized exactly once per
    /// process, thread-safely, on first use: libcurl requires that global init is not
    /// run concurrently with anything else in libcurl.
    static let initResult: CURLcode = {
        // A peer closing a connection while we write would raise SIGPIPE, whose default
        // action kills the process. CURLOPT_NOSIGNAL on each handle keeps libcurl itself
        // from installing handlers, so we ignore the signal here once for everyone.
        _ = signal(SIGPIPE, SIG_IGN)
        return curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    static var isReady: Bool { initResult == CURLE_OK }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a URL may be plain `http`. Everything the job sends carries a secret — the Basic
/// client credentials and bearer tokens to the API, the signed event (and often a token in the
/// URL) to the webhook — so plain http is refused unless the traffic cannot leave the machine:
/// a loopback address. That keeps a local sandbox or receiver (`http://127.0.0.1:8080`) usable
/// and everything else on TLS. One rule for every URL the job is given.
///
/// A name under `.invalid` is allowed too: RFC 6761 reserves it never to resolve, so a request
/// to it fails before a byte is sent. The demo and the test harnesses give the job such a
/// stable address (written into reports) and a transport of theirs rewrites it to the local
/// sandbox.
public enum CleartextPolicy {
    /// The rule, in words for an error message's hint.
    public static let rule = "use https; plain http is accepted only to a loopback address (localhost, 127.0.0.0/8, ::1)"

    /// True for `https` to any host, and for `http` to a loopback host; false otherwise
    /// (other schemes are for the caller to refuse on their own terms).
    public static func permits(scheme: String, host: String) -> Bool {
        switch scheme.lowercased() {
        case "https": true
        case "http": isLoopback(host: host) || isReservedInvalid(host: host)
        default: false
        }
    }

    /// `x.invalid` or `invalid` (any case, trailing dot allowed).
    public static func isReservedInvalid(host: String) -> Bool {
        var lower = host.lowercased()
        if lower.hasSuffix(".") { lower.removeLast() }
        return lower == "invalid" || lower.hasSuffix(".invalid")
    }

    /// `localhost` (any case, with or without the root's trailing dot), an IPv4 address in
    /// 127.0.0.0/8 in the strict dotted-quad form, or the IPv6 loopback `::1` in any spelling
    /// (brackets allowed, `::ffff:127.x.y.z` included). Names that merely end in `localhost` or
    /// resolve to 127.0.0.1 through DNS are not loopback here: a resolver can be told otherwise.
    public static func isLoopback(host raw: String) -> Bool {
        var host = raw
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let lower = host.lowercased()
        if lower == "localhost" || lower == "localhost." { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            // s_addr is in network order: its first byte in memory is the first octet.
            return withUnsafeBytes(of: &v4) { $0[0] } == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        // IPv4-mapped (::ffff:a.b.c.d): loopback when a is 127.
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        return mapped && bytes[12] == 127
    }
}

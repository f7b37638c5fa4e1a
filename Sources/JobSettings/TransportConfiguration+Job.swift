import APTransport

extension TransportConfiguration {
    /// Every connection the job opens (the API, the webhook, the Pushgateway, `check`'s probes):
    /// the operator's CA bundle and the job's User-Agent.
    public static func job(caBundle: String?) -> TransportConfiguration {
        var configuration = TransportConfiguration()
        configuration.caBundlePath = caBundle
        configuration.userAgent = ToolVersion.userAgent
        return configuration
    }
}

extension Duration {
    /// Whole milliseconds, rounded up, clamped to `1...Int.max`.
    ///
    /// libcurl reads 0 as "no timeout", so a zero or negative duration becomes 1 ms
    /// (fail fast) rather than silently becoming unlimited.
    var curlTimeoutMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 1 }
        let (wholeMs, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return Int.max }
        let extra = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        let (total, overflow2) = wholeMs.addingReportingOverflow(extra)
        guard !overflow2 else { return Int.max }
        return Int(clamping: max(1, total))
    }

    /// Whole seconds, rounded up, at least 1 (for libcurl options counted in seconds).
    var curlTimeoutSeconds: Int {
        let ms = curlTimeoutMilliseconds
        return ms / 1000 + (ms % 1000 == 0 ? 0 : 1)
    }
}

import Foundation

/// The benchmark's results as Markdown, and the block of docs/performance.md they replace.
struct MarkdownReport {
    private(set) var text = ""

    static let begin = "<!-- bench:begin -->"
    static let end = "<!-- bench:end -->"

    mutating func machine() {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpu.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?
            .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        let memory = ((try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? "").split(separator: "\n")
            .first { $0.hasPrefix("MemTotal") }.map { Int($0.filter(\.isNumber)) ?? 0 } ?? 0
        let cores = ProcessInfo.processInfo.activeProcessorCount
        text += "Measured \(BenchSize.rfc3339(Int64(Date().timeIntervalSince1970))) on \(cores) cores (\(model)), "
            + "\(memory / 1024) MiB memory; load average at start: \(loadAverageText()).\n\n"
    }

    mutating func loadAverage() {
        text += "Load average at the end: \(loadAverageText()) (other jobs shared the machine when it is above 0).\n"
    }

    private func loadAverageText() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }

    mutating func online(_ results: [OnlineResult]) {
        text += "### Online: release `ap-reconcile run` (child process) against the sandbox\n\n"
        text += "| size | invoice fetch | lines | invoices | latency | concurrency | requests made | fewest needed | made ÷ fewest | connections | wall s | plan floor s | wall ÷ floor | job CPU s | peak RSS MiB | lines/s | exit |\n"
        text += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for r in results {
            text += "| \(r.size.name) | \(r.fetch) | \(r.size.lines) | \(r.size.invoices + r.size.shape.historyInvoices) | \(r.latencyMs) ms | \(r.concurrency) | "
                + "\(r.requestsMade) | \(r.minimum.total) | \(f(r.requestRatio, 2)) | "
                + "\(r.connectionsAccepted) | \(f(r.wallSeconds, 2)) | \(f(r.floorSeconds, 2)) | \(f(r.ratio, 2)) | \(f(r.cpuSeconds, 1)) | "
                + "\(r.maxRSSKilobytes / 1024) | \(Int(r.linesPerSecond)) | \(r.exitCode) |\n"
        }
        text += "\n*fewest needed*: FewestRequests (docs/performance.md, \"The fewest requests\"), from the dataset alone; "
            + "*plan floor* = fewest needed × latency ÷ concurrency. *by-id*: the job run with `AP_RECONCILE_INVOICE_FETCH=by-id`.\n"
        let speedups: [String] = results.filter { $0.fetch == "by-id" }.compactMap { forced in
            guard let plain = results.first(where: { $0.size.name == forced.size.name && $0.fetch != "by-id" && $0.concurrency == forced.concurrency }),
                  plain.wallSeconds > 0 else { return nil }
            return "\(forced.size.name) \(f(forced.wallSeconds / plain.wallSeconds, 2))×"
        }
        if !speedups.isEmpty { text += "\nBy-id wall ÷ default wall: " + speedups.joined(separator: ", ") + ".\n" }
        text += "\nRequests by endpoint (made / fewest):\n\n"
        let routes = Set(results.flatMap { Array($0.requestsByRoute.keys) + Array($0.minimum.byEndpoint.keys) })
            .subtracting(["GET /sandbox/stats"]).sorted()
        text += "| size | invoice fetch | concurrency | " + routes.joined(separator: " | ") + " |\n"
        text += "|---|---|---:|" + routes.map { _ in "---:|" }.joined() + "\n"
        for r in results {
            text += "| \(r.size.name) | \(r.fetch) | \(r.concurrency) | "
                + routes.map { "\(r.requestsByRoute[$0] ?? 0) / \(r.minimum.byEndpoint[$0] ?? 0)" }.joined(separator: " | ") + " |\n"
        }
        text += "\nThe PAID listing (`GET /invoices`) split into created_at slices, against one cursor chain: "
        text += results.filter { $0.fetch == "default" }.map { r in
            let split = (r.minimum.byEndpoint["GET /invoices"] ?? 0) - r.minimum.olderListingPages
            return "\(r.size.name) c\(r.concurrency) \(split) vs \(r.minimum.paidListingAsOneChain) (+\(split - r.minimum.paidListingAsOneChain))"
        }.joined(separator: ", ") + ".\n\n"
        text += "The fewest plan's created_at cutoff for linked invoices outside the window's PAID listing: "
        text += results.filter { $0.fetch == "default" }.map { r in
            guard let cutoff = r.minimum.cutoff else { return "\(r.size.name) none (\(r.minimum.invoicesByID) by id)" }
            return "\(r.size.name) \(BenchSize.rfc3339(cutoff)) (\(r.minimum.olderListingPages) pages + \(r.minimum.invoicesByID) by id)"
        }.joined(separator: ", ") + ".\n\n"
        text += "Dataset generation in ap-bench: " + results.filter { $0.fetch == "default" }.map { r in
            "\(r.size.name) \(f(r.generationSeconds, 2)) s"
        }.joined(separator: ", ") + ".\n\n"
    }

    mutating func offline(_ results: [OfflineResult]) {
        text += "### Offline: reconcile, then render + publish into a temporary folder (child process per size)\n\n"
        text += "| renderer | lines | invoices | reconcile s | render + publish s | total s | peak after input MiB | peak after reconcile MiB | peak RSS MiB | report bytes MiB | diagnostics | KiB per line |\n"
        text += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for r in results {
            text += "| streamed to files | \(r.lines) | \(r.invoices) | \(f(r.reconcileSeconds, 2)) | \(f(r.renderSeconds, 2)) | \(f(r.seconds, 2)) | "
                + "\(r.inputPeakKilobytes / 1024) | \(r.reconcilePeakKilobytes / 1024) | \(r.maxRSSKilobytes / 1024) | \(r.reportBytes / 1_048_576) | \(r.diagnostics) | "
                + "\(f(Double(r.maxRSSKilobytes) / Double(max(1, r.lines)), 2)) |\n"
        }
        text += "\n"
    }

    mutating func load(_ results: [LoadResult]) {
        text += "### Sandbox throughput on loopback (no latency)\n\n"
        text += "| tool | path | seconds | requests | requests/s | connections accepted |\n|---|---|---:|---:|---:|---:|\n"
        for r in results {
            text += "| \(r.tool) | `\(r.path)` | \(f(r.seconds, 1)) | \(r.requests) | \(Int(r.requestsPerSecond)) | \(r.connectionsAccepted) |\n"
        }
        text += "\n"
    }

    /// Replaces the text between the markers of `path` (appends a block when it has none).
    func write(into path: String) throws {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let block = Self.begin + "\n" + text + Self.end
        let updated: String
        if let start = existing.range(of: Self.begin), let stop = existing.range(of: Self.end), start.lowerBound < stop.lowerBound {
            updated = existing.replacingCharacters(in: start.lowerBound..<stop.upperBound, with: block)
        } else {
            updated = existing + (existing.isEmpty ? "" : "\n") + block + "\n"
        }
        try updated.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func f(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

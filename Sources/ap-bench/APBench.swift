import ArgumentParser
import Foundation

@main
struct APBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ap-bench",
        abstract: "Benchmark of ap-reconcile: fetch against the sandbox with latency, offline reconcile + render, sandbox throughput.",
        discussion: """
        Build it and the job in release first (scripts/bench.sh does it all):
          swift build -c release --product ap-reconcile && swift build -c release --product ap-bench
        Online: the release `ap-reconcile run` binary (--binary) runs as a child process against the
        sandbox in this process, generated with `SandboxDataset.generate(seed: 1, …)` at each size
        (S: 100 payouts × 100 lines, M: 1,000 × 100; 90 % of payment lines pay an invoice, the rest a
        payment request) and data shape (month: 1,000 × 100 in 30 days, invoices created 20–60 days
        before the window; nightly: 100 × 100 and 300,000 older invoices no line pays; tail: 300 × 100,
        100,000 older invoices, 5 % of linked invoices 1–3 years old). Each row sets requests made
        against the fewest the data needs (computed from the dataset: FewestRequests). Offline: reconcile + render of an in-memory input, in a child process per
        size. Load: wrk against the sandbox when installed, else a built-in CurlTransport load.
        Prints Markdown tables; --write FILE also puts them into FILE between the
        `<!-- bench:begin -->` and `<!-- bench:end -->` markers. Exit 0 when every run completed,
        1 when a run failed (a child exit code other than 0/1, or a load error).
        """,
        subcommands: [Run.self, OfflineChild.self],
        defaultSubcommand: Run.self
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the benchmark (the default).")

    @Option(help: "Online sizes and shapes, comma-separated, from S, M, L, month, nightly, tail (default: S,M,month,nightly,tail; L is meant for the offline part).")
    var sizes = "S,M,month,nightly,tail"
    @Option(help: "Sizes also run with the job forced to fetch every linked invoice by id (AP_RECONCILE_INVOICE_FETCH=by-id, docs/fetching.md), comma-separated (default: month,nightly,tail; empty: none).")
    var byIdSizes = "month,nightly,tail"
    @Option(help: "Latency the sandbox adds to every request, in ms (default: 20).")
    var latencyMs = 20
    @Option(help: "--concurrency given to the job (default: 16).")
    var concurrency = 16
    @Option(help: "Extra concurrencies to run size --sweep-size at, comma-separated (default: none), to choose the job's default.")
    var sweep = ""
    @Option(help: "Size of the concurrency sweep (default: M).")
    var sweepSize = "M"
    @Option(help: "The job binary (default: .build/release/ap-reconcile).")
    var binary = ".build/release/ap-reconcile"
    @Option(help: "Offline line counts, comma-separated; invoices are half the lines (default: 250000,500000,1000000).")
    var offlineLines = "250000,500000,1000000"
    @Option(help: "Seconds of sandbox load (default: 10; 0 skips the load part).")
    var loadSeconds = 10
    @Option(help: "Connections of the load generator (default: 32).")
    var loadConnections = 32
    @Flag(help: "Use the built-in load generator even when wrk is installed.")
    var builtInLoad = false
    @Flag(help: "Skip the online part.")
    var skipOnline = false
    @Flag(help: "Skip the offline part.")
    var skipOffline = false
    @Option(help: "A Markdown file whose bench:begin/bench:end block receives the results (e.g. docs/performance.md).")
    var write: String?

    func run() async throws {
        var report = MarkdownReport()
        report.machine()
        var failed = false

        if !skipOnline {
            guard FileManager.default.isExecutableFile(atPath: binary) else {
                throw ValidationError("no job binary at \(binary): run `swift build -c release --product ap-reconcile` first")
            }
            var results: [OnlineResult] = []
            let byID = Set(byIdSizes.split(separator: ",").map { $0.lowercased() })
            for name in sizes.split(separator: ",") {
                guard let size = BenchSize.named(String(name)) else {
                    throw ValidationError("unknown size \(name): use S, M, L, month, nightly or tail")
                }
                let prepared = PreparedSize(size, concurrency: concurrency)
                log("online \(size.name): \(size.payouts) payouts × \(size.linesPerPayout) lines, \(prepared.dataset.invoices.count) invoices "
                    + "generated in \(String(format: "%.2f", prepared.generationSeconds)) s, fewest requests \(prepared.fewest.total) "
                    + "(computed in \(String(format: "%.2f", prepared.fewestSeconds)) s), \(latencyMs) ms, concurrency \(concurrency)")
                let result = try await OnlineBench.run(prepared, latencyMs: latencyMs, concurrency: concurrency, binary: binary)
                failed = failed || result.exitCode > 1
                results.append(result)
                if byID.contains(size.name.lowercased()) {
                    log("online \(size.name) with AP_RECONCILE_INVOICE_FETCH=by-id")
                    let forced = try await OnlineBench.run(prepared, latencyMs: latencyMs, concurrency: concurrency, binary: binary, invoiceFetch: "by-id")
                    failed = failed || forced.exitCode > 1
                    results.append(forced)
                }
            }
            for value in sweep.split(separator: ",").compactMap({ Int($0) }) {
                guard let size = BenchSize.named(sweepSize) else { throw ValidationError("unknown size \(sweepSize)") }
                log("sweep \(size.name): concurrency \(value)")
                let result = try await OnlineBench.run(PreparedSize(size, concurrency: value), latencyMs: latencyMs, concurrency: value, binary: binary)
                failed = failed || result.exitCode > 1
                results.append(result)
            }
            report.online(results)
        }
        if !skipOffline {
            var results: [OfflineResult] = []
            for value in offlineLines.split(separator: ",").compactMap({ Int($0) }) {
                log("offline: \(value) lines, \(value / 2) invoices")
                results.append(try OfflineBench.run(lines: value, invoices: value / 2))
            }
            report.offline(results)
        }
        if loadSeconds > 0 {
            log("load: \(loadSeconds) s, \(loadConnections) connections")
            let paths = ["/invoices/inv_00001", "/payouts/pout_00001/transactions"]
            var results: [LoadResult] = []
            for path in paths {
                results.append(try await LoadBench.run(connections: loadConnections, seconds: loadSeconds, path: path, preferWrk: !builtInLoad))
            }
            report.load(results)
        }
        report.loadAverage()
        print(report.text)
        if let write { try report.write(into: write) }
        if failed { throw ExitCode(1) }
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("ap-bench: \(message)\n".utf8))
    }
}

struct OfflineChild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "offline-child", abstract: "Internal: one offline measurement (run by `run`).",
                                                    shouldDisplay: false)
    @Option var lines: Int
    @Option var invoices: Int
    /// Keeps the input alive until the result exists, as a caller that does not pass its last use
    /// to `reconcile` would: shows what the engine's dropping of the input saves.
    @Flag var keepInput = false

    func run() {
        OfflineBench.child(lines: lines, invoices: invoices, keepInput: keepInput)
    }
}

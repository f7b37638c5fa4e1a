// swift-tools-version:6.2
import PackageDescription

// Module boundaries (see docs/architecture.md):
//   CCurl        system library: libcurl through a module map (only APTransport imports it)
//   APTransport  HTTP over libcurl: a multi handle driven by its own thread
//   APModels     records of the API and Money: pure values, no I/O
//   APClient     typed client of the Alternative Payments API (OAuth, retries, paging, models)
//   Reconciliation  the pure engine: fetched records in, result and diagnostics out
//   ReconcileJob the run: fetch stage, render, publish, exit codes
//   Reports      the pure renderers: a result in, the bytes of each report file out
//   APSandbox    a stand-in server of the API on Hummingbird (library; `ap-sandbox` is its CLI)
//   ap-reconcile the batch job's command line
//   JobConfig    the job file format (Foundation only, so its fuzz target needs no NIO or crypto)
//   fuzz-*       libFuzzer targets (Fuzz/, docs/fuzzing.md); a normal build makes them corpus replayers
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ap-reconcile",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ap-reconcile", targets: ["ap-reconcile"]),
        .executable(name: "ap-sandbox", targets: ["ap-sandbox"]),
        .library(name: "APClient", targets: ["APClient"]),
        .library(name: "APSandbox", targets: ["APSandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        // Already resolved through hummingbird; named so APSandbox can add NIO channel handlers
        // (drop/truncate faults) and stop its ServiceGroup gracefully.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // Already resolved through hummingbird; the transport tests and the sandbox's https mode use it.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        // Tests only: parses the Kubernetes examples in jobs/.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // report.html is rendered through Mustache templates (escaping by the library, not by hand).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "APTransport",
            dependencies: ["CCurl"],
            swiftSettings: strict
        ),
        .target(
            name: "APModels",
            swiftSettings: strict
        ),
        // Bank statements (camt.053/054, BAI2, MT940, CSV) read into entries: Foundation and
        // APModels only, with its own XML tokenizer (docs/bank.md).
        .target(
            name: "BankStatements",
            dependencies: ["APModels"],
            swiftSettings: strict
        ),
        .target(
            name: "Reconciliation",
            dependencies: ["APModels", "BankStatements"],
            swiftSettings: strict
        ),
        .target(
            name: "Reports",
            dependencies: [
                "Reconciliation",
                "APModels",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),
        // Test support, not shipped: reads JSON independently of the Reports writer and checks
        // report.json against schemas/report.schema.json (ReportsTests and IntegrationTests).
        .target(
            name: "ReportSchemaCheck",
            swiftSettings: strict
        ),
        // Test support, not shipped: self-signed TLS identities that protect nothing, for the
        // local https servers of APTransportTests and IntegrationTests (one copy for both).
        .target(
            name: "TestCertificates",
            swiftSettings: strict
        ),
        // Test support, not shipped: an RFC 4180 reader for ReportsTests and IntegrationTests.
        .target(
            name: "CSVReading",
            swiftSettings: strict
        ),
        .target(
            name: "APClient",
            dependencies: [
                "APModels",
                "APTransport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "JobConfig",
            swiftSettings: strict
        ),
        .target(
            name: "ReconcileJob",
            dependencies: [
                "APClient",
                "JobConfig",
                "APTransport",
                "Reconciliation",
                "Reports",
                .product(name: "Logging", package: "swift-log"),
                // HMAC-SHA256 of the webhook notification.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ReconcileDemo",
            dependencies: [
                "ReconcileJob",
                "APSandbox",
                "APClient",
                "APTransport",
                "Reconciliation",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "APSandbox",
            dependencies: [
                // Bank statements for the datasets' payouts (BankStatementGenerator).
                "APModels", "BankStatements",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Verifies webhook signatures at POST /sandbox/webhooks.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ap-sandbox",
            dependencies: [
                "APSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ap-reconcile",
            dependencies: [
                "APClient",
                "APTransport",
                "APSandbox",
                "Reconciliation",
                "ReconcileJob",
                "ReconcileDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Fuzzing (docs/fuzzing.md). scripts/fuzz.sh builds these with -sanitize=fuzzer,address
        // and -DFUZZING in .build/fuzz; the normal build compiles them as corpus replayers.
        // Keep their dependencies small: each is rebuilt instrumented from scratch in CI.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/Sources/CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CLibFuzzer"],
            path: "Fuzz/Sources/FuzzSupport",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fuzz-page-decoder",
            dependencies: ["FuzzSupport", "APClient", "APModels"],
            path: "Fuzz/Sources/fuzz-page-decoder",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fuzz-money",
            dependencies: ["FuzzSupport", "APModels"],
            path: "Fuzz/Sources/fuzz-money",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fuzz-retry-after",
            dependencies: ["FuzzSupport", "APTransport"],
            path: "Fuzz/Sources/fuzz-retry-after",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fuzz-job-file",
            dependencies: ["FuzzSupport", "JobConfig"],
            path: "Fuzz/Sources/fuzz-job-file",
            swiftSettings: strict
        ),
        // The bank statement readers: BankStatements and APModels only (no NIO, no FoundationXML).
        .executableTarget(
            name: "fuzz-camt",
            dependencies: ["FuzzSupport", "BankStatements", "APModels"],
            path: "Fuzz/Sources/fuzz-camt",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fuzz-bai2",
            dependencies: ["FuzzSupport", "BankStatements", "APModels"],
            path: "Fuzz/Sources/fuzz-bai2",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fuzz-mt940",
            dependencies: ["FuzzSupport", "BankStatements", "APModels"],
            path: "Fuzz/Sources/fuzz-mt940",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "fuzz-csv",
            dependencies: ["FuzzSupport", "BankStatements", "APModels"],
            path: "Fuzz/Sources/fuzz-csv",
            swiftSettings: strict
        ),
        // The benchmark (docs/performance.md, scripts/bench.sh): not shipped, not run by the tests.
        .executableTarget(
            name: "ap-bench",
            dependencies: [
                "APSandbox", "APTransport", "APModels", "Reconciliation", "Reports", "ReconcileJob",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "APTransportTests",
            dependencies: [
                "APTransport",
                "TestCertificates",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "APModelsTests",
            dependencies: ["APModels"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BankStatementsTests",
            dependencies: ["BankStatements", "APModels"],
            swiftSettings: strict
        ),
        // The sandbox's statements read back and matched: generator, readers and matcher together.
        .testTarget(
            name: "BankSandboxTests",
            dependencies: ["APSandbox", "BankStatements", "Reconciliation", "APModels"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReconciliationTests",
            dependencies: ["Reconciliation", "APModels", "BankStatements"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Reconciliation", "APModels", "ReportSchemaCheck", "CSVReading", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "APClientTests",
            dependencies: ["APClient", "APTransport", "APSandbox"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReconcileJobTests",
            dependencies: ["ReconcileJob", "Reconciliation", "APModels", "APClient", "APTransport",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "APClient", "APTransport", "APSandbox", "ReconcileJob", "ReconcileDemo", "Reconciliation", "Reports",
                "ReportSchemaCheck",
                "TestCertificates", "CSVReading",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "APSandboxTests",
            dependencies: ["APSandbox", "APTransport"],
            swiftSettings: strict
        ),
    ]
)

// swift-tools-version:6.2
import PackageDescription

// Module boundaries: docs/architecture.md (the graph and what each module may touch);
// scripts/check-layering.sh fails the tests when an import breaks them.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "ap-reconcile",
    products: [
        .executable(name: "ap-reconcile", targets: ["ap-reconcile"]),
        .executable(name: "ap-sandbox", targets: ["ap-sandbox"]),
        .executable(name: "ap-reconcile-demo", targets: ["ap-reconcile-demo"]),
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
        // prctl(2) through a typed wrapper (Swift cannot call a variadic C function); for CoreDumps.
        .systemLibrary(name: "CProcessControl", path: "Sources/CProcessControl"),
        .target(
            name: "APTransport",
            // APModels for the one civil-calendar implementation (Retry-After dates).
            dependencies: ["APModels", "CCurl", "CProcessControl"],
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
                "BankStatements",
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
        // Test support, not shipped: runs the independent checkers (Python's jsonschema,
        // prometheus_client, stripe) on what the job produced.
        .target(
            name: "ExternalTools",
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
        // The job, one module per concern (docs/architecture.md has the graph):
        // The acknowledgements file (docs/acknowledgements.md): parse, encode, ack/unack edits.
        .target(
            name: "AcknowledgementFiles",
            dependencies: ["APModels", "Reconciliation"],
            swiftSettings: strict
        ),
        .target(
            name: "JobSettings",
            dependencies: ["AcknowledgementFiles", "APClient", "APModels", "APTransport", "BankStatements", "JobConfig", "Reconciliation"],
            swiftSettings: strict,
            // ToolVersion.current, generated from the file VERSION (docs/versioning.md).
            plugins: ["VersionStamp"]
        ),
        // Generates the version constants from VERSION (and the git commit for --version).
        .plugin(name: "VersionStamp", capability: .buildTool()),
        .target(
            name: "Publishing",
            dependencies: [
                "APModels", "Reconciliation", "Reports",
                // SHA-256 of each file as it is written, for manifest.json.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RunState",
            dependencies: ["APModels", "JobSettings", "Publishing", "Reconciliation"],
            swiftSettings: strict
        ),
        .target(
            name: "Snapshots",
            dependencies: ["APModels", "APTransport", "BankStatements", "JobSettings", "Publishing", "Reconciliation", "Reports", "RunState"],
            swiftSettings: strict
        ),
        .target(
            name: "RunPipeline",
            dependencies: [
                "AcknowledgementFiles", "APClient", "APModels", "APTransport", "BankStatements", "JobSettings", "Publishing", "Reconciliation",
                "Reports", "RunState", "Snapshots",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Operations",
            dependencies: [
                "APClient", "APModels", "APTransport", "JobSettings", "Publishing", "Reconciliation", "Reports", "RunPipeline",
                .product(name: "Logging", package: "swift-log"),
                // HMAC-SHA256 of the webhook notification.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // `ap-reconcile check`: a run's settings, credentials, permissions, folders, webhook and clock, checked without running it.
        .target(
            name: "Preflight",
            dependencies: [
                "APClient", "APModels", "APTransport", "JobSettings", "Operations", "Publishing", "RunPipeline", "RunState",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The demo: the sandbox in-process and the real pipeline against it. Not in the shipped binary.
        .target(
            name: "ReconcileDemo",
            dependencies: [
                "APClient", "APModels", "APSandbox", "APTransport", "JobSettings", "Operations", "Reconciliation",
                "RunPipeline",
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The shipped job: no sandbox, no server (scripts/check-layering.sh keeps it so).
        .executableTarget(
            name: "ap-reconcile",
            dependencies: [
                "AcknowledgementFiles", "APClient", "APModels", "APTransport", "JobSettings", "Operations", "Preflight", "Publishing",
                "Reconciliation", "RunPipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            // `buildCommit`, for --version.
            plugins: ["VersionStamp"]
        ),
        // `scripts/demo.sh`: the job against the sandbox serving samples/api, in one process.
        .executableTarget(
            name: "ap-reconcile-demo",
            dependencies: [
                "APSandbox", "JobSettings", "Operations", "ReconcileDemo", "Reconciliation", "RunPipeline",
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
                "APSandbox", "APTransport", "APModels", "Reconciliation", "Reports", "JobSettings", "Publishing", "RunPipeline",
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
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AcknowledgementFilesTests",
            dependencies: ["AcknowledgementFiles", "APModels", "Reconciliation"],
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
            dependencies: ["Reports", "Reconciliation", "APModels", "ReportSchemaCheck", "CSVReading", "ExternalTools", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "APClientTests",
            dependencies: ["APClient", "APModels", "APTransport", "APSandbox"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "JobSettingsTests",
            dependencies: ["JobSettings", "APClient", "APModels", "BankStatements", "Reconciliation"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PublishingTests",
            dependencies: ["Publishing", "APModels", "Reconciliation", "Reports"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RunStateTests",
            dependencies: ["RunState", "JobSettings", "APModels", "Reconciliation"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SnapshotsTests",
            dependencies: ["Snapshots", "RunPipeline", "Publishing", "JobSettings", "APModels", "APTransport", "Reconciliation", "Reports"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RunPipelineTests",
            dependencies: ["RunPipeline", "JobSettings", "APModels", "Reconciliation"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OperationsTests",
            dependencies: ["Operations", "RunPipeline", "JobSettings", "Publishing", "ExternalTools", "APClient", "APModels", "APTransport", "Reconciliation",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "APClient", "APModels", "APTransport", "APSandbox", "JobSettings", "Operations", "Publishing", "ReconcileDemo",
                "Reconciliation", "Reports", "RunPipeline", "RunState", "Snapshots",
                "ReportSchemaCheck",
                "TestCertificates", "CSVReading",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PreflightTests",
            dependencies: ["Preflight", "JobSettings", "Operations", "RunPipeline"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "APSandboxTests",
            dependencies: ["APSandbox", "APTransport"],
            swiftSettings: strict
        ),
    ]
)

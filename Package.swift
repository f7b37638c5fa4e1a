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
        .target(
            name: "Reconciliation",
            dependencies: ["APModels"],
            swiftSettings: strict
        ),
        .target(
            name: "Reports",
            dependencies: [
                "Reconciliation",
                "APModels",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Test support, not shipped: reads JSON independently of the Reports writer and checks
        // report.json against schemas/report.schema.json (ReportsTests and IntegrationTests).
        .target(
            name: "ReportSchemaCheck",
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
            name: "ReconcileJob",
            dependencies: [
                "APClient",
                "APTransport",
                "Reconciliation",
                "Reports",
                .product(name: "Logging", package: "swift-log"),
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
        .testTarget(
            name: "APTransportTests",
            dependencies: [
                "APTransport",
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
            name: "ReconciliationTests",
            dependencies: ["Reconciliation", "APModels"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Reconciliation", "APModels", "ReportSchemaCheck", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "APClientTests",
            dependencies: ["APClient", "APTransport", "APSandbox"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReconcileJobTests",
            dependencies: ["ReconcileJob", "Reconciliation", "APModels"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "APClient", "APTransport", "APSandbox", "ReconcileJob", "ReconcileDemo", "Reconciliation", "Reports",
                "ReportSchemaCheck",
                .product(name: "Logging", package: "swift-log"),
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

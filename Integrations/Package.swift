// swift-tools-version: 6.1
import PackageDescription

/// The root package's strictness, plus Swift 6 language mode (strict concurrency) from the tools version.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let herald = Target.Dependency.product(name: "Herald", package: "Herald")
let heraldTesting = Target.Dependency.product(name: "HeraldTesting", package: "Herald")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "CoreMetrics", package: "swift-metrics")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let vapor = Target.Dependency.product(name: "Vapor", package: "vapor")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")

/// Herald's adapters for the Swift server ecosystem: one small library per framework, so a host pulls in only
/// the frameworks it already uses.
let package = Package(
    name: "HeraldIntegrations",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HeraldLogging", targets: ["HeraldLogging"]),
        .library(name: "HeraldMetrics", targets: ["HeraldMetrics"]),
        .library(name: "HeraldServiceLifecycle", targets: ["HeraldServiceLifecycle"]),
        .library(name: "HeraldHummingbird", targets: ["HeraldHummingbird"]),
        .library(name: "HeraldVapor", targets: ["HeraldVapor"]),
    ],
    dependencies: [
        .package(name: "Herald", path: ".."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        // Already in the graph through Hummingbird and Vapor; named because the adapters import them directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(name: "HeraldLogging", dependencies: [herald, logging], swiftSettings: strictSettings),
        .target(name: "HeraldMetrics", dependencies: [herald, metrics], swiftSettings: strictSettings),
        .target(
            name: "HeraldServiceLifecycle",
            dependencies: [herald, serviceLifecycle],
            swiftSettings: strictSettings
        ),
        .target(name: "HeraldHosting", dependencies: [herald], swiftSettings: strictSettings),
        .target(
            name: "HeraldHummingbird",
            dependencies: [herald, "HeraldHosting", "HeraldLogging", logging, hummingbird, httpTypes, nioCore],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HeraldVapor",
            dependencies: [herald, "HeraldHosting", "HeraldLogging", vapor, nioCore],
            swiftSettings: strictSettings
        ),
        .target(
            name: "HeraldHostChecks",
            dependencies: [herald],
            path: "Tests/HostChecks",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldLoggingTests",
            dependencies: [
                "HeraldLogging", heraldTesting, logging,
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldMetricsTests",
            dependencies: [
                "HeraldMetrics", heraldTesting, metrics,
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "SIGTERMProbe",
            dependencies: [
                "HeraldServiceLifecycle", herald, logging, serviceLifecycle,
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            path: "Tests/SIGTERMProbe",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldServiceLifecycleTests",
            dependencies: [
                "SIGTERMProbe",
                "HeraldServiceLifecycle", heraldTesting, logging, serviceLifecycle,
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldHummingbirdTests",
            dependencies: [
                "HeraldHummingbird", "HeraldHostChecks", heraldTesting, hummingbird, httpTypes,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldVaporTests",
            dependencies: [
                "HeraldVapor", "HeraldHostChecks", heraldTesting, vapor, nioCore,
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)

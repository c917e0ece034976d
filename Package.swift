// swift-tools-version: 6.1
import PackageDescription

/// Every target opts into the same strictness: explicit `any`, imports that are visible per file,
/// and internal imports unless a file says `public import`, so each cross-layer dependency shows in review.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Herald",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Herald", targets: ["Herald"]),
        .library(name: "HeraldTesting", targets: ["HeraldTesting"]),
        .library(name: "HeraldDomain", targets: ["HeraldDomain"]),
        .library(name: "HeraldApplication", targets: ["HeraldApplication"]),
        .library(name: "HeraldInMemory", targets: ["HeraldInMemory"]),
        .library(name: "HeraldChannels", targets: ["HeraldChannels"]),
        .library(name: "HeraldHTTP", targets: ["HeraldHTTP"]),
        .executable(name: "herald", targets: ["HeraldCLI"]),
    ],
    targets: [
        .target(name: "HeraldDomain", path: "Sources/Domain", swiftSettings: strictSettings),
        .target(
            name: "HeraldApplication",
            dependencies: ["HeraldDomain"],
            path: "Sources/Application",
            swiftSettings: strictSettings
        ),
        .target(
            name: "HeraldInMemory",
            dependencies: ["HeraldApplication"],
            path: "Sources/Infrastructure/InMemory",
            swiftSettings: strictSettings
        ),
        .target(name: "HeraldSystemC", path: "Sources/Infrastructure/SystemC"),
        .target(
            name: "HeraldSockets", dependencies: ["HeraldSystemC"], path: "Sources/Infrastructure/Sockets",
            swiftSettings: strictSettings
        ),
        .target(name: "HeraldCrypto", path: "Sources/Infrastructure/Crypto", swiftSettings: strictSettings),
        .target(
            name: "HeraldRedis",
            dependencies: ["HeraldApplication", "HeraldSockets"],
            path: "Sources/Infrastructure/Redis",
            swiftSettings: strictSettings
        ),
        .target(
            name: "HeraldChannels",
            dependencies: ["HeraldApplication", "HeraldSockets", "HeraldCrypto"],
            path: "Sources/Infrastructure/Channels",
            swiftSettings: strictSettings
        ),
        .target(
            name: "HeraldTesting",
            dependencies: ["HeraldApplication", "HeraldInMemory"],
            path: "Sources/Infrastructure/Testing",
            swiftSettings: strictSettings
        ),
        .target(
            name: "HeraldHTTP",
            dependencies: ["HeraldApplication", "HeraldSockets", "HeraldCrypto"],
            path: "Sources/Interface/HTTP",
            swiftSettings: strictSettings
        ),
        .target(
            name: "Herald",
            dependencies: [
                "HeraldDomain", "HeraldApplication", "HeraldInMemory", "HeraldRedis", "HeraldChannels", "HeraldHTTP",
                "HeraldSockets",
            ],
            path: "Sources/Interface/Herald",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "HeraldCLI",
            dependencies: ["Herald", "HeraldHTTP", "HeraldSockets"],
            path: "Sources/Interface/CLI",
            swiftSettings: strictSettings
        ),
        .target(
            name: "HeraldTestSupport", dependencies: ["HeraldSockets"], path: "Tests/Support", exclude: ["Servers", "Browser"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldHTTPTests",
            dependencies: ["HeraldHTTP", "Herald", "HeraldTesting", "HeraldTestSupport"],
            path: "Tests/HTTPTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldChannelsTests",
            dependencies: ["HeraldChannels", "HeraldCrypto", "HeraldTestSupport", "HeraldApplication", "HeraldTesting"],
            path: "Tests/ChannelsTests",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "HeraldTestWorker",
            dependencies: ["Herald"],
            path: "Tests/WorkerProcess",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "HeraldThreadProbe",
            dependencies: ["HeraldRedis", "HeraldChannels", "HeraldSockets"],
            path: "Tests/ThreadProbe",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldSocketsTests",
            dependencies: ["HeraldSockets"],
            path: "Tests/SocketsTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldRedisTests",
            dependencies: ["HeraldRedis"],
            path: "Tests/RedisTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldRedisIntegrationTests",
            dependencies: ["HeraldRedis", "HeraldTestSupport", "HeraldTesting"],
            path: "Tests/RedisIntegrationTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldCryptoTests",
            dependencies: ["HeraldCrypto", "HeraldTestSupport"],
            path: "Tests/CryptoTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldDomainTests",
            dependencies: ["HeraldDomain"],
            path: "Tests/DomainTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldApplicationTests",
            dependencies: ["HeraldApplication", "HeraldTesting"],
            path: "Tests/ApplicationTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldQueueContractTests",
            dependencies: ["HeraldInMemory", "HeraldRedis", "HeraldTesting", "HeraldTestSupport"],
            path: "Tests/QueueContractTests",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HeraldTests",
            dependencies: ["Herald", "HeraldTesting", "HeraldRedis", "HeraldSockets", "HeraldTestSupport"],
            path: "Tests/HeraldTests",
            swiftSettings: strictSettings
        ),
    ]
)

// swift-tools-version: 6.1
import PackageDescription

/// Two runnable hosts of Herald, in one package so CI builds the frameworks once for both:
/// `swift run HummingbirdApp` (port 8080) and `swift run VaporApp` (port 8081).
let package = Package(
    name: "HeraldExamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "HeraldIntegrations", path: "../Integrations"),
        .package(name: "Herald", path: ".."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdApp",
            dependencies: [
                .product(name: "Herald", package: "Herald"),
                .product(name: "HeraldHummingbird", package: "HeraldIntegrations"),
                .product(name: "HeraldLogging", package: "HeraldIntegrations"),
                .product(name: "HeraldServiceLifecycle", package: "HeraldIntegrations"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "HummingbirdApp"
        ),
        .executableTarget(
            name: "VaporApp",
            dependencies: [
                .product(name: "Herald", package: "Herald"),
                .product(name: "HeraldVapor", package: "HeraldIntegrations"),
                .product(name: "HeraldLogging", package: "HeraldIntegrations"),
                .product(name: "Vapor", package: "vapor"),
            ],
            path: "VaporApp"
        ),
    ]
)

// swift-tools-version: 6.1
// Benchmarks live in their own package so the root package keeps zero dependencies.
import PackageDescription

let package = Package(
    name: "HeraldBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Herald", path: "..")],
    targets: [
        .executableTarget(
            name: "HeraldBenchmarks",
            dependencies: [.product(name: "Herald", package: "Herald")],
            path: "Sources/HeraldBenchmarks"
        )
    ]
)

// swift-tools-version: 6.1
import PackageDescription

// Nested package so the root never depends on the benchmark tooling (see BUILD-NOTES B1/B2).
let package = Package(
    name: "escrow-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "escrow", path: ".."),
        // Only MallocInterposer: the default RuntimeInterposer trait needs a repository the mirror lacks.
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ShamirBenchmarks",
            dependencies: [
                .product(name: "Shamir", package: "escrow"),
                .product(name: "Sodium", package: "escrow"),
                .product(name: "Escrow", package: "escrow"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "ShamirBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Bulk re-split of 1,000 and 10,000 vaults against the naive per-vault protocol.
        .executableTarget(
            name: "EscrowBenchmarks",
            dependencies: [
                .product(name: "Shamir", package: "escrow"),
                .product(name: "Sodium", package: "escrow"),
                .product(name: "Escrow", package: "escrow"),
                .product(name: "Platform", package: "escrow"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "EscrowBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)

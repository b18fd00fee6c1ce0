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
        // A store v2 at scale, built through the public API (shared by the benchmarks and the plain profile).
        .target(
            name: "StoreScenario",
            dependencies: [
                .product(name: "Shamir", package: "escrow"),
                .product(name: "Sodium", package: "escrow"),
                .product(name: "Escrow", package: "escrow"),
            ],
            path: "StoreScenario"
        ),
        // Plain release executable printing every store v2 figure: `swift run -c release StoreProfile 10000 3 3`.
        .executableTarget(
            name: "StoreProfile",
            dependencies: [
                "StoreScenario",
                .product(name: "Sodium", package: "escrow"),
                .product(name: "Escrow", package: "escrow"),
            ],
            path: "StoreProfile"
        ),
        // Store v2: open, single-vault commands, deposits, a bulk re-split of 10,000 vaults.
        .executableTarget(
            name: "EscrowBenchmarks",
            dependencies: [
                "StoreScenario",
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

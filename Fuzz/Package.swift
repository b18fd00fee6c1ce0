// swift-tools-version: 6.1
import PackageDescription

// Nested package (never built by the root package or CI): the libFuzzer executables. The targets themselves are the
// root package's EscrowFuzzTargets and ShamirFuzzTargets (Fuzz/Sources/*Targets), which CI's smoke test also runs.
// Build and run with ./run.sh SECONDS (see README.md). BUILD-NOTES gotcha F1: SwiftPM links Linux executables with
// `--defsym main=<Module>_main`, which `-parse-as-library` never emits; the C target FuzzEntry defines it and hands
// control to libFuzzer's driver.
let package = Package(
    name: "escrow-fuzz",
    dependencies: [.package(name: "escrow", path: "..")],
    targets: [
        .target(name: "FuzzEntry"),
        .executableTarget(
            name: "ShamirFuzz",
            dependencies: ["FuzzEntry", .product(name: "ShamirFuzzTargets", package: "escrow")]
        ),
        .target(name: "EscrowFuzzEntry"),
        .executableTarget(
            name: "EscrowFuzz",
            dependencies: ["EscrowFuzzEntry", .product(name: "EscrowFuzzTargets", package: "escrow")]
        ),
    ]
)

// swift-tools-version: 6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode is the default for tools 6.x;
/// `MemberImportVisibility` makes each file import what it uses.
let commonSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility")
]

let package = Package(
    name: "escrow",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Shamir", targets: ["Shamir"]),
        .library(name: "Sodium", targets: ["Sodium"]),
        .library(name: "SLIP39", targets: ["SLIP39"]),
        .library(name: "CanonicalJSON", targets: ["CanonicalJSON"]),
        .library(name: "Platform", targets: ["Platform"]),
        .library(name: "Escrow", targets: ["Escrow"]),
        .executable(name: "escrow", targets: ["EscrowCLI"]),
        // Not API: the fuzz targets, for the nested Fuzz/ package's libFuzzer executables (the CI smoke runs them
        // from Tests/FuzzSmokeTests).
        .library(name: "EscrowFuzzTargets", targets: ["EscrowFuzzTargets"]),
        .library(name: "ShamirFuzzTargets", targets: ["ShamirFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        // Only for HMAC-SHA-1 (TOTP's default algorithm): libsodium has no SHA-1. Used by the Escrow target alone.
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
    ],
    targets: [
        // Pure Swift, no dependencies: GF(256), split/combine, bulk kernels, share encodings.
        .target(name: "Shamir", swiftSettings: commonSettings),
        // libsodium as a system library (Debian: libsodium-dev; macOS: brew install libsodium).
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        // The only module that imports CSodium.
        .target(name: "Sodium", dependencies: ["CSodium"], swiftSettings: commonSettings),
        .target(name: "SLIP39", dependencies: ["Shamir", "Sodium"], swiftSettings: commonSettings),
        // Pure Swift, no dependencies: strict parser, canonical writer, Codable bridge that refuses unknown keys.
        .target(name: "CanonicalJSON", swiftSettings: commonSettings),
        // POSIX plumbing the domain and the CLI share: fd read/write loops, atomic files, file-system helpers,
        // process hygiene. Sodium only for SecureBytes (secrets read straight into guarded memory).
        .target(name: "Platform", dependencies: ["Sodium"], swiftSettings: commonSettings),
        .target(
            name: "Escrow",
            dependencies: [
                "CanonicalJSON", "Platform", "Shamir", "SLIP39", "Sodium",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Word lists of the passphrase strength estimator (scripts/passphrase-lists.py builds them).
            resources: [.copy("Resources/PassphraseLists")],
            swiftSettings: commonSettings
        ),
        .executableTarget(
            name: "EscrowCLI",
            dependencies: [
                "Escrow", "Platform", "Shamir", "SLIP39", "Sodium",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The --json schemas, for readers (not a resource).
            exclude: ["JSON.md"],
            swiftSettings: commonSettings
        ),
        // The fuzz targets (properties checked on any input), shared by the libFuzzer executables of Fuzz/ and the
        // CI smoke; their seeds and regression inputs live in Fuzz/seeds.
        .target(
            name: "ShamirFuzzTargets",
            dependencies: ["Shamir"],
            path: "Fuzz/Sources/ShamirFuzzTargets",
            swiftSettings: commonSettings
        ),
        .target(
            name: "EscrowFuzzTargets",
            dependencies: ["CanonicalJSON", "Escrow", "SLIP39", "Shamir", "Sodium"],
            path: "Fuzz/Sources/EscrowFuzzTargets",
            swiftSettings: commonSettings
        ),
        .testTarget(
            name: "ShamirTests",
            // Sodium is test-only here (SHA-256 of the product table, StreamRandom); the library stays import-free.
            dependencies: ["Shamir", "Sodium"],
            resources: [.copy("Vectors")],
            swiftSettings: commonSettings
        ),
        .testTarget(
            name: "SodiumTests",
            dependencies: ["Sodium"],
            resources: [.copy("Vectors")],
            swiftSettings: commonSettings
        ),
        .testTarget(
            name: "SLIP39Tests",
            dependencies: ["SLIP39", "Shamir", "Sodium"],
            resources: [.copy("Vectors")],
            swiftSettings: commonSettings
        ),
        .testTarget(name: "CanonicalJSONTests", dependencies: ["CanonicalJSON"], swiftSettings: commonSettings),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "Sodium"], swiftSettings: commonSettings),
        .testTarget(
            name: "EscrowTests",
            dependencies: ["Escrow", "Platform", "Shamir", "Sodium"],
            swiftSettings: commonSettings
        ),
        .testTarget(
            name: "EscrowCLITests",
            // Escrow and Sodium let the unlock tests forge what a malicious custodian could send (a validly signed
            // approval with a wrong share, a request dated in the past) and feed it to the real binary.
            dependencies: ["EscrowCLI", "Escrow", "Platform", "Sodium"],
            // The --help snapshots are read and rewritten through #filePath (ESCROW_UPDATE_SNAPSHOTS=1).
            exclude: ["Snapshots"],
            swiftSettings: commonSettings
        ),
        .testTarget(
            name: "FuzzSmokeTests",
            dependencies: ["EscrowFuzzTargets", "ShamirFuzzTargets"],
            swiftSettings: commonSettings
        ),
    ]
)

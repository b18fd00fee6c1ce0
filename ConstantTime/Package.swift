// swift-tools-version: 6.1
import PackageDescription

// Nested package (never built by the root package's `swift build` or `swift test`): the ctgrind-style constant-time
// check. valgrind's client-request headers are needed only here, and even here they are optional (without them the
// marks compile to no-ops). Run it with ../scripts/constant-time.sh (see README.md).
let package = Package(
    name: "escrow-constant-time",
    dependencies: [.package(name: "escrow", path: "..")],
    targets: [
        // ct_secret / ct_public: VALGRIND_MAKE_MEM_UNDEFINED / VALGRIND_MAKE_MEM_DEFINED.
        .target(name: "CTGrind"),
        .executableTarget(
            name: "ConstantTimeHarness",
            dependencies: [
                "CTGrind",
                .product(name: "Shamir", package: "escrow"),
                .product(name: "SLIP39", package: "escrow"),
                .product(name: "Sodium", package: "escrow"),
            ],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
    ]
)

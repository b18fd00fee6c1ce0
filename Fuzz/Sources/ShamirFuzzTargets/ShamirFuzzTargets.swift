import Shamir

/// The fuzz targets of the Shamir share parsers and kernels, as a library: the libFuzzer executable (`Fuzz/`,
/// `ShamirFuzz`) feeds them, and the CI smoke (`Tests/FuzzSmokeTests`) replays the checked-in seeds and regressions
/// and a fixed number of mutations of them. Every target checks properties (round trips, agreement with a scalar
/// reference, well-formed error messages) with `precondition`.
///
/// Not API: a product only so that the nested `Fuzz/` package can link it.
public enum ShamirFuzzTargets {
    /// The target names, in selector order (the first input byte modulo 6).
    public static let names = [
        "native-line", "vault-line", "share-file-header", "round-trip", "interpolation", "checksum",
    ]

    /// Runs one input as libFuzzer hands it over: the first byte picks the target, the rest is its input.
    ///
    /// - Parameter bytes: The input.
    public static func run(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        var input = FuzzInput(bytes)
        switch input.byte() % 6 {
        case 0: NativeLineTarget.run(&input)
        case 1: VaultLineTarget.run(&input)
        case 2: ShareFileHeaderTarget.run(&input)
        case 3: RoundTripTarget.run(&input)
        case 4: InterpolationTarget.run(&input)
        default: ChecksumTarget.run(&input)
        }
    }
}

/// Consumes a fuzzer input front to back; reads past the end give zeros.
struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func word() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, _ in value << 8 | UInt64(byte()) }
    }

    mutating func take(_ count: Int) -> [UInt8] {
        let n = max(0, min(count, remaining))
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    mutating func rest() -> [UInt8] { take(remaining) }
}

/// Error messages are shown to custodians: one line, not empty, no control characters (no terminal escapes smuggled
/// in from a share).
func checkMessage(_ error: ShamirError) {
    let message = error.message
    precondition(!message.isEmpty, "empty error message")
    precondition(
        !message.unicodeScalars.contains { $0.properties.generalCategory == .control },
        "control character in error message: \(message.debugDescription)"
    )
}

/// A deterministic generator for the splits (SplitMix64).
struct SeededSource: RandomSource {
    var state: UInt64

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for i in 0..<buffer.count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            buffer[i] = UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }
}

/// Textbook GF(2^8)/0x11B arithmetic with branches: the independent reference (fuzzing only).
enum Reference {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a
        var b = b
        var p: UInt8 = 0
        while b != 0 {
            if b & 1 == 1 { p ^= a }
            let carry = a & 0x80 != 0
            a <<= 1
            if carry { a ^= 0x1B }
            b >>= 1
        }
        return p
    }

    static func inverse(_ a: UInt8) -> UInt8 {
        for b in 1...255 where multiply(a, UInt8(b)) == 1 { return UInt8(b) }
        return 0
    }

    /// The value at `x` of the polynomial through `(xs[i], rows[i][p])`, byte by byte (Lagrange).
    static func interpolate(at x: UInt8, xs: [UInt8], rows: [[UInt8]]) -> [UInt8] {
        let weights = xs.indices.map { i in
            var numerator: UInt8 = 1
            var denominator: UInt8 = 1
            for j in xs.indices where j != i {
                numerator = multiply(numerator, x ^ xs[j])
                denominator = multiply(denominator, xs[i] ^ xs[j])
            }
            return multiply(numerator, inverse(denominator))
        }
        let length = rows.first?.count ?? 0
        return (0..<length).map { p in
            rows.indices.reduce(UInt8(0)) { $0 ^ multiply(rows[$1][p], weights[$1]) }
        }
    }
}

import CanonicalJSON
import Escrow
import SLIP39
import Shamir
import Sodium

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fuzz targets of every parser of untrusted input and of the fold, as a library: the libFuzzer executable
/// (`Fuzz/`, `EscrowFuzz`) feeds them, and the CI smoke (`Tests/FuzzSmokeTests`) replays the checked-in seeds and
/// regressions and a fixed number of mutations of them through the same code. Every target checks properties
/// (canonical re-encoding, order independence, well-formed refusals) and traps when one is violated.
///
/// Not API: a product only so that the nested `Fuzz/` package can link it.
public enum EscrowFuzzTargets {
    /// The targets, in selector order: the first input byte modulo their count picks one.
    nonisolated(unsafe) static let targets: [(name: String, run: (inout FuzzInput) -> Void)] = [
        ("json", JSONTarget.run),
        ("strict-decoder", StrictDecoderTarget.run),
        ("event", EventTarget.run),
        ("event-mutation", EventMutationTarget.run),
        ("bundle", BundleTarget.run),
        ("identity-file", IdentityFileTarget.run),
        ("identity-line", IdentityLineTarget.run),
        ("otpauth", OTPAuthTarget.run),
        ("base32", Base32Target.run),
        ("slip39-share", SLIP39ShareTarget.run),
        ("slip39-combine", SLIP39CombineTarget.run),
        ("fold", FoldTarget.run),
    ]

    /// The target names, in selector order.
    public static var names: [String] { targets.map(\.name) }

    /// Runs one input as libFuzzer hands it over: the first byte picks the target (modulo the count), unless
    /// `fixed` names one (then the first byte is still consumed, so the same seed files work either way).
    ///
    /// - Parameters:
    ///   - bytes: The input.
    ///   - fixed: The index of a target in ``names`` to pin, if any.
    public static func run(_ bytes: [UInt8], fixed: Int? = nil) {
        guard !bytes.isEmpty else { return }
        _ = try? Sodium.initialize()
        var input = FuzzInput(bytes)
        let selector = Int(input.byte()) % targets.count
        targets[fixed ?? selector].run(&input)
    }

    /// Valid starting inputs of a target, each with its selector byte first.
    ///
    /// - Parameter name: A name from ``names``.
    /// - Returns: The inputs (none for an unknown name).
    public static func seeds(_ name: String) -> [[UInt8]] {
        _ = try? Sodium.initialize()
        guard let index = names.firstIndex(of: name) else { return [] }
        return Seeds.make(name).map { [UInt8(index)] + $0 }
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

    mutating func take(_ count: Int) -> [UInt8] {
        let n = max(0, min(count, remaining))
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    mutating func rest() -> [UInt8] { take(remaining) }
}

/// Refusals are shown to people: one line, not empty, no control characters (nothing smuggled in from the input).
func checkMessage(_ message: String, _ what: String) {
    require(!message.isEmpty, "\(what): empty error message")
    require(
        !message.unicodeScalars.contains { $0.properties.generalCategory == .control },
        "\(what): control character in error message: \(message.debugDescription)"
    )
    require(
        !message.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" },
        "\(what): line separator in error message: \(message.debugDescription)"
    )
}

/// Checks a thrown error's message, whatever module threw it; anything else than the module errors is a crash.
func checkError(_ error: any Error, _ what: String) {
    switch error {
    case let error as EscrowError: checkMessage(error.message, what)
    case let error as JSONError: checkMessage(error.message, what)
    case let error as SLIP39Error: checkMessage(error.message, what)
    default: fail("\(what): unexpected error type \(type(of: error)): \(error)")
    }
}

/// A deterministic generator (SplitMix64) for splits and shuffles.
struct SeededSource: RandomSource, RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: next()) }
    }
}

/// Reports a violated property on stderr and traps (release builds drop `precondition` messages).
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fail(message()) }
}

/// Reports a violated property on stderr and traps.
func fail(_ message: String) -> Never {
    let line = Array("EscrowFuzz: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

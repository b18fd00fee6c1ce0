import Crypto
import Sodium

/// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238, T0 = 0, 64-bit time).
///
/// The HMAC runs over the seed in guarded memory: SHA-1 through swift-crypto (`HMAC<Insecure.SHA1>`, libsodium has no
/// SHA-1), SHA-256 and SHA-512 through libsodium. Dynamic truncation and the decimal conversion are branch-free and
/// never index memory by a byte derived from the seed: the four bytes at the truncation offset are selected with
/// masks from all sixteen candidate positions, and the decimal digits come from masked subtractions instead of a
/// (variable-time) division.
public enum TOTP {
    /// The counter for `time`: ⌊time / period⌋.
    ///
    /// - Parameters:
    ///   - time: Seconds since 1970-01-01T00:00:00Z (T0 = 0).
    ///   - period: The time step in seconds.
    /// - Returns: The moving factor.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a time before 1970 or a non-positive period.
    public static func counter(at time: Int64, period: Int) throws(EscrowError) -> UInt64 {
        guard time >= 0 else { throw EscrowError(.invalidInput, "TOTP time \(time) is before 1970") }
        guard period > 0 else { throw EscrowError(.invalidInput, "TOTP period must be positive, not \(period)") }
        return UInt64(time) / UInt64(period)
    }

    /// The TOTP code at `time`, with the seconds left before it changes.
    ///
    /// - Parameters:
    ///   - seed: The shared secret.
    ///   - parameters: Algorithm, digits and period (e.g. from the entry's metadata).
    ///   - time: Seconds since 1970-01-01T00:00:00Z.
    /// - Returns: The code (ASCII digits in guarded memory) and its remaining validity.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a time before 1970.
    public static func code(seed: SecureBytes, parameters: TOTPParameters, at time: Int64) throws(EscrowError)
        -> TOTPCode
    {
        let counter = try counter(at: time, period: parameters.period)
        let digits = hotp(seed: seed, counter: counter, algorithm: parameters.algorithm, digits: parameters.digits)
        let secondsLeft = parameters.period - Int(UInt64(time) % UInt64(parameters.period))
        return TOTPCode(digits: digits, secondsLeft: secondsLeft, counter: counter)
    }

    /// The HOTP value for `counter` (RFC 4226 §5.3).
    ///
    /// - Parameters:
    ///   - seed: The shared secret.
    ///   - counter: The moving factor.
    ///   - algorithm: The HMAC hash function.
    ///   - digits: The code length (6…8).
    /// - Returns: `digits` ASCII digits in guarded memory.
    /// - Precondition: `digits` is in ``TOTPParameters/allowedDigits``.
    public static func hotp(seed: SecureBytes, counter: UInt64, algorithm: TOTPParameters.Algorithm, digits: Int)
        -> SecureBytes
    {
        precondition(TOTPParameters.allowedDigits.contains(digits), "HOTP codes have 6 to 8 digits")
        var message = [UInt8](repeating: 0, count: 8)
        for index in 0..<8 { message[index] = UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64(index))) }
        let mac = authenticationCode(message, seed: seed, algorithm: algorithm)
        let binary = mac.withUnsafeBytes { truncate($0) }
        let all = SecureBytes(count: 10)
        all.withUnsafeMutableBytes { writeDecimal(binary, into: $0) }
        return all.slice((10 - digits)..<10)
    }

    /// HMAC(seed, message) with the entry's algorithm, in guarded memory.
    private static func authenticationCode(
        _ message: [UInt8],
        seed: SecureBytes,
        algorithm: TOTPParameters.Algorithm
    ) -> SecureBytes {
        switch algorithm {
        case .sha1:
            // swift-crypto copies the key into its own zeroing storage for the duration of the call.
            let code = seed.withUnsafeBytes { key in
                HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key))
            }
            return code.withUnsafeBytes { SecureBytes(copying: $0) }
        case .sha256:
            let output = SecureBytes(count: HMACSHA256.byteCount)
            seed.withUnsafeBytes { key in
                message.withUnsafeBytes { data in
                    output.withUnsafeMutableBytes { HMACSHA256.authenticate(data, key: key, into: $0) }
                }
            }
            return output
        case .sha512:
            let output = SecureBytes(count: HMACSHA512.byteCount)
            seed.withUnsafeBytes { key in
                message.withUnsafeBytes { data in
                    output.withUnsafeMutableBytes { HMACSHA512.authenticate(data, key: key, into: $0) }
                }
            }
            return output
        }
    }

    /// Dynamic truncation (RFC 4226 §5.3) without a secret-dependent index: every candidate offset 0…15 is visited
    /// and the bytes at the real one are kept by a mask.
    private static func truncate(_ mac: UnsafeRawBufferPointer) -> UInt32 {
        precondition(mac.count >= 20, "an HMAC is at least 20 bytes")
        let offset = UInt32(mac[mac.count - 1] & 0x0F)
        var selected: UInt32 = 0
        for candidate in 0..<16 {
            // 0xFFFFFFFF when candidate == offset, else 0.
            let mask = (((UInt32(candidate) ^ offset) &- 1) >> 31) &* 0xFFFF_FFFF
            let word =
                UInt32(mac[candidate]) << 24 | UInt32(mac[candidate + 1]) << 16 | UInt32(mac[candidate + 2]) << 8
                | UInt32(mac[candidate + 3])
            selected |= word & mask
        }
        return selected & 0x7FFF_FFFF
    }

    /// Writes the ten decimal digits of `value` (< 2^31) as ASCII, most significant first, using masked subtractions
    /// (integer division takes operand-dependent time on common CPUs).
    private static func writeDecimal(_ value: UInt32, into output: UnsafeMutableRawBufferPointer) {
        var rest = UInt64(value)
        var power: UInt64 = 1_000_000_000
        for index in 0..<10 {
            var digit: UInt64 = 0
            for _ in 0..<9 {
                let fits = ((rest &- power) >> 63) ^ 1  // 1 when rest >= power (both below 2^63)
                rest &-= power & (0 &- fits)
                digit &+= fits
            }
            output[index] = UInt8(truncatingIfNeeded: 0x30 &+ digit)
            power /= 10
        }
    }
}

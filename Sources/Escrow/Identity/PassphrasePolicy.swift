import Foundation
import Sodium

/// The strength rule for identity passphrases: at least ``minimumLength`` bytes and an estimated ``minimumBits`` bits
/// of entropy. `escrow custodian new` and `passwd` refuse weaker passphrases unless `--force` is given.
///
/// The estimate is deliberately simple and conservative: each character contributes log2 of the pool formed by the
/// character classes the passphrase uses (lowercase 26, uppercase 26, digits 10, ASCII symbols and space 33,
/// non-ASCII bytes 128), except that a character equal to one of the three before it, or one step away from the
/// previous one (`aaaa`, `1234`, `abcd`), contributes a single bit. A random 16-character alphanumeric passphrase
/// scores about 95 bits, five random lowercase words about 130, `password1234` about 50.
///
/// The per-character loop is branch-free (masks only), so its timing depends on the length alone; only the final
/// verdict, which the user sees anyway, and the set of classes used influence the control flow.
public enum PassphrasePolicy {
    /// The shortest accepted passphrase, in bytes.
    public static let minimumLength = 12
    /// The smallest accepted entropy estimate, in bits.
    public static let minimumBits = 60.0

    /// The estimated entropy of `passphrase` in bits (see the type's discussion).
    ///
    /// - Parameter passphrase: The passphrase bytes.
    /// - Returns: The estimate.
    /// - Complexity: O(n), constant time per byte.
    public static func estimatedBits(_ passphrase: SecureBytes) -> Double {
        passphrase.withUnsafeBytes { bytes -> Double in
            var classes: UInt32 = 0
            var weak: UInt32 = 0
            var previous: (UInt32, UInt32, UInt32) = (0x1000, 0x1000, 0x1000)  // out of byte range: never equal
            for byte in bytes {
                let c = UInt32(byte)
                let lower = inRange(c, 0x61, 0x7A)
                let upper = inRange(c, 0x41, 0x5A)
                let digit = inRange(c, 0x30, 0x39)
                let high = inRange(c, 0x80, 0xFF)
                let symbol = (lower | upper | digit | high) ^ 1
                classes |= lower | upper << 1 | digit << 2 | symbol << 3 | high << 4
                let repeated = equal(c, previous.0) | equal(c, previous.1) | equal(c, previous.2)
                let step = equal(c, previous.0 &+ 1) | equal(c &+ 1, previous.0)
                weak &+= repeated | step
                previous = (c, previous.0, previous.1)
            }
            let pool =
                26 * (classes & 1) + 26 * (classes >> 1 & 1) + 10 * (classes >> 2 & 1)
                + 33 * (classes >> 3 & 1) + 128 * (classes >> 4 & 1)
            guard pool > 1 else { return 0 }
            let strong = Double(bytes.count) - Double(weak)
            return strong * log2(Double(pool)) + Double(weak)
        }
    }

    /// Refuses a passphrase that is too short or too predictable.
    ///
    /// - Parameter passphrase: The passphrase bytes.
    /// - Throws: ``EscrowError/Code/weakPassphrase`` saying which rule failed (never the passphrase itself).
    public static func check(_ passphrase: SecureBytes) throws(EscrowError) {
        guard passphrase.count >= minimumLength else {
            throw EscrowError(
                .weakPassphrase,
                "passphrase is too short (\(passphrase.count) characters, at least \(minimumLength) needed)",
                hint: .overridePassphrasePolicy
            )
        }
        let bits = estimatedBits(passphrase)
        guard bits >= minimumBits else {
            throw EscrowError(
                .weakPassphrase,
                "passphrase is too predictable (about \(Int(bits)) bits, at least \(Int(minimumBits)) needed; "
                    + "use more words or characters)",
                hint: .overridePassphrasePolicy
            )
        }
    }

    /// 1 if `low <= c <= high`, else 0, without branches (all values below 2^31).
    @inline(__always)
    private static func inRange(_ c: UInt32, _ low: UInt32, _ high: UInt32) -> UInt32 {
        ((c &- low) >> 31 ^ 1) & ((high &- c) >> 31 ^ 1)
    }

    /// 1 if `a == b`, else 0, without branches (values below 2^31).
    @inline(__always)
    private static func equal(_ a: UInt32, _ b: UInt32) -> UInt32 {
        ((a ^ b) &- 1) >> 31
    }
}

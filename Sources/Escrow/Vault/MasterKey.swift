import Shamir
import Sodium

/// A vault's master key: an X25519 secret key that exists in guarded memory only during a key ceremony or an unlock.
/// This type splits it into shares and puts shares back together, always checking the result against the vault's
/// public key.
public enum MasterKey {
    /// The master-key (and share) length in bytes (32).
    public static let byteCount = BoxKeyPair.secretKeyCount

    /// One decrypted share: its x-coordinate and value.
    public struct Share: Sendable {
        /// The x-coordinate (1…255).
        public let x: UInt8
        /// The share value, in guarded memory.
        public let value: SecureBytes

        /// Pairs an x-coordinate with a value.
        ///
        /// - Parameters:
        ///   - x: The x-coordinate.
        ///   - value: The ``MasterKey/byteCount``-byte value.
        public init(x: UInt8, value: SecureBytes) {
            self.x = x
            self.value = value
        }
    }

    /// Splits a master key into one share per x-coordinate.
    ///
    /// - Parameters:
    ///   - secretKey: The X25519 secret key.
    ///   - threshold: How many shares recover it.
    ///   - xs: The distinct, non-zero x-coordinates.
    ///   - rng: The coefficient source (a fresh `StreamRandom` in production).
    /// - Returns: `xs.count` rows of ``byteCount`` bytes, row *i* being the share at `xs[i]`, in guarded memory.
    /// - Throws: ``EscrowError/Code/sharingFailed`` if the parameters are refused.
    public static func split(
        _ secretKey: SecureBytes,
        threshold: Int,
        xs: [UInt8],
        using rng: inout some RandomSource
    ) throws(EscrowError) -> SecureBytes {
        let rows = SecureBytes(count: xs.count * secretKey.count)
        do {
            try secretKey.withUnsafeBytes { (secret) throws(ShamirError) in
                try rows.withUnsafeMutableBytes { (output) throws(ShamirError) in
                    try Shamir.split(secret, threshold: threshold, xs: xs, into: output, using: &rng)
                }
            }
        } catch {
            throw EscrowError(.sharingFailed, "cannot split the master key: \(error.message)")
        }
        return rows
    }

    /// Recombines shares and checks the result against the vault's public key.
    ///
    /// - Parameters:
    ///   - shares: At least `threshold` distinct shares (only their values and x-coordinates are used).
    ///   - publicKey: The vault's X25519 public key.
    /// - Returns: The master key pair.
    /// - Throws: ``EscrowError/Code/sharingFailed`` for unusable share sets; ``EscrowError/Code/tampered`` if the
    ///   combined key does not match the public key (too few or wrong shares).
    public static func combine(_ shares: [Share], publicKey: [UInt8]) throws(EscrowError) -> BoxKeyPair {
        guard shares.allSatisfy({ $0.value.count == byteCount }) else {
            throw EscrowError(.sharingFailed, "every share must be \(byteCount) bytes")
        }
        let rows = SecureBytes(count: shares.count * byteCount)
        rows.withUnsafeMutableBytes { output in
            for (index, share) in shares.enumerated() {
                share.value.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: output[index * byteCount..<(index + 1) * byteCount])
                        .copyMemory(from: source)
                }
            }
        }
        let secret = SecureBytes(count: byteCount)
        do {
            try rows.withUnsafeBytes { (input) throws(ShamirError) in
                try secret.withUnsafeMutableBytes { (output) throws(ShamirError) in
                    try Shamir.combine(xs: shares.map(\.x), rows: input, into: output)
                }
            }
        } catch {
            throw EscrowError(.sharingFailed, "cannot combine the shares: \(error.message)")
        }
        let keyPair: BoxKeyPair
        do {
            keyPair = try BoxKeyPair(secretKey: secret)
        } catch {
            throw EscrowError(.tampered, "the combined shares do not form a valid key")
        }
        guard keyPair.publicKey == publicKey else {
            throw EscrowError(
                .tampered,
                "the combined shares do not match the vault's public key (too few or wrong shares)"
            )
        }
        return keyPair
    }
}

import Sodium

/// A vault's master key: an X25519 secret key that exists in guarded memory only during a key ceremony or an unlock.
/// This type puts shares back together, always checking the result against the vault's public key (splitting is
/// ``ShareSet/splitBatch(_:targets:time:using:)``'s).
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

    /// Recombines shares and checks the result against the vault's public key (a batch of one:
    /// ``combineBatch(_:shares:into:)``).
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
        try combineBatch(
            [Selection(xs: shares.map(\.x), offsets: shares.indices.map { $0 * byteCount })],
            shares: rows,
            into: secret
        )
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

import Sodium

/// The keyed digest stored beside each encrypted share, so that a wrong share (a bad decryption, a custodian
/// submitting garbage, a share from another vault or generation) is named before any combination.
///
/// `digest = BLAKE2b-256(key: vault digest key, data: "escrow-share-digest-v1" ‖ 0x00 ‖ vault id ‖ generation (8
/// bytes, big-endian) ‖ x ‖ share)`. The digest key is random per share set and stored in the vault file; the digest
/// reveals nothing useful about a 32-byte uniformly random share.
public enum ShareDigest {
    /// The digest length (32).
    public static let byteCount = 32
    /// The digest-key length (32).
    public static let keyCount = 32

    private static let domain = Array("escrow-share-digest-v1".utf8) + [0]

    /// Computes the digest of one share.
    ///
    /// - Parameters:
    ///   - share: The share's bytes.
    ///   - key: The share set's digest key.
    ///   - vaultID: The vault identifier.
    ///   - generation: The vault generation.
    ///   - x: The share's x-coordinate.
    /// - Returns: 32 bytes.
    public static func compute(
        share: UnsafeRawBufferPointer,
        key: [UInt8],
        vaultID: [UInt8],
        generation: Int64,
        x: UInt8
    ) -> [UInt8] {
        var header = domain + vaultID
        withUnsafeBytes(of: generation.bigEndian) { header.append(contentsOf: $0) }
        header.append(x)
        let message = SecureBytes(count: header.count + share.count)
        message.withUnsafeMutableBytes { out in
            out.copyBytes(from: header)
            if share.count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: out[header.count...]).copyMemory(from: share)
            }
        }
        return GenericHash.hash(message, key: SecureBytes(copying: key), count: byteCount)
    }

    /// Whether `share` matches `digest` (constant-time comparison).
    ///
    /// - Parameters:
    ///   - share: The candidate share.
    ///   - digest: The recorded digest.
    ///   - key: The share set's digest key.
    ///   - vaultID: The vault identifier.
    ///   - generation: The vault generation.
    ///   - x: The share's x-coordinate.
    /// - Returns: `true` if the share is the one recorded.
    public static func matches(
        share: SecureBytes,
        digest: [UInt8],
        key: [UInt8],
        vaultID: [UInt8],
        generation: Int64,
        x: UInt8
    ) -> Bool {
        let computed = share.withUnsafeBytes {
            compute(share: $0, key: key, vaultID: vaultID, generation: generation, x: x)
        }
        return Sodium.constantTimeEquals(computed, digest)
    }
}

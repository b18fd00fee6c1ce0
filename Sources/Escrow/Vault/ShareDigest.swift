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

    /// The length of the message hashed for a share of `shareCount` bytes: what ``compute(share:key:vaultID:generation:x:scratch:into:)``
    /// needs as scratch.
    ///
    /// - Parameter shareCount: The share's length.
    /// - Returns: The scratch length in bytes.
    public static func scratchCount(shareCount: Int) -> Int { domain.count + Vault.idCount + 8 + 1 + shareCount }

    /// Computes the digest of one share into `digest`, assembling the message in `scratch` (guarded memory the caller
    /// reuses across a batch; it is wiped before returning). Allocates nothing.
    ///
    /// - Parameters:
    ///   - share: The share's bytes.
    ///   - key: The share set's digest key (32 bytes, public).
    ///   - vaultID: The vault identifier (16 bytes).
    ///   - generation: The vault generation.
    ///   - x: The share's x-coordinate.
    ///   - scratch: At least ``scratchCount(shareCount:)`` bytes of guarded memory.
    ///   - digest: Receives ``byteCount`` bytes.
    /// - Precondition: `vaultID` has ``Vault/idCount`` bytes, `key` ``keyCount`` bytes; the buffers are large enough.
    public static func compute(
        share: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer,
        vaultID: UnsafeRawBufferPointer,
        generation: Int64,
        x: UInt8,
        scratch: UnsafeMutableRawBufferPointer,
        into digest: UnsafeMutableRawBufferPointer
    ) {
        precondition(vaultID.count == Vault.idCount, "a vault id has \(Vault.idCount) bytes")
        precondition(key.count == keyCount && digest.count == byteCount, "digest key and digest are 32 bytes")
        let count = scratchCount(shareCount: share.count)
        precondition(scratch.count >= count, "the digest scratch is too small")
        let message = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<count])
        var offset = 0
        func append(_ bytes: UnsafeRawBufferPointer) {
            guard !bytes.isEmpty else { return }
            UnsafeMutableRawBufferPointer(rebasing: message[offset..<(offset + bytes.count)]).copyMemory(from: bytes)
            offset += bytes.count
        }
        domain.withUnsafeBytes { append($0) }
        append(vaultID)
        withUnsafeBytes(of: generation.bigEndian) { append($0) }
        withUnsafeBytes(of: x) { append($0) }
        append(share)
        GenericHash.hash(UnsafeRawBufferPointer(message), key: key, into: digest)
        Sodium.memzero(message)
    }

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
        let scratch = SecureBytes(count: scratchCount(shareCount: share.count))
        return scratch.withUnsafeMutableBytes { scratch in
            compute(share: share, key: key, vaultID: vaultID, generation: generation, x: x, scratch: scratch)
        }
    }

    /// The digest of one share as a new array, with caller-provided scratch.
    private static func compute(
        share: UnsafeRawBufferPointer,
        key: [UInt8],
        vaultID: [UInt8],
        generation: Int64,
        x: UInt8,
        scratch: UnsafeMutableRawBufferPointer
    ) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        key.withUnsafeBytes { key in
            vaultID.withUnsafeBytes { vaultID in
                digest.withUnsafeMutableBytes { output in
                    compute(
                        share: share,
                        key: key,
                        vaultID: vaultID,
                        generation: generation,
                        x: x,
                        scratch: scratch,
                        into: output
                    )
                }
            }
        }
        return digest
    }

    /// Whether `share` matches `digest` (constant-time comparison), with caller-provided scratch (no allocation).
    ///
    /// - Parameters:
    ///   - share: The candidate share.
    ///   - digest: The recorded digest.
    ///   - key: The share set's digest key.
    ///   - vaultID: The vault identifier.
    ///   - generation: The vault generation.
    ///   - x: The share's x-coordinate.
    ///   - scratch: At least ``scratchCount(shareCount:)`` bytes of guarded memory.
    /// - Returns: `true` if the share is the one recorded.
    public static func matches(
        share: UnsafeRawBufferPointer,
        digest: [UInt8],
        key: [UInt8],
        vaultID: [UInt8],
        generation: Int64,
        x: UInt8,
        scratch: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard digest.count == byteCount, key.count == keyCount, vaultID.count == Vault.idCount else { return false }
        let computed = compute(
            share: share,
            key: key,
            vaultID: vaultID,
            generation: generation,
            x: x,
            scratch: scratch
        )
        return Sodium.constantTimeEquals(computed, digest)
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
        let scratch = SecureBytes(count: scratchCount(shareCount: share.count))
        return share.withUnsafeBytes { share in
            scratch.withUnsafeMutableBytes { scratch in
                matches(
                    share: share,
                    digest: digest,
                    key: key,
                    vaultID: vaultID,
                    generation: generation,
                    x: x,
                    scratch: scratch
                )
            }
        }
    }
}

import Sodium

/// The commitment to a version's key `K`: keyed BLAKE2b-256 with key `K` over ``BindingEncoder`` context
/// `escrow-key-commitment-v2` and the fields store id, vault id, entry, version id.
///
/// Poly1305 is not key-committing: a rebuild that yields a wrong key could otherwise open to garbage (or, with a
/// crafted ciphertext, to a chosen value). An opener checks the commitment, in constant time, before any decryption.
public enum KeyCommitment {
    /// The commitment length (32).
    public static let byteCount = 32
    /// The key length (32).
    public static let keyCount = 32

    /// Computes the commitment to `key` for `binding`.
    ///
    /// - Parameters:
    ///   - key: The version's key (``keyCount`` bytes).
    ///   - binding: The version the key belongs to.
    /// - Returns: ``byteCount`` bytes.
    /// - Precondition: `key.count == keyCount`.
    public static func compute(key: SecureBytes, binding: VersionBinding) -> [UInt8] {
        key.withUnsafeBytes { compute(key: $0, binding: binding) }
    }

    /// Whether `commitment` is the commitment to `key` for `binding` (constant-time comparison).
    ///
    /// - Parameters:
    ///   - key: The candidate key.
    ///   - binding: The version.
    ///   - commitment: The recorded commitment.
    /// - Returns: `true` if they match; `false` also for a key or commitment of the wrong length.
    public static func matches(key: SecureBytes, binding: VersionBinding, commitment: [UInt8]) -> Bool {
        key.withUnsafeBytes { matches(key: $0, binding: binding, commitment: commitment) }
    }

    /// The raw-buffer form of ``compute(key:binding:)``, for a candidate key held in guarded scratch.
    static func compute(key: UnsafeRawBufferPointer, binding: VersionBinding) -> [UInt8] {
        precondition(key.count == keyCount, "a version key has \(keyCount) bytes")
        let message = Self.message(binding)
        var digest = [UInt8](repeating: 0, count: byteCount)
        message.withUnsafeBytes { message in
            digest.withUnsafeMutableBytes { GenericHash.hash(message, key: key, into: $0) }
        }
        return digest
    }

    /// The raw-buffer form of ``matches(key:binding:commitment:)``.
    static func matches(key: UnsafeRawBufferPointer, binding: VersionBinding, commitment: [UInt8]) -> Bool {
        guard key.count == keyCount, commitment.count == byteCount else { return false }
        return Sodium.constantTimeEquals(compute(key: key, binding: binding), commitment)
    }

    private static func message(_ binding: VersionBinding) -> [UInt8] {
        var encoder = BindingEncoder(context: "escrow-key-commitment-v2")
        encoder.append(binding.storeID)
        encoder.append(binding.vaultID)
        encoder.append(binding.entry)
        encoder.append(binding.versionID)
        return encoder.bytes
    }
}

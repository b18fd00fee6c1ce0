import Sodium

/// Seals a credential version's value under its key `K`: XChaCha20-Poly1305 with associated data ``BindingEncoder``
/// context `escrow-value-v2` and the fields store id, vault id, vault name, entry, version id, kind.
///
/// The sealed form is `nonce (24) ‖ ciphertext ‖ tag (16)` (Sodium's `AEAD`). Check the key against its
/// ``KeyCommitment`` before opening.
public enum ValueSeal {
    /// Encrypts `value` under `key`, bound to `binding`.
    ///
    /// - Parameters:
    ///   - value: The credential value.
    ///   - key: The version's key (32 bytes).
    ///   - binding: The version the value belongs to.
    /// - Returns: `nonce ‖ ciphertext ‖ tag`.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a key that does not have 32 bytes.
    public static func seal(_ value: SecureBytes, key: SecureBytes, binding: VersionBinding) throws(EscrowError)
        -> [UInt8]
    {
        try key.withUnsafeBytes { (key) throws(EscrowError) in try seal(value, rawKey: key, binding: binding) }
    }

    /// Encrypts `value` under a key held in caller-provided guarded memory (a slot of the dealing's ``SecureArena``).
    ///
    /// - Parameters:
    ///   - value: The credential value.
    ///   - key: The version's key (32 bytes).
    ///   - binding: The version the value belongs to.
    /// - Returns: `nonce ‖ ciphertext ‖ tag`, the same construction as ``seal(_:key:binding:)``.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a key that does not have 32 bytes.
    static func seal(_ value: SecureBytes, rawKey key: UnsafeRawBufferPointer, binding: VersionBinding)
        throws(EscrowError) -> [UInt8]
    {
        guard key.count == KeyCommitment.keyCount else {
            throw EscrowError(.invalidInput, "a version key has \(KeyCommitment.keyCount) bytes, not \(key.count)")
        }
        do {
            return try value.withUnsafeBytes { (bytes) throws(SodiumError) in
                try AEAD.seal(bytes, rawKey: key, associatedData: associatedData(binding))
            }
        } catch {
            throw EscrowError(.cryptoFailure, "cannot seal the value of \(binding.label): \(error.message)")
        }
    }

    /// Verifies and decrypts a sealed value.
    ///
    /// - Parameters:
    ///   - sealed: `nonce ‖ ciphertext ‖ tag`.
    ///   - key: The version's key.
    ///   - binding: The version the value belongs to.
    /// - Returns: The value in guarded memory.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a key that does not have 32 bytes;
    ///   ``EscrowError/Code/tampered`` if the sealed value was altered, is too short, or is bound to another store,
    ///   vault, entry, version or kind.
    public static func open(_ sealed: [UInt8], key: SecureBytes, binding: VersionBinding) throws(EscrowError)
        -> SecureBytes
    {
        guard key.count == KeyCommitment.keyCount else {
            throw EscrowError(.invalidInput, "a version key has \(KeyCommitment.keyCount) bytes, not \(key.count)")
        }
        do {
            return try AEAD.open(sealed, key: key, associatedData: associatedData(binding))
        } catch {
            throw EscrowError(
                .tampered,
                "the sealed value of \(binding.label) does not open (altered, or moved from another version)"
            )
        }
    }

    private static func associatedData(_ binding: VersionBinding) -> [UInt8] {
        var encoder = BindingEncoder(context: "escrow-value-v2")
        encoder.append(binding.storeID)
        encoder.append(binding.vaultID)
        encoder.append(binding.vaultName)
        encoder.append(binding.entry)
        encoder.append(binding.versionID)
        encoder.append(binding.kind)
        return encoder.bytes
    }
}

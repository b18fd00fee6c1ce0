internal import CSodium

/// Anonymous public-key encryption (`crypto_box_seal`): anyone with the recipient's X25519 public key can seal; only
/// the holder of the secret key can open. Each seal uses a fresh ephemeral key, so it costs one X25519 operation —
/// for many messages to one recipient use ``BoxSharedKey``.
public enum SealedBox {
    /// Bytes a sealed box adds to its plaintext (ephemeral public key + tag = 48).
    public static let overhead = Int(crypto_box_sealbytes())

    /// Seals `plaintext` to `publicKey`.
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to protect.
    ///   - publicKey: The recipient's X25519 public key.
    /// - Returns: The sealed box.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong key length, ``SodiumError/Code/invalidKey`` if the
    ///   key is not usable.
    public static func seal(_ plaintext: UnsafeRawBufferPointer, to publicKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        try BoxKeyPair.validatePublicKey(publicKey)
        Sodium.prepare()
        var sealed = [UInt8](repeating: 0, count: plaintext.count + overhead)
        let rc = sealed.withUnsafeMutableBytes { out in
            withOutputPointer(out) { outBase in
                withInputPointer(plaintext) { input in
                    crypto_box_seal(outBase, input, UInt64(plaintext.count), publicKey)
                }
            }
        }
        try SodiumError.check(rc, SodiumError(.invalidKey, "cannot seal to this public key"))
        return sealed
    }

    /// Seals a secret held in guarded memory.
    ///
    /// - Parameters:
    ///   - plaintext: The secret to protect.
    ///   - publicKey: The recipient's X25519 public key.
    /// - Returns: The sealed box.
    /// - Throws: See ``seal(_:to:)-(UnsafeRawBufferPointer,_)``.
    public static func seal(_ plaintext: SecureBytes, to publicKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        try plaintext.withUnsafeBytes { (bytes) throws(SodiumError) in try seal(bytes, to: publicKey) }
    }

    /// Opens a sealed box with the recipient's key pair.
    ///
    /// - Parameters:
    ///   - sealed: The sealed box.
    ///   - keyPair: The recipient's key pair.
    /// - Returns: The plaintext in guarded memory.
    /// - Throws: ``SodiumError/Code/authenticationFailed`` if the box was not sealed to this key or was altered;
    ///   ``SodiumError/Code/invalidLength`` if it is too short.
    public static func open(_ sealed: [UInt8], with keyPair: BoxKeyPair) throws(SodiumError) -> SecureBytes {
        guard sealed.count >= overhead else {
            throw SodiumError(.invalidLength, "sealed box is too short (\(sealed.count) bytes)")
        }
        Sodium.prepare()
        let plaintext = SecureBytes(count: sealed.count - overhead)
        let rc = plaintext.withUnsafeMutableBytes { out in
            keyPair.secretKey.withUnsafeBytes { sk -> Int32 in
                guard let skBase = sk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return -1 }
                return withOutputPointer(out) { outBase in
                    crypto_box_seal_open(outBase, sealed, UInt64(sealed.count), keyPair.publicKey, skBase)
                }
            }
        }
        try SodiumError.check(
            rc,
            SodiumError(.authenticationFailed, "sealed box does not open with this key, or was altered")
        )
        return plaintext
    }
}

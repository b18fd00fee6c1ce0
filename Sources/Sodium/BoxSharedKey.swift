internal import CSodium

/// A precomputed X25519 shared key (`crypto_box_beforenm`) for sealing many messages between one key pair and one
/// public key with symmetric cost only (XSalsa20-Poly1305, random 24-byte nonces).
///
/// This is what bulk re-splitting uses: one public-key operation per custodian per batch, then one cheap symmetric
/// seal per share.
public final class BoxSharedKey: Sendable {
    /// Nonce length in bytes (24).
    public static let nonceCount = Int(crypto_box_noncebytes())
    /// Tag length in bytes (16).
    public static let tagCount = Int(crypto_box_macbytes())
    /// Bytes a sealed message adds to its plaintext (nonce + tag = 40).
    public static var overhead: Int { nonceCount + tagCount }

    /// The shared key (internal so tests can check derived keys against BLAKE2b).
    let key: SecureBytes

    /// Computes the shared key between `secretKey` and `publicKey` (the same from either side).
    ///
    /// - Parameters:
    ///   - publicKey: The other party's X25519 public key.
    ///   - secretKey: This party's X25519 secret key.
    /// - Throws: ``SodiumError/Code/invalidLength`` or ``SodiumError/Code/invalidKey`` (e.g. a low-order point).
    public init(publicKey: [UInt8], secretKey: SecureBytes) throws(SodiumError) {
        try BoxKeyPair.validatePublicKey(publicKey)
        try SodiumError.requireLength("X25519 secret key", secretKey.count, BoxKeyPair.secretKeyCount)
        Sodium.prepare()
        let shared = SecureBytes(count: Int(crypto_box_beforenmbytes()))
        let rc = shared.withUnsafeMutableBytes { out in
            secretKey.withUnsafeBytes { sk -> Int32 in
                guard let outBase = out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    let skBase = sk.baseAddress?.assumingMemoryBound(to: UInt8.self)
                else { return -1 }
                return crypto_box_beforenm(outBase, publicKey, skBase)
            }
        }
        try SodiumError.check(rc, SodiumError(.invalidKey, "cannot agree on a key with this public key"))
        key = shared
    }

    /// Computes the shared key between `secretKey` and `publicKey` into caller-provided guarded memory (the bulk
    /// form of ``init(publicKey:secretKey:)``: same bytes, no guarded allocation).
    ///
    /// - Parameters:
    ///   - publicKey: The other party's X25519 public key.
    ///   - secretKey: This party's X25519 secret key (normally a slot of a ``SecureArena``).
    ///   - shared: Receives the 32-byte shared key; wiped if the agreement fails.
    /// - Throws: ``SodiumError/Code/invalidLength`` or ``SodiumError/Code/invalidKey`` (e.g. a low-order point).
    public static func agree(
        publicKey: [UInt8],
        secretKey: UnsafeRawBufferPointer,
        into shared: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        try BoxKeyPair.validatePublicKey(publicKey)
        try SodiumError.requireLength("X25519 secret key", secretKey.count, BoxKeyPair.secretKeyCount)
        try SodiumError.requireLength("X25519 shared key", shared.count, Int(crypto_box_beforenmbytes()))
        Sodium.prepare()
        let rc = withOutputPointer(shared) { out in
            withInputPointer(secretKey) { sk in crypto_box_beforenm(out, publicKey, sk) }
        }
        guard rc == 0 else {
            Sodium.memzero(shared)
            throw SodiumError(.invalidKey, "cannot agree on a key with this public key")
        }
    }

    /// Derives a 32-byte symmetric key for `context` from the shared key (BLAKE2b-256 keyed by the shared key).
    ///
    /// Use it with ``AEAD`` when the messages need associated data (e.g. a share bound to its vault, generation and
    /// custodian): one X25519 agreement, then one AEAD seal per message.
    /// - Parameter context: A public label that separates uses, e.g. `escrow/share-envelope/v1`.
    /// - Returns: The derived key in guarded memory; different contexts give independent keys.
    public func derivedKey(context: [UInt8]) -> SecureBytes {
        // Straight into guarded memory: the derived key never exists in an ordinary array.
        context.withUnsafeBytes { GenericHash.keyedDigest(of: $0, key: key, count: AEAD.keyCount) }
    }

    /// Encrypts and authenticates `plaintext`.
    ///
    /// - Parameter plaintext: The bytes to protect.
    /// - Returns: `nonce ‖ tag ‖ ciphertext`.
    public func seal(_ plaintext: UnsafeRawBufferPointer) -> [UInt8] {
        var sealed = [UInt8](repeating: 0, count: plaintext.count + Self.overhead)
        sealed.withUnsafeMutableBytes { out in
            guard let outBase = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            Sodium.fillRandom(UnsafeMutableRawBufferPointer(start: outBase, count: Self.nonceCount))
            key.withUnsafeBytes { k in
                guard let kBase = k.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
                _ = withInputPointer(plaintext) { input in
                    crypto_box_easy_afternm(outBase + Self.nonceCount, input, UInt64(plaintext.count), outBase, kBase)
                }
            }
        }
        return sealed
    }

    /// Encrypts a secret held in guarded memory.
    ///
    /// - Parameter plaintext: The secret to protect.
    /// - Returns: `nonce ‖ tag ‖ ciphertext`.
    public func seal(_ plaintext: SecureBytes) -> [UInt8] {
        plaintext.withUnsafeBytes { seal($0) }
    }

    /// Verifies and decrypts a message sealed with the same shared key.
    ///
    /// - Parameter sealed: `nonce ‖ tag ‖ ciphertext`.
    /// - Returns: The plaintext in guarded memory.
    /// - Throws: ``SodiumError/Code/authenticationFailed`` if it was altered or sealed under another key;
    ///   ``SodiumError/Code/invalidLength`` if it is too short.
    public func open(_ sealed: [UInt8]) throws(SodiumError) -> SecureBytes {
        guard sealed.count >= Self.overhead else {
            throw SodiumError(.invalidLength, "sealed message is too short (\(sealed.count) bytes)")
        }
        let plaintext = SecureBytes(count: sealed.count - Self.overhead)
        let rc = sealed.withUnsafeBytes { input in
            plaintext.withUnsafeMutableBytes { out in
                key.withUnsafeBytes { k -> Int32 in
                    guard let inBase = input.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        let kBase = k.baseAddress?.assumingMemoryBound(to: UInt8.self)
                    else { return -1 }
                    return withOutputPointer(out) { outBase in
                        crypto_box_open_easy_afternm(
                            outBase,
                            inBase + Self.nonceCount,
                            UInt64(sealed.count - Self.nonceCount),
                            inBase,
                            kBase
                        )
                    }
                }
            }
        }
        try SodiumError.check(
            rc,
            SodiumError(.authenticationFailed, "message does not open with this shared key, or was altered")
        )
        return plaintext
    }
}

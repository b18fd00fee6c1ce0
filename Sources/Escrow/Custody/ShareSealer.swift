import Sodium

/// Seals share values to their holders' X25519 keys: one ephemeral key pair per deposit or per approval batch, one
/// X25519 agreement per distinct recipient, then one AEAD seal per value.
///
/// Construction, for recipient public key `R` and ephemeral key pair `(e, E)`:
/// - `shared = X25519(e, R)` (libsodium's `crypto_box_beforenm`, through `BoxSharedKey`);
/// - `key = BLAKE2b-256(key: shared, BindingEncoder("escrow-share-key-v2") ‖ E ‖ R)`, cached per recipient in
///   guarded memory;
/// - `sealed = XChaCha20-Poly1305(key, value, ad)` with `ad` = the ``SharePosition``'s fields under context
///   `escrow-share-seal-v2`.
///
/// Publish ``ephemeralPublicKey`` beside the sealed values; a holder opens them with a ``ShareOpener``.
///
/// - Important: Use one sealer per deposit or per batch, and let it go afterwards: the cached keys are wiped when it
///   is released. The type is not thread-safe.
public final class ShareSealer {
    /// The ephemeral X25519 public key the recipients need to open the values.
    public let ephemeralPublicKey: [UInt8]
    private let ephemeral: BoxKeyPair
    private var keys: [[UInt8]: SecureBytes] = [:]
    private var scratch = SecureBytes(count: 0)

    /// Draws a fresh ephemeral X25519 key pair.
    public init() {
        ephemeral = BoxKeyPair()
        ephemeralPublicKey = ephemeral.publicKey
    }

    /// Seals one 32-byte share value to a recipient.
    ///
    /// - Parameters:
    ///   - value: The value (``ComponentDigest/valueCount`` bytes).
    ///   - position: Where the value sits (its associated data).
    ///   - recipientBoxKey: The holder's X25519 public key.
    /// - Returns: `nonce ‖ ciphertext ‖ tag`.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a value or key of the wrong length;
    ///   ``EscrowError/Code/cryptoFailure`` if libsodium refuses the recipient's key (e.g. a low-order point).
    /// - Complexity: One X25519 agreement the first time a recipient is seen, then one AEAD seal.
    public func seal(
        _ value: UnsafeRawBufferPointer,
        position: SharePosition,
        recipientBoxKey: [UInt8]
    ) throws(EscrowError) -> [UInt8] {
        guard value.count == ComponentDigest.valueCount else {
            throw EscrowError(
                .invalidInput,
                "a share value has \(ComponentDigest.valueCount) bytes, not \(value.count) (\(position.label))"
            )
        }
        let key = try key(for: recipientBoxKey)
        do {
            return try AEAD.seal(value, key: key, associatedData: position.associatedData)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot seal the share at \(position.label): \(error.message)")
        }
    }

    /// Seals one share value held in guarded memory (see ``seal(_:position:recipientBoxKey:)-(UnsafeRawBufferPointer,_,_)``).
    ///
    /// - Parameters:
    ///   - value: The 32-byte value.
    ///   - position: Where the value sits.
    ///   - recipientBoxKey: The holder's X25519 public key.
    /// - Returns: `nonce ‖ ciphertext ‖ tag`.
    /// - Throws: ``EscrowError/Code/invalidInput`` or ``EscrowError/Code/cryptoFailure``.
    public func seal(
        _ value: SecureBytes,
        position: SharePosition,
        recipientBoxKey: [UInt8]
    ) throws(EscrowError) -> [UInt8] {
        try value.withUnsafeBytes { (bytes) throws(EscrowError) in
            try seal(bytes, position: position, recipientBoxKey: recipientBoxKey)
        }
    }

    /// Seals one share value and computes its ``ComponentDigest``: the publishable form of one value.
    ///
    /// - Parameters:
    ///   - value: The 32-byte value.
    ///   - position: Where the value sits; its `x` and `path` are copied into the result.
    ///   - recipientBoxKey: The holder's X25519 public key.
    /// - Returns: The sealed value with its digest.
    /// - Throws: ``EscrowError/Code/invalidInput`` or ``EscrowError/Code/cryptoFailure``.
    /// - Complexity: As ``seal(_:position:recipientBoxKey:)-(UnsafeRawBufferPointer,_,_)`` plus one BLAKE2b; the
    ///   digest message is assembled in guarded scratch that the sealer reuses.
    public func sealComponent(
        _ value: UnsafeRawBufferPointer,
        position: SharePosition,
        recipientBoxKey: [UInt8]
    ) throws(EscrowError) -> SealedComponent {
        let sealed = try seal(value, position: position, recipientBoxKey: recipientBoxKey)
        let needed = ComponentDigest.scratchCount(position: position)
        if scratch.count < needed { scratch = SecureBytes(count: needed) }
        let digest = scratch.withUnsafeMutableBytes { scratch in
            ComponentDigest.compute(value: value, position: position, scratch: scratch)
        }
        return SealedComponent(x: position.x, path: position.path, sealed: sealed, digest: digest)
    }

    /// Derives and caches the key for `recipient` now, so that workers can then seal to it concurrently with
    /// ``sealComponent(_:position:recipientBoxKey:scratch:)``.
    ///
    /// - Parameter recipient: The holder's X25519 public key.
    /// - Throws: As ``seal(_:position:recipientBoxKey:)-(UnsafeRawBufferPointer,_,_)`` for an unusable key.
    /// - Important: Call from one thread, while nobody seals.
    func prepareKey(for recipient: [UInt8]) throws(EscrowError) {
        _ = try key(for: recipient)
    }

    /// Seals one share value to a recipient whose key was prepared (``prepareKey(for:)``) and computes its digest,
    /// with the digest message in caller-provided guarded scratch: the form workers call concurrently (it only reads
    /// the sealer).
    ///
    /// - Parameters:
    ///   - value: The 32-byte value.
    ///   - position: Where the value sits; its `x` and `path` are copied into the result.
    ///   - recipientBoxKey: The holder's X25519 public key.
    ///   - scratch: At least ``ComponentDigest/scratchCount(position:)`` bytes of guarded memory (wiped after use).
    /// - Returns: The sealed value with its digest.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a value of the wrong length or a recipient whose key was not
    ///   prepared; ``EscrowError/Code/cryptoFailure`` if the seal fails.
    func sealComponent(
        _ value: UnsafeRawBufferPointer,
        position: SharePosition,
        recipientBoxKey: [UInt8],
        scratch: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) -> SealedComponent {
        guard value.count == ComponentDigest.valueCount else {
            throw EscrowError(
                .invalidInput,
                "a share value has \(ComponentDigest.valueCount) bytes, not \(value.count) (\(position.label))"
            )
        }
        guard let key = keys[recipientBoxKey] else {
            throw EscrowError(.invalidInput, "no sealing key was prepared for this recipient (\(position.label))")
        }
        let sealed: [UInt8]
        do {
            sealed = try AEAD.seal(value, key: key, associatedData: position.associatedData)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot seal the share at \(position.label): \(error.message)")
        }
        let digest = ComponentDigest.compute(value: value, position: position, scratch: scratch)
        return SealedComponent(x: position.x, path: position.path, sealed: sealed, digest: digest)
    }

    /// The derived key for `recipient`, computed once per recipient.
    private func key(for recipient: [UInt8]) throws(EscrowError) -> SecureBytes {
        if let key = keys[recipient] { return key }
        guard recipient.count == BoxKeyPair.publicKeyCount else {
            throw EscrowError(
                .invalidInput,
                "an X25519 public key has \(BoxKeyPair.publicKeyCount) bytes, not \(recipient.count)"
            )
        }
        let shared: BoxSharedKey
        do {
            shared = try BoxSharedKey(publicKey: recipient, secretKey: ephemeral.secretKey)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot seal to this X25519 key: \(error.message)")
        }
        let key = Self.derivedKey(shared: shared, ephemeralPublicKey: ephemeralPublicKey, recipientBoxKey: recipient)
        keys[recipient] = key
        return key
    }

    /// `BLAKE2b-256(key: shared, BindingEncoder("escrow-share-key-v2") ‖ E ‖ R)`: the AEAD key both sides derive.
    static func derivedKey(shared: BoxSharedKey, ephemeralPublicKey: [UInt8], recipientBoxKey: [UInt8])
        -> SecureBytes
    {
        shared.derivedKey(context: keyContext(ephemeralPublicKey: ephemeralPublicKey, recipientBoxKey: recipientBoxKey))
    }

    /// The same derivation from a shared key held in caller-provided guarded memory, into caller-provided guarded
    /// memory (the bulk form: the dealing of a batch derives five keys per item in one ``SecureArena``).
    ///
    /// - Parameters:
    ///   - shared: The 32-byte X25519 shared key (`crypto_box_beforenm`).
    ///   - ephemeralPublicKey: `E`.
    ///   - recipientBoxKey: `R`.
    ///   - key: Receives the 32-byte AEAD key.
    static func derivedKey(
        shared: UnsafeRawBufferPointer,
        ephemeralPublicKey: [UInt8],
        recipientBoxKey: [UInt8],
        into key: UnsafeMutableRawBufferPointer
    ) {
        keyContext(ephemeralPublicKey: ephemeralPublicKey, recipientBoxKey: recipientBoxKey).withUnsafeBytes {
            GenericHash.hash($0, key: shared, into: key)
        }
    }

    /// `BindingEncoder("escrow-share-key-v2") ‖ E ‖ R`: the public message of the key derivation.
    private static func keyContext(ephemeralPublicKey: [UInt8], recipientBoxKey: [UInt8]) -> [UInt8] {
        var encoder = BindingEncoder(context: "escrow-share-key-v2")
        encoder.append(ephemeralPublicKey)
        encoder.append(recipientBoxKey)
        return encoder.bytes
    }
}

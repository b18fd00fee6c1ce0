import Sodium

/// Opens share values a ``ShareSealer`` sealed to this holder: one X25519 agreement at creation, then one AEAD open
/// per value.
///
/// A holder approving many versions creates one opener per distinct ephemeral key (one per deposit or batch).
public final class ShareOpener: Sendable {
    /// The ephemeral public key of the deposit or batch this opener opens.
    public let ephemeralPublicKey: [UInt8]
    private let key: SecureBytes

    /// Agrees on the key with the sealer's ephemeral key.
    ///
    /// - Parameters:
    ///   - boxKeys: The holder's X25519 key pair.
    ///   - ephemeralPublicKey: The sealer's ``ShareSealer/ephemeralPublicKey``.
    /// - Throws: ``EscrowError/Code/tampered`` if the ephemeral key has the wrong length or is not usable.
    public init(boxKeys: BoxKeyPair, ephemeralPublicKey: [UInt8]) throws(EscrowError) {
        do {
            let shared = try BoxSharedKey(publicKey: ephemeralPublicKey, secretKey: boxKeys.secretKey)
            key = ShareSealer.derivedKey(
                shared: shared,
                ephemeralPublicKey: ephemeralPublicKey,
                recipientBoxKey: boxKeys.publicKey
            )
        } catch {
            throw EscrowError(.tampered, "the ephemeral key of the sealed shares is not usable: \(error.message)")
        }
        self.ephemeralPublicKey = ephemeralPublicKey
    }

    /// Verifies and decrypts one share value.
    ///
    /// - Parameters:
    ///   - sealed: `nonce ‖ ciphertext ‖ tag`.
    ///   - position: Where the value claims to sit (its associated data).
    /// - Returns: The 32-byte value in guarded memory.
    /// - Throws: ``EscrowError/Code/badShare`` if it is not sealed to this holder under this ephemeral key, was
    ///   altered, or belongs to another position.
    public func open(_ sealed: [UInt8], position: SharePosition) throws(EscrowError) -> SecureBytes {
        let value = SecureBytes(count: ComponentDigest.valueCount)
        try value.withUnsafeMutableBytes { (output) throws(EscrowError) in
            try open(sealed, position: position, into: output)
        }
        return value
    }

    /// Verifies and decrypts one share value into caller-provided memory (the bulk form: no guarded allocation per
    /// value). On failure `value` is wiped.
    ///
    /// - Parameters:
    ///   - sealed: `nonce ‖ ciphertext ‖ tag`.
    ///   - position: Where the value claims to sit.
    ///   - value: Receives ``ComponentDigest/valueCount`` bytes (normally a slice of a ``SecureBytes``).
    /// - Throws: ``EscrowError/Code/badShare`` as ``open(_:position:)``; ``EscrowError/Code/invalidInput`` if
    ///   `value` does not have 32 bytes.
    public func open(
        _ sealed: [UInt8],
        position: SharePosition,
        into value: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) {
        try key.withUnsafeBytes { (key) throws(EscrowError) in
            try Self.open(sealed, position: position, rawKey: key, into: value)
        }
    }

    /// Derives the key an opener for `ephemeralPublicKey` uses into caller-provided guarded memory (the bulk form of
    /// ``init(boxKeys:ephemeralPublicKey:)``: the same bytes, no guarded allocation).
    ///
    /// - Parameters:
    ///   - boxKeys: The holder's X25519 key pair.
    ///   - ephemeralPublicKey: The sealer's ephemeral public key.
    ///   - shared: 32 bytes of guarded scratch for the X25519 shared key (wiped before returning).
    ///   - key: Receives the 32-byte AEAD key.
    /// - Throws: ``EscrowError/Code/tampered`` as ``init(boxKeys:ephemeralPublicKey:)``.
    static func deriveKey(
        boxKeys: BoxKeyPair,
        ephemeralPublicKey: [UInt8],
        shared: UnsafeMutableRawBufferPointer,
        into key: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) {
        do throws(SodiumError) {
            try boxKeys.secretKey.withUnsafeBytes { (secretKey) throws(SodiumError) in
                try BoxSharedKey.agree(publicKey: ephemeralPublicKey, secretKey: secretKey, into: shared)
            }
        } catch {
            throw EscrowError(.tampered, "the ephemeral key of the sealed shares is not usable: \(error.message)")
        }
        ShareSealer.derivedKey(
            shared: UnsafeRawBufferPointer(shared),
            ephemeralPublicKey: ephemeralPublicKey,
            recipientBoxKey: boxKeys.publicKey,
            into: key
        )
        Sodium.memzero(shared)
    }

    /// ``open(_:position:into:)`` with the key from ``deriveKey(boxKeys:ephemeralPublicKey:shared:into:)`` in
    /// caller-provided guarded memory.
    ///
    /// - Parameters:
    ///   - sealed: `nonce ‖ ciphertext ‖ tag`.
    ///   - position: Where the value claims to sit.
    ///   - key: The 32-byte opener key.
    ///   - value: Receives ``ComponentDigest/valueCount`` bytes; wiped on failure.
    /// - Throws: As ``open(_:position:into:)``.
    static func open(
        _ sealed: [UInt8],
        position: SharePosition,
        rawKey key: UnsafeRawBufferPointer,
        into value: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) {
        guard value.count == ComponentDigest.valueCount else {
            throw EscrowError(
                .invalidInput,
                "a share value has \(ComponentDigest.valueCount) bytes, not \(value.count)"
            )
        }
        guard sealed.count == ComponentDigest.valueCount + AEAD.overhead else {
            Sodium.memzero(value)
            throw EscrowError(.badShare, "the sealed share at \(position.label) has \(sealed.count) bytes")
        }
        let opened = sealed.withUnsafeBytes { sealed in
            (try? AEAD.open(sealed, rawKey: key, associatedData: position.associatedData, into: value)) != nil
        }
        guard opened else {
            throw EscrowError(
                .badShare,
                "the sealed share at \(position.label) of \(position.binding.label) does not open: not sealed to "
                    + "this holder, altered, or moved from another position"
            )
        }
    }
}

import Sodium

/// One custodian's share of a vault's master key, encrypted to the custodian, with the share's keyed digest.
///
/// Construction (bulk-friendly: one X25519 agreement per custodian per batch, then one AEAD per share):
/// - `shared = X25519(ephemeral secret, custodian X25519 public)` via ``BoxSharedKey``;
/// - `key = BLAKE2b-256(key: shared, "escrow/share-envelope/v1" ‖ ephemeral public ‖ custodian X25519 public)`;
/// - `sealed_share = XChaCha20-Poly1305(key, share, ad)` with
///   `ad = "escrow-share-envelope-v1" ‖ 0x00 ‖ vault id ‖ generation (8 bytes BE) ‖ fingerprint (10 bytes) ‖ x`,
///   so an envelope cannot be moved to another vault, generation, custodian or x-coordinate.
public struct ShareEnvelope: Hashable, Sendable, Codable {
    /// The custodian's name.
    public var custodian: String
    /// The custodian's fingerprint.
    public var fingerprint: Fingerprint
    /// The share's x-coordinate.
    public var x: UInt8
    /// `nonce ‖ ciphertext ‖ tag` of the share.
    public var sealedShare: Base64Bytes
    /// The share's keyed digest (see ``ShareDigest``).
    public var digest: HexBytes

    enum CodingKeys: String, CodingKey {
        case custodian, fingerprint, x, digest
        case sealedShare = "sealed_share"
    }

    private static let keyContext = Array("escrow/share-envelope/v1".utf8)
    private static let adDomain = Array("escrow-share-envelope-v1".utf8) + [0]

    /// The associated data binding an envelope to its place.
    ///
    /// - Parameters:
    ///   - vaultID: The vault identifier.
    ///   - generation: The vault generation.
    ///   - fingerprint: The custodian's fingerprint.
    ///   - x: The share's x-coordinate.
    /// - Returns: The associated-data bytes.
    public static func associatedData(vaultID: [UInt8], generation: Int64, fingerprint: Fingerprint, x: UInt8)
        -> [UInt8]
    {
        var data = adDomain + vaultID
        withUnsafeBytes(of: generation.bigEndian) { data.append(contentsOf: $0) }
        data += fingerprint.bytes
        data.append(x)
        return data
    }

    /// Derives the AEAD key for one custodian from a precomputed X25519 shared key.
    ///
    /// - Parameters:
    ///   - shared: The shared key between the ephemeral key and the custodian's key.
    ///   - ephemeralPublicKey: The batch's ephemeral X25519 public key.
    ///   - recipientBoxKey: The custodian's X25519 public key.
    /// - Returns: A 32-byte AEAD key in guarded memory.
    public static func envelopeKey(shared: BoxSharedKey, ephemeralPublicKey: [UInt8], recipientBoxKey: [UInt8])
        -> SecureBytes
    {
        shared.derivedKey(context: keyContext + ephemeralPublicKey + recipientBoxKey)
    }

    /// Encrypts one share.
    ///
    /// - Parameters:
    ///   - share: The share's bytes.
    ///   - key: The custodian's envelope key (``envelopeKey(shared:ephemeralPublicKey:recipientBoxKey:)``).
    ///   - custodian: The policy entry of the custodian.
    ///   - vaultID: The vault identifier.
    ///   - generation: The vault generation.
    ///   - digestKey: The share set's digest key.
    /// - Returns: The envelope.
    /// - Throws: ``EscrowError/Code/cryptoFailure`` if libsodium refuses the key.
    public static func seal(
        share: UnsafeRawBufferPointer,
        key: SecureBytes,
        custodian: VaultPolicy.Custodian,
        vaultID: [UInt8],
        generation: Int64,
        digestKey: [UInt8]
    ) throws(EscrowError) -> ShareEnvelope {
        let scratch = SecureBytes(count: ShareDigest.scratchCount(shareCount: share.count))
        return try scratch.withUnsafeMutableBytes { (scratch) throws(EscrowError) in
            try seal(
                share: share,
                key: key,
                custodian: custodian,
                vaultID: vaultID,
                generation: generation,
                digestKey: digestKey,
                scratch: scratch
            )
        }
    }

    /// Encrypts one share, computing its digest in caller-provided guarded scratch (the bulk form: no guarded
    /// allocation per share).
    ///
    /// - Parameters:
    ///   - share: The share's bytes.
    ///   - key: The custodian's envelope key.
    ///   - custodian: The policy entry of the custodian.
    ///   - vaultID: The vault identifier.
    ///   - generation: The vault generation.
    ///   - digestKey: The share set's digest key.
    ///   - scratch: At least ``ShareDigest/scratchCount(shareCount:)`` bytes of guarded memory.
    /// - Returns: The envelope.
    /// - Throws: ``EscrowError/Code/cryptoFailure`` if libsodium refuses the key.
    public static func seal(
        share: UnsafeRawBufferPointer,
        key: SecureBytes,
        custodian: VaultPolicy.Custodian,
        vaultID: [UInt8],
        generation: Int64,
        digestKey: [UInt8],
        scratch: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) -> ShareEnvelope {
        let ad = associatedData(
            vaultID: vaultID,
            generation: generation,
            fingerprint: custodian.fingerprint,
            x: custodian.x
        )
        let sealed: [UInt8]
        do {
            sealed = try AEAD.seal(share, key: key, associatedData: ad)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot encrypt the share of '\(custodian.name)': \(error.message)")
        }
        var digest = [UInt8](repeating: 0, count: ShareDigest.byteCount)
        digestKey.withUnsafeBytes { digestKey in
            vaultID.withUnsafeBytes { vaultID in
                digest.withUnsafeMutableBytes { output in
                    ShareDigest.compute(
                        share: share,
                        key: digestKey,
                        vaultID: vaultID,
                        generation: generation,
                        x: custodian.x,
                        scratch: scratch,
                        into: output
                    )
                }
            }
        }
        return ShareEnvelope(
            custodian: custodian.name,
            fingerprint: custodian.fingerprint,
            x: custodian.x,
            sealedShare: Base64Bytes(sealed),
            digest: HexBytes(digest)
        )
    }

    /// Decrypts this envelope with the custodian's identity and checks the share against its digest.
    ///
    /// - Parameters:
    ///   - identity: The custodian's unlocked identity.
    ///   - shareSet: The share set the envelope belongs to.
    ///   - vaultID: The vault identifier.
    ///   - generation: The vault generation.
    /// - Returns: The share, in guarded memory.
    /// - Throws: ``EscrowError/Code/notAuthorized`` if the identity is not this envelope's custodian;
    ///   ``EscrowError/Code/tampered`` if decryption fails or the digest does not match, naming the custodian.
    public func open(
        with identity: CustodianIdentity,
        shareSet: ShareSet,
        vaultID: [UInt8],
        generation: Int64
    ) throws(EscrowError) -> SecureBytes {
        guard identity.publicIdentity.fingerprint == fingerprint else {
            throw EscrowError(
                .notAuthorized,
                "the share of '\(custodian)' is not encrypted to \(identity.publicIdentity)"
            )
        }
        let key = try Self.openingKey(
            for: try identity.boxKeyPair(),
            ephemeralPublicKey: shareSet.ephemeralPublicKey.bytes
        )
        guard sealedShare.bytes.count >= AEAD.overhead else { throw undecryptable }
        let share = SecureBytes(count: sealedShare.bytes.count - AEAD.overhead)
        let scratch = SecureBytes(count: ShareDigest.scratchCount(shareCount: share.count))
        try share.withUnsafeMutableBytes { (output) throws(EscrowError) in
            try scratch.withUnsafeMutableBytes { (scratch) throws(EscrowError) in
                try open(
                    key: key,
                    shareSet: shareSet,
                    vaultID: vaultID,
                    generation: generation,
                    into: output,
                    scratch: scratch
                )
            }
        }
        return share
    }

    /// The key that opens envelopes made with `ephemeralPublicKey` for the holder of `boxKeys`: one X25519 agreement
    /// (a custodian approving many vaults computes it once per distinct ephemeral key, see ``ShareSet``).
    ///
    /// - Parameters:
    ///   - boxKeys: The custodian's X25519 key pair.
    ///   - ephemeralPublicKey: The share set's ephemeral public key.
    /// - Returns: The envelope key in guarded memory.
    /// - Throws: ``EscrowError/Code/tampered`` if the ephemeral key is unusable.
    public static func openingKey(for boxKeys: BoxKeyPair, ephemeralPublicKey: [UInt8]) throws(EscrowError)
        -> SecureBytes
    {
        do {
            let shared = try BoxSharedKey(publicKey: ephemeralPublicKey, secretKey: boxKeys.secretKey)
            return envelopeKey(
                shared: shared,
                ephemeralPublicKey: ephemeralPublicKey,
                recipientBoxKey: boxKeys.publicKey
            )
        } catch {
            throw EscrowError(.tampered, "the share set's ephemeral key is not usable (the vault file was altered)")
        }
    }

    /// Decrypts this envelope with its custodian's envelope key into `output` and checks the share against its digest
    /// (the bulk form: no allocation of guarded memory; on failure `output` is wiped).
    ///
    /// - Parameters:
    ///   - key: The envelope key (``openingKey(for:ephemeralPublicKey:)``).
    ///   - shareSet: The share set the envelope belongs to.
    ///   - vaultID: The vault identifier.
    ///   - generation: The vault generation.
    ///   - output: Receives the share (``MasterKey/byteCount`` bytes for a vault).
    ///   - scratch: At least ``ShareDigest/scratchCount(shareCount:)`` bytes of guarded memory.
    /// - Throws: ``EscrowError/Code/tampered`` if decryption fails or the digest does not match, naming the custodian.
    public func open(
        key: SecureBytes,
        shareSet: ShareSet,
        vaultID: [UInt8],
        generation: Int64,
        into output: UnsafeMutableRawBufferPointer,
        scratch: UnsafeMutableRawBufferPointer
    ) throws(EscrowError) {
        let ad = Self.associatedData(vaultID: vaultID, generation: generation, fingerprint: fingerprint, x: x)
        let decrypted = sealedShare.bytes.withUnsafeBytes { sealed in
            (try? AEAD.open(sealed, key: key, associatedData: ad, into: output)) != nil
        }
        guard decrypted else { throw undecryptable }
        guard
            ShareDigest.matches(
                share: UnsafeRawBufferPointer(output),
                digest: digest.bytes,
                key: shareSet.digestKey.bytes,
                vaultID: vaultID,
                generation: generation,
                x: x,
                scratch: scratch
            )
        else {
            Sodium.memzero(output)
            throw EscrowError(.tampered, "the share of '\(custodian)' does not match its recorded digest")
        }
    }

    private var undecryptable: EscrowError {
        EscrowError(
            .tampered,
            "the encrypted share of '\(custodian)' does not decrypt (altered, or from another vault or generation)"
        )
    }
}

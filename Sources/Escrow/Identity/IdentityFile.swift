import Sodium

/// An identity file: the custodian's public identity in clear and the Ed25519 seed sealed under the passphrase.
///
/// Format (`"format": "escrow-identity", "version": 1`, JSON with sorted keys):
/// ```json
/// {
///   "created_at": "2025-01-01T00:00:00Z",
///   "email": "alice@example.com",
///   "fingerprint": "3F2A-91C4-0B7D-55E2-A1C9",
///   "format": "escrow-identity",
///   "kdf": {"algorithm": "argon2id13", "memory_bytes": 268435456, "operations": 3, "salt": "<base64url, 16 bytes>"},
///   "name": "alice",
///   "sealed_seed": "<base64url: XChaCha20-Poly1305 nonce ‖ ciphertext ‖ tag>",
///   "signing_key": "<base64url Ed25519 public key>",
///   "version": 1
/// }
/// ```
/// The seal key is Argon2id(passphrase, salt, limits); the associated data is `escrow-identity-v1\n` followed by the
/// canonical JSON of every other field, so no header field (name, key, salt, limits) can be changed or swapped without
/// the file failing to open.
public struct IdentityFile: Sendable {
    /// The `format` value.
    public static let format = "escrow-identity"
    /// The only version this build reads and writes.
    public static let version: Int64 = 1
    /// Limits above these are refused when reading (a crafted file must not make escrow allocate unbounded memory).
    public static let maximumOperations: UInt64 = 16
    /// The largest Argon2id memory a file may ask for (4 GiB).
    public static let maximumMemory = 4 << 30

    private static let associatedDataPrefix = Array("escrow-identity-v1\n".utf8)

    /// The public identity stored in clear.
    public let publicIdentity: PublicIdentity
    /// When the identity was created.
    public let createdAt: UTCTime
    /// The Argon2id salt.
    public let salt: [UInt8]
    /// The Argon2id limits the seed was sealed with.
    public let limits: PasswordHash.Limits
    /// `nonce ‖ ciphertext ‖ tag` of the 32-byte Ed25519 seed.
    public let sealedSeed: [UInt8]

    private struct KDF: Codable {
        var algorithm: String
        var salt: Base64Bytes
        var operations: UInt64
        var memoryBytes: Int

        enum CodingKeys: String, CodingKey {
            case algorithm, salt, operations
            case memoryBytes = "memory_bytes"
        }
    }

    private struct Document: Codable {
        var format: String
        var version: Int64
        var name: String
        var email: String
        var signingKey: Base64Bytes
        var fingerprint: Fingerprint
        var createdAt: UTCTime
        var kdf: KDF
        var sealedSeed: Base64Bytes

        enum CodingKeys: String, CodingKey {
            case format, version, name, email, fingerprint, kdf
            case signingKey = "signing_key"
            case createdAt = "created_at"
            case sealedSeed = "sealed_seed"
        }
    }

    private static func associatedData(of document: JSONValue) -> [UInt8] {
        associatedDataPrefix + JSONWriter.canonical(document.removing("sealed_seed"))
    }

    private static func sealKey(passphrase: SecureBytes, salt: [UInt8], limits: PasswordHash.Limits) throws(EscrowError)
        -> SecureBytes
    {
        do {
            return try PasswordHash.deriveKey(count: AEAD.keyCount, password: passphrase, salt: salt, limits: limits)
        } catch {
            throw EscrowError(.cryptoFailure, "cannot derive the identity key: \(error.message)")
        }
    }

    private init(
        publicIdentity: PublicIdentity,
        createdAt: UTCTime,
        salt: [UInt8],
        limits: PasswordHash.Limits,
        sealedSeed: [UInt8]
    ) {
        self.publicIdentity = publicIdentity
        self.createdAt = createdAt
        self.salt = salt
        self.limits = limits
        self.sealedSeed = sealedSeed
    }

    private func document(sealedSeed: [UInt8]) -> Document {
        Document(
            format: Self.format,
            version: Self.version,
            name: publicIdentity.name,
            email: publicIdentity.email,
            signingKey: Base64Bytes(publicIdentity.signingKey),
            fingerprint: publicIdentity.fingerprint,
            createdAt: createdAt,
            kdf: KDF(
                algorithm: "argon2id13",
                salt: Base64Bytes(salt),
                operations: limits.operations,
                memoryBytes: limits.memory
            ),
            sealedSeed: Base64Bytes(sealedSeed)
        )
    }

    /// Seals an identity under a passphrase with a fresh salt.
    ///
    /// - Parameters:
    ///   - identity: The identity to protect.
    ///   - passphrase: The passphrase bytes (already checked by ``PassphrasePolicy`` if the caller wants that).
    ///   - limits: The Argon2id limits (``KeyDerivationProfile/moderate`` by default).
    ///   - createdAt: The creation time to record.
    /// - Returns: The identity file.
    /// - Throws: ``EscrowError/Code/cryptoFailure`` if Argon2id cannot run (not enough memory).
    public static func seal(
        _ identity: CustodianIdentity,
        passphrase: SecureBytes,
        limits: PasswordHash.Limits = KeyDerivationProfile.moderate.limits,
        createdAt: UTCTime
    ) throws(EscrowError) -> IdentityFile {
        let salt = Sodium.randomBytes(PasswordHash.saltCount)
        let unsealed = IdentityFile(
            publicIdentity: identity.publicIdentity,
            createdAt: createdAt,
            salt: salt,
            limits: limits,
            sealedSeed: []
        )
        let header = try JSONCoding.encode(unsealed.document(sealedSeed: []))
        let key = try sealKey(passphrase: passphrase, salt: salt, limits: limits)
        let sealed: [UInt8]
        do {
            sealed = try AEAD.seal(identity.signingKeyPair.seed, key: key, associatedData: associatedData(of: header))
        } catch {
            throw EscrowError(.cryptoFailure, "cannot seal the identity: \(error.message)")
        }
        return IdentityFile(
            publicIdentity: identity.publicIdentity,
            createdAt: createdAt,
            salt: salt,
            limits: limits,
            sealedSeed: sealed
        )
    }

    /// Whether the file is sealed with test-only Argon2id limits (see ``KeyDerivationProfile/isTestStrength(_:)``).
    public var usesTestProfile: Bool { KeyDerivationProfile.isTestStrength(limits) }

    /// Opens the file with its passphrase.
    ///
    /// - Parameters:
    ///   - passphrase: The passphrase bytes.
    ///   - allowTestProfile: Whether a file sealed with the test profile (``usesTestProfile``) may be opened. Only
    ///     `escrow demo` and tests pass `true`: such a file protects its passphrase almost not at all.
    /// - Returns: The identity, its key pair in guarded memory.
    /// - Throws: ``EscrowError/Code/testProfile`` for a test-profile file that is not allowed (before the passphrase
    ///   is used); ``EscrowError/Code/wrongPassphrase`` if the passphrase is wrong or any field was altered (the two
    ///   cannot be told apart); ``EscrowError/Code/cryptoFailure`` if Argon2id cannot run.
    public func unseal(passphrase: SecureBytes, allowTestProfile: Bool = false) throws(EscrowError)
        -> CustodianIdentity
    {
        guard allowTestProfile || !usesTestProfile else {
            throw EscrowError(
                .testProfile,
                "the identity of '\(publicIdentity.name)' is sealed with test-only Argon2 settings "
                    + "(\(limits.operations) pass\(limits.operations == 1 ? "" : "es"), \(limits.memory / 1024) KiB) that barely protect its passphrase: only "
                    + "'escrow demo' and tests may use it; create a real identity with 'escrow custodian new'"
            )
        }
        let header = try JSONCoding.encode(document(sealedSeed: []))
        let key = try Self.sealKey(passphrase: passphrase, salt: salt, limits: limits)
        let seed: SecureBytes
        do {
            seed = try AEAD.open(sealedSeed, key: key, associatedData: Self.associatedData(of: header))
        } catch {
            throw EscrowError(
                .wrongPassphrase,
                "cannot open the identity of '\(publicIdentity.name)': wrong passphrase, or the file was altered"
            )
        }
        let keyPair: SigningKeyPair
        do {
            keyPair = try SigningKeyPair(seed: seed)
        } catch {
            throw EscrowError(.tampered, "identity of '\(publicIdentity.name)': the sealed seed has the wrong length")
        }
        guard keyPair.publicKey == publicIdentity.signingKey else {
            throw EscrowError(
                .tampered,
                "identity of '\(publicIdentity.name)': the sealed key does not match the public key"
            )
        }
        return try CustodianIdentity(name: publicIdentity.name, email: publicIdentity.email, keyPair: keyPair)
    }

    /// The file's bytes: pretty canonical JSON.
    ///
    /// - Returns: The UTF-8 bytes to write.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func encoded() throws(EscrowError) -> [UInt8] {
        JSONWriter.pretty(try JSONCoding.encode(document(sealedSeed: sealedSeed)))
    }

    /// Parses and checks an identity file (everything except the passphrase).
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: The file's path, for messages.
    /// - Returns: The identity file.
    /// - Throws: ``EscrowError/Code/malformedFile`` (not JSON, truncated, a missing field),
    ///   ``EscrowError/Code/unsupportedVersion``, ``EscrowError/Code/tampered`` (fingerprint does not match the key) or
    ///   ``EscrowError/Code/invalidInput`` (bad name, e-mail or Argon2id limits).
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> IdentityFile {
        let value = try JSONParser.parse(bytes, source: source)
        try VersionedDocument.check(value, format: format, version: version, source: source)
        let document = try JSONCoding.decode(Document.self, from: value, source: source)
        let identity: PublicIdentity
        do {
            identity = try PublicIdentity(
                name: document.name,
                email: document.email,
                signingKey: document.signingKey.bytes
            )
        } catch {
            throw EscrowError(error.code, "\(source): \(error.message)", hints: error.hints)
        }
        guard identity.fingerprint == document.fingerprint else {
            throw EscrowError(.tampered, "\(source): the fingerprint does not match the key (the file was altered)")
        }
        guard document.kdf.algorithm == "argon2id13" else {
            throw EscrowError(
                .unsupportedVersion,
                "\(source): key derivation '\(NameRules.printable(document.kdf.algorithm))' is not supported"
            )
        }
        guard document.kdf.salt.bytes.count == PasswordHash.saltCount else {
            throw EscrowError(.malformedFile, "\(source): the salt must be \(PasswordHash.saltCount) bytes")
        }
        guard document.kdf.operations <= maximumOperations, document.kdf.memoryBytes <= maximumMemory else {
            throw EscrowError(.invalidInput, "\(source): Argon2id limits are larger than escrow allows")
        }
        let limits: PasswordHash.Limits
        do {
            limits = try PasswordHash.Limits(operations: document.kdf.operations, memory: document.kdf.memoryBytes)
        } catch {
            throw EscrowError(.invalidInput, "\(source): \(error.message)")
        }
        guard document.sealedSeed.bytes.count == SigningKeyPair.seedCount + AEAD.overhead else {
            throw EscrowError(.malformedFile, "\(source): the sealed seed has the wrong length")
        }
        let file = IdentityFile(
            publicIdentity: identity,
            createdAt: document.createdAt,
            salt: document.kdf.salt.bytes,
            limits: limits,
            sealedSeed: document.sealedSeed.bytes
        )
        return file
    }
}

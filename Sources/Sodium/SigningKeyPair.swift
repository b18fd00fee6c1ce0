internal import CSodium

/// An Ed25519 signing key pair (`crypto_sign`). Its X25519 counterpart (``boxKeyPair()``) lets one identity both sign
/// and receive encrypted shares.
public struct SigningKeyPair: Sendable {
    /// Public key length in bytes (32).
    public static let publicKeyCount = Int(crypto_sign_publickeybytes())
    /// Secret key length in bytes (64: seed ‖ public key).
    public static let secretKeyCount = Int(crypto_sign_secretkeybytes())
    /// Seed length in bytes (32).
    public static let seedCount = Int(crypto_sign_seedbytes())
    /// Signature length in bytes (64).
    public static let signatureCount = Int(crypto_sign_bytes())

    /// The public verification key.
    public let publicKey: [UInt8]
    /// The 64-byte secret key, in guarded memory.
    public let secretKey: SecureBytes

    /// Generates a fresh key pair.
    public init() {
        let seed = SecureBytes.random(count: Self.seedCount)
        // A 32-byte seed always yields a key pair.
        self.init(validSeed: seed)
    }

    /// Derives the key pair determined by a 32-byte seed (RFC 8032 private key).
    ///
    /// - Parameter seed: The 32-byte seed.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong seed length.
    public init(seed: SecureBytes) throws(SodiumError) {
        try SodiumError.requireLength("Ed25519 seed", seed.count, Self.seedCount)
        self.init(validSeed: seed)
    }

    private init(validSeed seed: SecureBytes) {
        Sodium.prepare()
        var publicKey = [UInt8](repeating: 0, count: Self.publicKeyCount)
        let secretKey = SecureBytes(count: Self.secretKeyCount)
        secretKey.withUnsafeMutableBytes { sk in
            seed.withUnsafeBytes { seedBytes in
                guard let skBase = sk.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    let seedBase = seedBytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                else { return }
                _ = crypto_sign_seed_keypair(&publicKey, skBase, seedBase)
            }
        }
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// The 32-byte seed this key pair derives from (what an identity file stores, sealed).
    public var seed: SecureBytes {
        secretKey.slice(0..<Self.seedCount)
    }

    /// Signs `message` (detached signature).
    ///
    /// - Parameter message: The bytes to sign.
    /// - Returns: A 64-byte signature.
    public func signature(for message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { signature(for: $0) }
    }

    /// Signs `message` (detached signature).
    ///
    /// - Parameter message: The bytes to sign.
    /// - Returns: A 64-byte signature.
    public func signature(for message: UnsafeRawBufferPointer) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: Self.signatureCount)
        secretKey.withUnsafeBytes { sk in
            guard let skBase = sk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            withInputPointer(message) { input in
                _ = crypto_sign_detached(&signature, nil, input, UInt64(message.count), skBase)
            }
        }
        return signature
    }

    /// Verifies a detached Ed25519 signature.
    ///
    /// - Parameters:
    ///   - signature: The 64-byte signature.
    ///   - message: The signed bytes.
    ///   - publicKey: The signer's 32-byte public key.
    /// - Returns: `true` only if the signature is valid for this message and key (wrong lengths give `false`).
    public static func isValidSignature(_ signature: [UInt8], for message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard signature.count == signatureCount, publicKey.count == publicKeyCount else { return false }
        Sodium.prepare()
        return message.withUnsafeBytes { body in
            withInputPointer(body) { input in
                crypto_sign_verify_detached(signature, input, UInt64(body.count), publicKey) == 0
            }
        }
    }

    /// The X25519 key pair derived from this Ed25519 key pair (`crypto_sign_ed25519_sk_to_curve25519`).
    ///
    /// - Returns: The encryption key pair whose public key equals ``boxPublicKey(fromSigningKey:)`` of ``publicKey``.
    /// - Throws: ``SodiumError/Code/invalidKey`` if the conversion fails.
    public func boxKeyPair() throws(SodiumError) -> BoxKeyPair {
        let boxSecret = SecureBytes(count: BoxKeyPair.secretKeyCount)
        let rc = boxSecret.withUnsafeMutableBytes { out in
            secretKey.withUnsafeBytes { sk -> Int32 in
                guard let outBase = out.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    let skBase = sk.baseAddress?.assumingMemoryBound(to: UInt8.self)
                else { return -1 }
                return crypto_sign_ed25519_sk_to_curve25519(outBase, skBase)
            }
        }
        try SodiumError.check(rc, SodiumError(.invalidKey, "cannot derive an X25519 key from this Ed25519 key"))
        return try BoxKeyPair(secretKey: boxSecret)
    }

    /// Converts an Ed25519 public key into the matching X25519 public key (`crypto_sign_ed25519_pk_to_curve25519`).
    ///
    /// - Parameter publicKey: A 32-byte Ed25519 public key.
    /// - Returns: The X25519 public key to seal to.
    /// - Throws: ``SodiumError/Code/invalidLength`` or ``SodiumError/Code/invalidKey`` (not a valid curve point).
    public static func boxPublicKey(fromSigningKey publicKey: [UInt8]) throws(SodiumError) -> [UInt8] {
        try SodiumError.requireLength("Ed25519 public key", publicKey.count, publicKeyCount)
        Sodium.prepare()
        var boxKey = [UInt8](repeating: 0, count: BoxKeyPair.publicKeyCount)
        let rc = crypto_sign_ed25519_pk_to_curve25519(&boxKey, publicKey)
        try SodiumError.check(rc, SodiumError(.invalidKey, "this Ed25519 public key is not a valid curve point"))
        return boxKey
    }
}

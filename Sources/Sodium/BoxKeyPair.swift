internal import CSodium

/// An X25519 key pair for public-key encryption (sealed boxes and precomputed shared keys).
public struct BoxKeyPair: Sendable {
    /// Public key length in bytes (32).
    public static let publicKeyCount = Int(crypto_box_publickeybytes())
    /// Secret key length in bytes (32).
    public static let secretKeyCount = Int(crypto_box_secretkeybytes())

    /// The public half, safe to publish.
    public let publicKey: [UInt8]
    /// The secret half, in guarded memory.
    public let secretKey: SecureBytes

    /// Generates a fresh key pair.
    public init() {
        Sodium.prepare()
        var publicKey = [UInt8](repeating: 0, count: Self.publicKeyCount)
        let secretKey = SecureBytes(count: Self.secretKeyCount)
        secretKey.withUnsafeMutableBytes { sk in
            guard let skBase = sk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            _ = crypto_box_keypair(&publicKey, skBase)
        }
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Rebuilds a key pair from its secret key (the public key is recomputed).
    ///
    /// - Parameter secretKey: A ``secretKeyCount``-byte X25519 secret key.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong length.
    public init(secretKey: SecureBytes) throws(SodiumError) {
        try SodiumError.requireLength("X25519 secret key", secretKey.count, Self.secretKeyCount)
        Sodium.prepare()
        var publicKey = [UInt8](repeating: 0, count: Self.publicKeyCount)
        let rc = secretKey.withUnsafeBytes { sk -> Int32 in
            guard let skBase = sk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return -1 }
            return crypto_scalarmult_base(&publicKey, skBase)
        }
        try SodiumError.check(rc, SodiumError(.invalidKey, "X25519 secret key is not usable"))
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Computes the public key of an X25519 secret key held in caller-provided memory (one scalar multiplication,
    /// no allocation of guarded memory): for checking many rebuilt keys of one batch against their public keys.
    ///
    /// - Parameter secretKey: A ``secretKeyCount``-byte X25519 secret key (normally a slice of a ``SecureBytes``).
    /// - Returns: The ``publicKeyCount``-byte public key.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong length; ``SodiumError/Code/invalidKey`` if libsodium
    ///   refuses the key.
    public static func publicKey(forSecretKey secretKey: UnsafeRawBufferPointer) throws(SodiumError) -> [UInt8] {
        try SodiumError.requireLength("X25519 secret key", secretKey.count, secretKeyCount)
        Sodium.prepare()
        var publicKey = [UInt8](repeating: 0, count: publicKeyCount)
        let rc = withInputPointer(secretKey) { sk in crypto_scalarmult_base(&publicKey, sk) }
        try SodiumError.check(rc, SodiumError(.invalidKey, "X25519 secret key is not usable"))
        return publicKey
    }

    /// Generates a fresh key pair whose secret key is written into caller-provided guarded memory (a slot of a
    /// ``SecureArena``): one ephemeral key per item of a batch without a guarded allocation each.
    ///
    /// - Parameter secretKey: Receives the ``secretKeyCount``-byte secret key.
    /// - Returns: The public key.
    /// - Throws: ``SodiumError/Code/invalidLength`` if `secretKey` does not have ``secretKeyCount`` bytes.
    public static func generate(secretKeyInto secretKey: UnsafeMutableRawBufferPointer) throws(SodiumError) -> [UInt8] {
        try SodiumError.requireLength("X25519 secret key", secretKey.count, secretKeyCount)
        Sodium.prepare()
        var publicKey = [UInt8](repeating: 0, count: publicKeyCount)
        withOutputPointer(secretKey) { sk in _ = crypto_box_keypair(&publicKey, sk) }
        return publicKey
    }

    /// Checks that `publicKey` has the X25519 public-key length.
    ///
    /// - Parameter publicKey: The candidate key.
    /// - Throws: ``SodiumError/Code/invalidLength`` otherwise.
    static func validatePublicKey(_ publicKey: [UInt8]) throws(SodiumError) {
        try SodiumError.requireLength("X25519 public key", publicKey.count, publicKeyCount)
    }
}

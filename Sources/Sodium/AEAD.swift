internal import CSodium

/// Authenticated encryption with associated data: XChaCha20-Poly1305-IETF with random 192-bit nonces.
///
/// A sealed message is `nonce (24) ‖ ciphertext ‖ tag (16)`. Random nonces this long never collide in practice, so a
/// key may seal any number of messages.
public enum AEAD {
    /// Key length in bytes (32).
    public static let keyCount = Int(crypto_aead_xchacha20poly1305_ietf_keybytes())
    /// Nonce length in bytes (24).
    public static let nonceCount = Int(crypto_aead_xchacha20poly1305_ietf_npubbytes())
    /// Authentication tag length in bytes (16).
    public static let tagCount = Int(crypto_aead_xchacha20poly1305_ietf_abytes())
    /// Bytes a sealed message adds to its plaintext (nonce + tag = 40).
    public static var overhead: Int { nonceCount + tagCount }

    /// Generates a fresh random key in guarded memory.
    ///
    /// - Returns: A 32-byte key.
    public static func generateKey() -> SecureBytes {
        SecureBytes.random(count: keyCount)
    }

    /// Encrypts and authenticates `plaintext`, binding `associatedData` (authenticated, not encrypted).
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to protect.
    ///   - key: A ``keyCount``-byte key.
    ///   - associatedData: Public context the ciphertext is bound to (vault id, entry name, version…).
    /// - Returns: `nonce ‖ ciphertext ‖ tag`.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong key length.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        key: SecureBytes,
        associatedData: [UInt8] = []
    ) throws(SodiumError) -> [UInt8] {
        try SodiumError.requireLength("AEAD key", key.count, keyCount)
        var sealed = [UInt8](repeating: 0, count: plaintext.count + overhead)
        sealed.withUnsafeMutableBytes { out in
            seal(plaintext, keyedBy: key, associatedData: associatedData, into: out)
        }
        return sealed
    }

    /// Encrypts a secret held in guarded memory (see ``seal(_:key:associatedData:)-(UnsafeRawBufferPointer,_,_)``).
    ///
    /// - Parameters:
    ///   - plaintext: The secret to protect.
    ///   - key: A ``keyCount``-byte key.
    ///   - associatedData: Public context the ciphertext is bound to.
    /// - Returns: `nonce ‖ ciphertext ‖ tag`.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong key length.
    public static func seal(
        _ plaintext: SecureBytes,
        key: SecureBytes,
        associatedData: [UInt8] = []
    ) throws(SodiumError) -> [UInt8] {
        try plaintext.withUnsafeBytes { (bytes) throws(SodiumError) in
            try seal(bytes, key: key, associatedData: associatedData)
        }
    }

    /// Encrypts into a caller-provided buffer of exactly `plaintext.count + overhead` bytes (no allocation).
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to protect.
    ///   - key: A ``keyCount``-byte key.
    ///   - associatedData: Public context the ciphertext is bound to.
    ///   - output: Receives `nonce ‖ ciphertext ‖ tag`.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong key or output length.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        key: SecureBytes,
        associatedData: [UInt8] = [],
        into output: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        try SodiumError.requireLength("AEAD key", key.count, keyCount)
        try SodiumError.requireLength("AEAD output", output.count, plaintext.count + overhead)
        seal(plaintext, keyedBy: key, associatedData: associatedData, into: output)
    }

    /// Encrypts with a key held in caller-provided guarded memory (a slot of a ``SecureArena``): the bulk form, no
    /// guarded allocation per key.
    ///
    /// - Parameters:
    ///   - plaintext: The bytes to protect.
    ///   - key: A ``keyCount``-byte key.
    ///   - associatedData: Public context the ciphertext is bound to.
    /// - Returns: `nonce ‖ ciphertext ‖ tag`.
    /// - Throws: ``SodiumError/Code/invalidLength`` for a wrong key length.
    public static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        rawKey key: UnsafeRawBufferPointer,
        associatedData: [UInt8] = []
    ) throws(SodiumError) -> [UInt8] {
        try SodiumError.requireLength("AEAD key", key.count, keyCount)
        var sealed = [UInt8](repeating: 0, count: plaintext.count + overhead)
        sealed.withUnsafeMutableBytes { out in
            seal(plaintext, keyBytes: key, associatedData: associatedData, into: out)
        }
        return sealed
    }

    private static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        keyedBy key: SecureBytes,
        associatedData: [UInt8],
        into out: UnsafeMutableRawBufferPointer
    ) {
        key.withUnsafeBytes { seal(plaintext, keyBytes: $0, associatedData: associatedData, into: out) }
    }

    private static func seal(
        _ plaintext: UnsafeRawBufferPointer,
        keyBytes: UnsafeRawBufferPointer,
        associatedData: [UInt8],
        into out: UnsafeMutableRawBufferPointer
    ) {
        guard let outBase = out.baseAddress?.assumingMemoryBound(to: UInt8.self),
            let keyBase = keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else { return }
        Sodium.fillRandom(UnsafeMutableRawBufferPointer(start: outBase, count: nonceCount))
        _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
            outBase + nonceCount,
            nil,
            plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self),
            UInt64(plaintext.count),  // may be nil when empty
            associatedData,
            UInt64(associatedData.count),
            nil,
            outBase,
            keyBase
        )
    }

    /// Verifies and decrypts a message produced by `seal`.
    ///
    /// - Parameters:
    ///   - sealed: `nonce ‖ ciphertext ‖ tag`.
    ///   - key: The key it was sealed with.
    ///   - associatedData: The same associated data as at sealing.
    /// - Returns: The plaintext in guarded memory.
    /// - Throws: ``SodiumError/Code/authenticationFailed`` if the key, associated data, nonce, ciphertext or tag is
    ///   wrong; ``SodiumError/Code/invalidLength`` if `sealed` is shorter than ``overhead`` or the key length is wrong.
    public static func open(
        _ sealed: [UInt8],
        key: SecureBytes,
        associatedData: [UInt8] = []
    ) throws(SodiumError) -> SecureBytes {
        try sealed.withTypedBytes { (bytes) throws(SodiumError) in
            try open(bytes, key: key, associatedData: associatedData)
        }
    }

    /// Verifies and decrypts into a caller-provided buffer of exactly `sealed.count - overhead` bytes (no allocation:
    /// bulk work decrypts many small secrets into one guarded buffer). On failure `plaintext` is wiped.
    ///
    /// - Parameters:
    ///   - sealed: `nonce ‖ ciphertext ‖ tag`.
    ///   - key: The key it was sealed with.
    ///   - associatedData: The same associated data as at sealing.
    ///   - plaintext: Receives the plaintext (normally a slice of a ``SecureBytes``).
    /// - Throws: ``SodiumError/Code/authenticationFailed``, or ``SodiumError/Code/invalidLength`` for a wrong key,
    ///   sealed or output length.
    public static func open(
        _ sealed: UnsafeRawBufferPointer,
        key: SecureBytes,
        associatedData: [UInt8] = [],
        into plaintext: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        try key.withUnsafeBytes { (keyBytes) throws(SodiumError) in
            try open(sealed, rawKey: keyBytes, associatedData: associatedData, into: plaintext)
        }
    }

    /// Verifies and decrypts with a key held in caller-provided guarded memory, into a caller-provided buffer of
    /// exactly `sealed.count - overhead` bytes (the bulk form: keys and plaintexts in one ``SecureArena``). On failure
    /// `plaintext` is wiped.
    ///
    /// - Parameters:
    ///   - sealed: `nonce ‖ ciphertext ‖ tag`.
    ///   - key: The ``keyCount``-byte key it was sealed with (normally a slot of a ``SecureArena``).
    ///   - associatedData: The same associated data as at sealing.
    ///   - plaintext: Receives the plaintext.
    /// - Throws: ``SodiumError/Code/authenticationFailed``, or ``SodiumError/Code/invalidLength`` for a wrong key,
    ///   sealed or output length.
    public static func open(
        _ sealed: UnsafeRawBufferPointer,
        rawKey key: UnsafeRawBufferPointer,
        associatedData: [UInt8] = [],
        into plaintext: UnsafeMutableRawBufferPointer
    ) throws(SodiumError) {
        try SodiumError.requireLength("AEAD key", key.count, keyCount)
        guard sealed.count >= overhead, let base = sealed.baseAddress?.assumingMemoryBound(to: UInt8.self),
            let keyBase = key.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else {
            throw SodiumError(.invalidLength, "sealed message is too short (\(sealed.count) bytes)")
        }
        try SodiumError.requireLength("AEAD plaintext", plaintext.count, sealed.count - overhead)
        let rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
            plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self),
            nil,
            nil,
            base + nonceCount,
            UInt64(sealed.count - nonceCount),
            associatedData,
            UInt64(associatedData.count),
            base,
            keyBase
        )
        guard rc == 0 else {
            Sodium.memzero(plaintext)
            throw SodiumError(.authenticationFailed, "decryption failed: wrong key, wrong context, or tampered data")
        }
    }

    /// Verifies and decrypts (raw-buffer form of ``open(_:key:associatedData:)-([UInt8],_,_)``).
    ///
    /// - Parameters:
    ///   - sealed: `nonce ‖ ciphertext ‖ tag`.
    ///   - key: The key it was sealed with.
    ///   - associatedData: The same associated data as at sealing.
    /// - Returns: The plaintext in guarded memory.
    /// - Throws: ``SodiumError/Code/authenticationFailed`` or ``SodiumError/Code/invalidLength``.
    public static func open(
        _ sealed: UnsafeRawBufferPointer,
        key: SecureBytes,
        associatedData: [UInt8] = []
    ) throws(SodiumError) -> SecureBytes {
        try SodiumError.requireLength("AEAD key", key.count, keyCount)
        guard sealed.count >= overhead else {
            throw SodiumError(.invalidLength, "sealed message is too short (\(sealed.count) bytes)")
        }
        let plaintext = SecureBytes(count: sealed.count - overhead)
        try plaintext.withUnsafeMutableBytes { (output) throws(SodiumError) in
            try open(sealed, key: key, associatedData: associatedData, into: output)
        }
        return plaintext
    }
}

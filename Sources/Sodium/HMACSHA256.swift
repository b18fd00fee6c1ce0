internal import CSodium

/// HMAC-SHA-256 (`crypto_auth_hmacsha256`), with keys of any length.
public enum HMACSHA256 {
    /// The tag length in bytes (32).
    public static let byteCount = Int(crypto_auth_hmacsha256_bytes())

    /// Computes HMAC-SHA-256 of `message` under `key` into `output`.
    ///
    /// - Parameters:
    ///   - message: The authenticated bytes.
    ///   - key: The key, any length.
    ///   - output: Exactly ``byteCount`` bytes.
    /// - Precondition: `output.count == byteCount`.
    public static func authenticate(
        _ message: UnsafeRawBufferPointer,
        key: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(output.count == byteCount, "HMAC-SHA-256 output must be 32 bytes")
        var state = crypto_auth_hmacsha256_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.memzero($0) } }
        start(&state, key: key)
        update(&state, message)
        finish(&state, into: output)
    }

    /// Computes HMAC-SHA-256 of public data (test vectors, non-secret tags).
    ///
    /// - Parameters:
    ///   - message: The authenticated bytes.
    ///   - key: The key, any length.
    /// - Returns: The 32-byte tag.
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: byteCount)
        message.withUnsafeBytes { m in
            key.withUnsafeBytes { k in
                tag.withUnsafeMutableBytes { authenticate(m, key: k, into: $0) }
            }
        }
        return tag
    }

    // MARK: Incremental interface (for PBKDF2: the keyed state is computed once and copied per block)

    static func start(_ state: inout crypto_auth_hmacsha256_state, key: UnsafeRawBufferPointer) {
        Sodium.prepare()
        withInputPointer(key) { k in _ = crypto_auth_hmacsha256_init(&state, k, key.count) }
    }

    static func update(_ state: inout crypto_auth_hmacsha256_state, _ message: UnsafeRawBufferPointer) {
        withInputPointer(message) { m in _ = crypto_auth_hmacsha256_update(&state, m, UInt64(message.count)) }
    }

    static func finish(_ state: inout crypto_auth_hmacsha256_state, into output: UnsafeMutableRawBufferPointer) {
        withOutputPointer(output) { out in _ = crypto_auth_hmacsha256_final(&state, out) }
    }
}

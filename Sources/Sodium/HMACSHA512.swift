internal import CSodium

/// HMAC-SHA-512 (`crypto_auth_hmacsha512`), with keys of any length (RFC 6238 TOTP with `algorithm=SHA512`).
public enum HMACSHA512 {
    /// The tag length in bytes (64).
    public static let byteCount = Int(crypto_auth_hmacsha512_bytes())

    /// Computes HMAC-SHA-512 of `message` under `key` into `output`.
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
        precondition(output.count == byteCount, "HMAC-SHA-512 output must be 64 bytes")
        Sodium.prepare()
        var state = crypto_auth_hmacsha512_state()
        defer { withUnsafeMutableBytes(of: &state) { Sodium.memzero($0) } }
        withInputPointer(key) { k in _ = crypto_auth_hmacsha512_init(&state, k, key.count) }
        withInputPointer(message) { m in _ = crypto_auth_hmacsha512_update(&state, m, UInt64(message.count)) }
        withOutputPointer(output) { out in _ = crypto_auth_hmacsha512_final(&state, out) }
    }

    /// Computes HMAC-SHA-512 of public data (test vectors, non-secret tags).
    ///
    /// - Parameters:
    ///   - message: The authenticated bytes.
    ///   - key: The key, any length.
    /// - Returns: The 64-byte tag.
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: byteCount)
        message.withUnsafeBytes { m in
            key.withUnsafeBytes { k in
                tag.withUnsafeMutableBytes { authenticate(m, key: k, into: $0) }
            }
        }
        return tag
    }
}

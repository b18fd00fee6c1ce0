internal import CSodium

/// PBKDF2 (RFC 8018) with HMAC-SHA-256 as its PRF, composed from libsodium's HMAC (libsodium has no PBKDF2).
/// SLIP-0039's Feistel round function needs it.
public enum PBKDF2 {
    /// Derives `output.count` bytes from `password` and `salt` with `iterations` rounds.
    ///
    /// - Parameters:
    ///   - password: The password (may contain secret material).
    ///   - salt: The salt.
    ///   - iterations: The iteration count `c` (at least 1).
    ///   - output: Receives the derived key; any length.
    /// - Precondition: `iterations >= 1`.
    /// - Complexity: `2 × iterations × ⌈output.count / 32⌉` SHA-256 compressions (the keyed inner and outer states are
    ///   computed once).
    public static func deriveSHA256(
        password: UnsafeRawBufferPointer,
        salt: UnsafeRawBufferPointer,
        iterations: Int,
        into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(iterations >= 1, "PBKDF2 needs at least one iteration")
        let blockCount = (output.count + HMACSHA256.byteCount - 1) / HMACSHA256.byteCount
        guard blockCount > 0 else { return }
        var keyed = crypto_auth_hmacsha256_state()
        var state = crypto_auth_hmacsha256_state()
        // u: the running U_j; t: the XOR of all U_j (block T_i). Both hold derived key material.
        let scratch = SecureBytes(count: 2 * HMACSHA256.byteCount)
        defer {
            withUnsafeMutableBytes(of: &keyed) { Sodium.memzero($0) }
            withUnsafeMutableBytes(of: &state) { Sodium.memzero($0) }
        }
        HMACSHA256.start(&keyed, key: password)
        scratch.withUnsafeMutableBytes { both in
            let u = UnsafeMutableRawBufferPointer(rebasing: both[0..<HMACSHA256.byteCount])
            let t = UnsafeMutableRawBufferPointer(rebasing: both[HMACSHA256.byteCount...])
            for block in 1...blockCount {
                var index = UInt32(block).bigEndian
                state = keyed
                HMACSHA256.update(&state, salt)
                withUnsafeBytes(of: &index) { HMACSHA256.update(&state, $0) }
                HMACSHA256.finish(&state, into: u)
                t.copyMemory(from: UnsafeRawBufferPointer(u))
                if iterations > 1 {
                    for _ in 2...iterations {
                        state = keyed
                        HMACSHA256.update(&state, UnsafeRawBufferPointer(u))
                        HMACSHA256.finish(&state, into: u)
                        for byte in 0..<HMACSHA256.byteCount { t[byte] ^= u[byte] }
                    }
                }
                let start = (block - 1) * HMACSHA256.byteCount
                let length = min(HMACSHA256.byteCount, output.count - start)
                for byte in 0..<length { output[start + byte] = t[byte] }
            }
        }
    }
}

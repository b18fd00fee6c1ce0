import Sodium

extension Base32 {
    /// Encodes a secret (a TOTP seed being shown on request) as unpadded uppercase base32 in guarded memory, in
    /// constant time: each 5-bit group becomes its character by arithmetic, not by a table lookup.
    ///
    /// - Parameter secret: The bytes.
    /// - Returns: The base32 text (ASCII) in guarded memory.
    public static func encode(_ secret: SecureBytes) -> SecureBytes {
        let length = (secret.count * 8 + 4) / 5
        let output = SecureBytes(count: length)
        secret.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                var accumulator: UInt32 = 0
                var bits: UInt32 = 0
                var written = 0
                func emit(_ value: UInt32) {
                    // 'A' + v for v < 26, '2' + (v - 26) otherwise: add 0x41, then subtract 0x41 - 0x32 + 26 = 41
                    // when v >= 26 (mask from the sign of 25 - v).
                    let isDigit = (25 &- value) >> 31
                    out[written] = UInt8(truncatingIfNeeded: value &+ 0x41 &- (41 & (0 &- isDigit)))
                    written += 1
                }
                for byte in input {
                    accumulator = (accumulator << 8 | UInt32(byte)) & 0xFFFF
                    bits += 8
                    while bits >= 5 {
                        bits -= 5
                        emit(accumulator >> bits & 31)
                    }
                }
                if bits > 0 { emit(accumulator << (5 - bits) & 31) }
                accumulator = 0
            }
        }
        return output
    }
}

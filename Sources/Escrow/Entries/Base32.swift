import Sodium

/// RFC 4648 base32, decoded in constant time into guarded memory (TOTP seeds are secrets).
///
/// Letters may be upper- or lowercase; `=` padding is optional. Spaces and hyphens (as in `JBSW Y3DP EHPK 3PXP`) are
/// skipped: their positions carry no information about the seed. Each character's value is computed with masks, not
/// a table, so neither branches nor memory addresses depend on the seed. Lengths that no byte string encodes to, and
/// non-zero leftover bits, are refused.
public enum Base32 {
    /// Decodes base32 text held in guarded memory.
    ///
    /// - Parameter text: The encoded text (ASCII).
    /// - Returns: The decoded bytes in guarded memory.
    /// - Throws: ``EscrowError/Code/invalidInput`` if the text is not base32 (the message never shows the text).
    public static func decode(_ text: UnsafeRawBufferPointer) throws(EscrowError) -> SecureBytes {
        let output = SecureBytes(count: text.count * 5 / 8 + 1)
        var invalid: UInt32 = 0
        var characters = 0
        var padding = 0
        var written = 0
        var accumulator: UInt32 = 0
        var bits: UInt32 = 0
        output.withUnsafeMutableBytes { out in
            for byte in text {
                // Separators and padding are public formatting.
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") { continue }
                if byte == UInt8(ascii: "=") {
                    padding += 1
                    continue
                }
                invalid |= UInt32(padding > 0 ? 1 : 0)  // data after padding
                let c = UInt32(byte)
                let upper = inRange(c, 0x41, 0x5A)  // A-Z → 0-25
                let lower = inRange(c, 0x61, 0x7A)  // a-z → 0-25
                let digit = inRange(c, 0x32, 0x37)  // 2-7 → 26-31
                let value = (upper &* (c &- 0x41)) | (lower &* (c &- 0x61)) | (digit &* (c &- 0x32 &+ 26))
                invalid |= (upper | lower | digit) ^ 1
                accumulator = (accumulator << 5 | (value & 31)) & 0xFFFF
                bits += 5
                characters += 1
                if bits >= 8 {
                    bits -= 8
                    out[written] = UInt8(truncatingIfNeeded: accumulator >> bits)
                    written += 1
                }
            }
            let leftover = accumulator & ((1 << bits) - 1)  // must be zero
            invalid |= (leftover | (0 &- leftover)) >> 31
            accumulator = 0
        }
        guard invalid == 0, ![1, 3, 6].contains(characters % 8) else {
            throw EscrowError(.invalidInput, "the TOTP seed is not valid base32 (letters A-Z and digits 2-7)")
        }
        guard padding == 0 || (characters + padding) % 8 == 0 else {
            throw EscrowError(.invalidInput, "the TOTP seed's base32 padding is wrong")
        }
        return output.slice(0..<written)
    }

    @inline(__always)
    private static func inRange(_ c: UInt32, _ low: UInt32, _ high: UInt32) -> UInt32 {
        ((c &- low) >> 31 ^ 1) & ((high &- c) >> 31 ^ 1)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes bytes as unpadded uppercase base32 (for tests and for showing public test seeds; not constant time).
    ///
    /// - Parameter bytes: The bytes.
    /// - Returns: The base32 text.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits: UInt32 = 0
        for byte in bytes {
            accumulator = (accumulator << 8 | UInt32(byte)) & 0xFFFF
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int(accumulator >> bits & 31)])
            }
        }
        if bits > 0 { output.append(alphabet[Int(accumulator << (5 - bits) & 31)]) }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Hex and base64 coders whose time and memory accesses do not depend on the bytes coded: no table lookups,
/// no branches on characters (masks instead). Shares are secret, so their text forms are too.
///
/// Validity is accumulated into a flag and only the final yes/no is branched on.
enum ConstantTimeCodec {
    /// All ones if `lower <= value <= upper`, else zero. Branch-free.
    @inline(__always)
    static func inRange(_ value: Int, _ lower: Int, _ upper: Int) -> Int {
        ~(((value &- lower) | (upper &- value)) >> 63)
    }

    /// The lowercase hex digit for a nibble `0...15`.
    @inline(__always)
    static func hexDigit(_ nibble: Int) -> UInt8 {
        // '0' + n, plus 39 more ('a' - '0' - 10) when n > 9.
        UInt8(truncatingIfNeeded: nibble &+ 0x30 &+ (((9 &- nibble) >> 63) & 39))
    }

    /// The value of a hex digit and an all-ones mask if `c` is one (`0-9`, `a-f`, and `A-F` when allowed).
    @inline(__always)
    static func hexValue(_ c: UInt8, allowUppercase: Bool) -> (value: Int, valid: Int) {
        let ci = Int(c)
        let digit = inRange(ci, 0x30, 0x39)
        let lower = inRange(ci, 0x61, 0x66)
        let upper = allowUppercase ? inRange(ci, 0x41, 0x46) : 0
        let value = (digit & (ci &- 0x30)) | (lower & (ci &- 0x57)) | (upper & (ci &- 0x37))
        return (value, digit | lower | upper)
    }

    /// Writes `2 * bytes.count` lowercase hex digits to `out`.
    static func encodeHex(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count == 2 * bytes.count, "hex output must be twice the input")
        for i in 0..<bytes.count {
            let byte = Int(bytes[i])
            out[2 * i] = hexDigit(byte >> 4)
            out[2 * i + 1] = hexDigit(byte & 0x0F)
        }
    }

    /// Decodes `2 * out.count` hex digits; returns false (after writing garbage) if any character is not one.
    static func decodeHex(
        _ text: UnsafeRawBufferPointer,
        into out: UnsafeMutableRawBufferPointer,
        allowUppercase: Bool
    ) -> Bool {
        precondition(text.count == 2 * out.count, "hex input must be twice the output")
        var valid = -1
        for i in 0..<out.count {
            let high = hexValue(text[2 * i], allowUppercase: allowUppercase)
            let low = hexValue(text[2 * i + 1], allowUppercase: allowUppercase)
            valid &= high.valid & low.valid
            out[i] = UInt8(truncatingIfNeeded: (high.value << 4) | low.value)
        }
        return valid != 0
    }

    /// True if every character is a hex digit (constant time in the characters).
    static func isHex(_ text: UnsafeRawBufferPointer, allowUppercase: Bool) -> Bool {
        var valid = -1
        for c in text { valid &= hexValue(c, allowUppercase: allowUppercase).valid }
        return valid != 0
    }

    /// The base64 character (standard alphabet) for a value `0...63`.
    @inline(__always)
    static func base64Digit(_ v: Int) -> UInt8 {
        var c = v &+ 65  // 'A'...'Z'
        c &+= ((25 &- v) >> 63) & 6  // 'a'...'z'
        c &-= ((51 &- v) >> 63) & 75  // '0'...'9'
        c &-= ((61 &- v) >> 63) & 15  // '+'
        c &+= ((62 &- v) >> 63) & 3  // '/'
        return UInt8(truncatingIfNeeded: c)
    }

    /// The value of a base64 character and an all-ones mask if it is one (standard alphabet, no padding).
    @inline(__always)
    static func base64Value(_ c: UInt8) -> (value: Int, valid: Int) {
        let ci = Int(c)
        let upper = inRange(ci, 0x41, 0x5A)
        let lower = inRange(ci, 0x61, 0x7A)
        let digit = inRange(ci, 0x30, 0x39)
        let plus = inRange(ci, 0x2B, 0x2B)
        let slash = inRange(ci, 0x2F, 0x2F)
        let value =
            (upper & (ci &- 65)) | (lower & (ci &- 71)) | (digit & (ci &+ 4)) | (plus & 62) | (slash & 63)
        return (value, upper | lower | digit | plus | slash)
    }

    /// The padded base64 length of `count` bytes.
    static func base64Count(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Writes padded standard base64 of `bytes` (``base64Count(_:)`` characters).
    static func encodeBase64(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count == base64Count(bytes.count), "base64 output has the wrong size")
        var i = 0
        var o = 0
        while i < bytes.count {
            let remaining = bytes.count - i
            let b0 = Int(bytes[i])
            let b1 = remaining > 1 ? Int(bytes[i + 1]) : 0
            let b2 = remaining > 2 ? Int(bytes[i + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            out[o] = base64Digit(group >> 18)
            out[o + 1] = base64Digit((group >> 12) & 63)
            out[o + 2] = remaining > 1 ? base64Digit((group >> 6) & 63) : UInt8(ascii: "=")
            out[o + 3] = remaining > 2 ? base64Digit(group & 63) : UInt8(ascii: "=")
            i += 3
            o += 4
        }
    }

    /// The number of bytes a base64 text decodes to, from its length and trailing `=` only; nil if the length
    /// is impossible. Padding is optional.
    static func base64DecodedCount(_ text: UnsafeRawBufferPointer) -> Int? {
        var length = text.count
        var padding = 0
        while length > 0 && padding < 2 && text[length - 1] == UInt8(ascii: "=") {
            length -= 1
            padding += 1
        }
        if padding > 0 && text.count % 4 != 0 { return nil }
        switch length % 4 {
        case 0: return length / 4 * 3
        case 2: return length / 4 * 3 + 1
        case 3: return length / 4 * 3 + 2
        default: return nil
        }
    }

    /// Decodes base64 (padding optional) into `out`, whose size must be ``base64DecodedCount(_:)``.
    /// Returns false if a character is invalid or the unused low bits of the last character are not zero.
    static func decodeBase64(_ text: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        var length = text.count
        while length > 0 && text[length - 1] == UInt8(ascii: "=") { length -= 1 }
        var valid = -1
        var accumulator = 0
        var bits = 0
        var o = 0
        for i in 0..<length {
            let digit = base64Value(text[i])
            valid &= digit.valid
            accumulator = (accumulator << 6 | digit.value) & 0xFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                if o < out.count { out[o] = UInt8(truncatingIfNeeded: accumulator >> bits) }
                o += 1
            }
        }
        // Canonical encodings leave the leftover bits zero.
        let leftover = accumulator & ((1 << bits) - 1)
        valid &= ~((0 &- leftover) >> 63)
        return valid != 0 && o == out.count
    }
}

/// Hex and base64 coders whose time and memory accesses do not depend on the bytes coded: no table lookups,
/// no branches on characters (masks instead). Shares are secret, so their text forms are too.
///
/// Validity is accumulated into a flag and only the final yes/no is branched on, through
/// ``ConstantTime/declassify(_:)``. So are the checks for `=` padding at the end of a base64 text: a base64 digit is
/// never `=`, so their outcome depends on the padding alone, which carries no bits of the data.
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

    /// The lowercase hex digits of sixteen nibbles `0...15`, lane by lane, with vector masks.
    @inline(__always)
    static func hexDigits(_ nibbles: SIMD16<UInt8>) -> SIMD16<UInt8> {
        // 9 - n borrows (sets the top bit) exactly when n > 9; the smeared borrow selects the 39 that reaches 'a'.
        let above9 = SIMD16<UInt8>.zero &- ((SIMD16<UInt8>(repeating: 9) &- nibbles) &>> 7)
        return nibbles &+ SIMD16<UInt8>(repeating: 0x30) &+ (above9 & SIMD16<UInt8>(repeating: 39))
    }

    /// Writes `2 * bytes.count` lowercase hex digits to `out`.
    ///
    /// Sixteen bytes at a time on `SIMD16<UInt8>` lanes, the last partial group through a zero-padded copy. The
    /// scalar ``hexDigit(_:)`` in this loop was compiled (release, x86-64) to a conditional jump on every nibble of
    /// the last bytes, found by the constant-time check (`ConstantTime/`); lane-wise vector code has no jumps.
    static func encodeHex(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count == 2 * bytes.count, "hex output must be twice the input")
        var block = SIMD16<UInt8>.zero
        var start = 0
        while start < bytes.count {
            let n = min(16, bytes.count - start)
            block = .zero
            withUnsafeMutableBytes(of: &block) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + n)]))
            }
            let high = hexDigits(block &>> 4)
            let low = hexDigits(block & SIMD16<UInt8>(repeating: 0x0F))
            for i in 0..<n {
                out[2 * (start + i)] = high[i]
                out[2 * (start + i) + 1] = low[i]
            }
            start += n
        }
        withUnsafeMutableBytes(of: &block) { Wipe.zero($0) }
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
        return ConstantTime.declassify(valid != 0)
    }

    /// True if every character is a hex digit (constant time in the characters).
    static func isHex(_ text: UnsafeRawBufferPointer, allowUppercase: Bool) -> Bool {
        var valid = -1
        for c in text { valid &= hexValue(c, allowUppercase: allowUppercase).valid }
        return ConstantTime.declassify(valid != 0)
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
        while length > 0 && padding < 2 && ConstantTime.declassify(text[length - 1] == UInt8(ascii: "=")) {
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

    /// Whether `text` is canonical base64 (padding optional): a possible length, only alphabet characters, and zero
    /// unused bits in the last character. Nothing is decoded anywhere; the loop is the same for every character.
    static func isBase64(_ text: UnsafeRawBufferPointer) -> Bool {
        guard base64DecodedCount(text) != nil else { return false }
        // At most two `=` are padding (as in base64DecodedCount); any other `=` is an invalid character.
        var length = text.count
        var padding = 0
        while length > 0 && padding < 2 && ConstantTime.declassify(text[length - 1] == UInt8(ascii: "=")) {
            length -= 1
            padding += 1
        }
        var valid = -1
        var last = 0
        for i in 0..<length {
            let digit = base64Value(text[i])
            valid &= digit.valid
            last = digit.value
        }
        // 2 or 3 characters in the last group leave 4 or 2 unused low bits.
        let unusedMask = [0, 0, 0xF, 0x3][length % 4]
        valid &= ~((0 &- (last & unusedMask)) >> 63)
        return ConstantTime.declassify(valid != 0)
    }

    /// Decodes base64 (padding optional) into `out`, whose size must be ``base64DecodedCount(_:)``.
    /// Returns false if a character is invalid or the unused low bits of the last character are not zero.
    static func decodeBase64(_ text: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        var length = text.count
        while length > 0 && ConstantTime.declassify(text[length - 1] == UInt8(ascii: "=")) { length -= 1 }
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
        return ConstantTime.declassify(valid != 0) && o == out.count
    }
}

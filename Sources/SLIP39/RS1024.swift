/// The RS1024 checksum of SLIP-0039: a Reed–Solomon code over GF(1024) (modulus x¹⁰ + x³ + 1) whose generator
/// has the roots a, a², a³. Three check words detect any error in up to three words.
///
/// The customization string (`"shamir"` or `"shamir_extendable"`) is fed in as values before the data, so a
/// mnemonic of one kind never verifies as the other. The arithmetic is branch-free: word values are share data.
enum RS1024 {
    /// The generator table of the BCH view of the code (the published constants of SLIP-0039).
    private static let generator: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x00E0_E040, 0x01C1_C080, 0x0383_8100, 0x0707_0200, 0x0E0E_0009,
        0x1C0C_2412, 0x3808_6C24, 0x3090_FC48, 0x21B1_F890, 0x03F3_F120
    )

    /// Feeds one 10-bit value into the running remainder.
    @inline(__always)
    private static func step(_ checksum: UInt32, _ value: UInt32) -> UInt32 {
        let top = checksum >> 20
        var next = ((checksum & 0xF_FFFF) << 10) ^ value
        // Each bit of `top` selects one generator entry, with a mask instead of a branch.
        next ^= generator.0 & (0 &- (top & 1))
        next ^= generator.1 & (0 &- ((top >> 1) & 1))
        next ^= generator.2 & (0 &- ((top >> 2) & 1))
        next ^= generator.3 & (0 &- ((top >> 3) & 1))
        next ^= generator.4 & (0 &- ((top >> 4) & 1))
        next ^= generator.5 & (0 &- ((top >> 5) & 1))
        next ^= generator.6 & (0 &- ((top >> 6) & 1))
        next ^= generator.7 & (0 &- ((top >> 7) & 1))
        next ^= generator.8 & (0 &- ((top >> 8) & 1))
        next ^= generator.9 & (0 &- ((top >> 9) & 1))
        return next
    }

    /// The remainder after the customization string, the `data` words and `zeroCount` zero words.
    private static func remainder(customization: [UInt8], data: UnsafeBufferPointer<UInt16>, zeroCount: Int) -> UInt32 {
        var checksum: UInt32 = 1
        for byte in customization { checksum = step(checksum, UInt32(byte)) }
        for word in data { checksum = step(checksum, UInt32(word)) }
        for _ in 0..<zeroCount { checksum = step(checksum, 0) }
        return checksum
    }

    /// Writes the three checksum words of `data` into `checksum`.
    ///
    /// - Parameters:
    ///   - data: The data words (everything before the checksum), each below 1024.
    ///   - customization: The customization string.
    ///   - checksum: Exactly three words, most significant first.
    static func writeChecksum(
        of data: UnsafeBufferPointer<UInt16>,
        customization: [UInt8],
        into checksum: UnsafeMutableBufferPointer<UInt16>
    ) {
        precondition(checksum.count == SLIP39.checksumWordCount, "RS1024 writes exactly three words")
        let value = remainder(customization: customization, data: data, zeroCount: SLIP39.checksumWordCount) ^ 1
        checksum[0] = UInt16(truncatingIfNeeded: (value >> 20) & 0x3FF)
        checksum[1] = UInt16(truncatingIfNeeded: (value >> 10) & 0x3FF)
        checksum[2] = UInt16(truncatingIfNeeded: value & 0x3FF)
    }

    /// Whether `words` (data followed by its three checksum words) carry a valid checksum.
    ///
    /// - Parameters:
    ///   - words: The whole mnemonic as word indices.
    ///   - customization: The customization string.
    /// - Returns: `true` if the checksum verifies.
    static func isValid(_ words: UnsafeBufferPointer<UInt16>, customization: [UInt8]) -> Bool {
        remainder(customization: customization, data: words, zeroCount: 0) == 1
    }
}

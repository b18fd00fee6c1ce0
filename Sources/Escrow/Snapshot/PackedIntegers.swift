/// Tables of integers in a fold snapshot packed as one block of unsigned LEB128 numbers, decoded in one tight pass
/// (a graph of 100,000 events has several such tables, and a call per number would cost more than the numbers).
enum PackedIntegers {
    /// Appends `value` (non-negative) as unsigned LEB128.
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        var rest = UInt64(max(value, 0))
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends `value` zigzag-encoded (small magnitudes of either sign take few bytes).
    static func appendSigned(_ value: Int64, to bytes: inout [UInt8]) {
        let zigzag = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var rest = zigzag
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Decodes exactly `count` unsigned numbers, each below 2^40, filling all of `bytes`.
    ///
    /// - Throws: ``EscrowError/Code/malformedFile`` if the block holds another count of numbers, or one too large.
    static func decode(_ bytes: [UInt8], count: Int) throws(EscrowError) -> [Int] {
        var tooLarge = false
        let values = try decodeRaw(bytes, count: count) { raw in
            if raw > 1 << 40 { tooLarge = true }
            return Int(truncatingIfNeeded: raw)
        }
        guard !tooLarge else { throw malformed("a count is too large") }
        return values
    }

    /// Decodes exactly `count` zigzag-encoded numbers filling all of `bytes`.
    ///
    /// - Throws: ``EscrowError/Code/malformedFile`` if the block holds another count of numbers.
    static func decodeSigned(_ bytes: [UInt8], count: Int) throws(EscrowError) -> [Int64] {
        try decodeRaw(bytes, count: count) { Int64(bitPattern: $0 >> 1) ^ -Int64(bitPattern: $0 & 1) }
    }

    private static func malformed(_ what: String) -> EscrowError {
        EscrowError(.malformedFile, "the fold snapshot is malformed (\(what))")
    }

    private static func decodeRaw<Value>(
        _ bytes: [UInt8],
        count: Int,
        _ convert: (UInt64) -> Value
    ) throws(EscrowError) -> [Value] {
        // Each number takes at least one byte.
        guard count >= 0, count <= bytes.count else { throw malformed("a table holds too few numbers") }
        var values = [Value]()
        values.reserveCapacity(count)
        let ended: Int? = bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            for _ in 0..<count {
                var value: UInt64 = 0
                var shift: UInt64 = 0
                while true {
                    guard offset < buffer.count, shift <= 63 else { return nil }
                    let byte = buffer[offset]
                    offset += 1
                    value |= UInt64(byte & 0x7F) << shift
                    if byte & 0x80 == 0 { break }
                    shift += 7
                }
                values.append(convert(value))
            }
            return offset
        }
        guard ended == bytes.count else { throw malformed("a table of numbers is malformed") }
        return values
    }
}

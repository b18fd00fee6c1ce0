/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), computed bit by bit with masks instead of a table,
/// so that its timing does not depend on the (secret) share bytes it covers.
///
/// Guarantees for the native share line: every error confined to 32 consecutive bits is detected, which includes
/// any single changed character and any swap of two adjacent characters.
public struct CRC32: Sendable {
    private var state: UInt32 = 0xFFFF_FFFF

    /// Starts a checksum.
    public init() {}

    /// Adds bytes to the checksum.
    ///
    /// - Parameter bytes: The next bytes of the message.
    /// - Complexity: O(`bytes.count`), about 30 operations per byte.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc &>> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1)))
            }
        }
        state = crc
    }

    /// The checksum of everything added so far.
    public var value: UInt32 { ~state }

    /// The CRC-32 of `bytes`.
    ///
    /// - Parameter bytes: The message.
    /// - Returns: The checksum.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}

/// A 128-bit Fletcher-style checksum for binary share files: over the little-endian 32-bit words `w_1…w_m`
/// of the data (zero-padded), `a = Σ w_i` and `b = Σ (m − i + 1) • w_i`, both modulo 2^64.
///
/// Every change of one word changes `a`; exchanging or re-weighting words changes `b`. It detects damage and
/// truncation, not tampering (the split identifier and the escrow layer handle provenance). Additions only: no
/// table, no data-dependent branch; the bulk runs on four 64-bit lanes at memory speed.
public struct FileChecksum: Sendable, Equatable {
    /// The running sum of words.
    public private(set) var a: UInt64 = 0
    /// The running sum of `a` after each word.
    public private(set) var b: UInt64 = 0
    /// The number of whole words added (modulo 2^64), for ``followed(by:)``.
    private var wordCount: UInt64 = 0
    private var pending: UInt32 = 0
    private var pendingCount = 0

    /// Starts a checksum.
    public init() {}

    /// Adds bytes.
    ///
    /// - Parameter bytes: The next bytes of the file.
    /// - Complexity: O(`bytes.count`).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var index = 0
        let count = bytes.count
        // Complete a partial word left by the previous update.
        while pendingCount > 0 && index < count {
            addByte(bytes[index])
            index += 1
        }
        #if _endian(little)
            if count - index >= 64 {
                index += addVectorBlocks(base + index, blockCount: (count - index) / 16)
            }
        #endif
        var sumA = a
        var sumB = b
        var words: UInt64 = 0
        while index + 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            sumA &+= word & 0xFFFF_FFFF
            sumB &+= sumA
            sumA &+= word &>> 32
            sumB &+= sumA
            words &+= 2
            index += 8
        }
        a = sumA
        b = sumB
        wordCount &+= words
        while index < count {
            addByte(bytes[index])
            index += 1
        }
    }

    /// Adds `blockCount` 16-byte blocks (four words each) on four lanes; returns the bytes consumed.
    ///
    /// Per lane *j* (word *j* of each block), `sums[j]` is the sum of its words and `prefixes[j]` the sum, over the
    /// blocks, of `sums[j]` before the block. For N blocks (`4N` words) from the state (a, b):
    /// `a' = a + Σ sums`, `b' = b + 4N•a + 4•Σ prefixes + Σ (4 − j)•sums[j]`, all modulo 2^64 — the same value as
    /// the word-by-word recurrence.
    private mutating func addVectorBlocks(_ base: UnsafeRawPointer, blockCount: Int) -> Int {
        var sumsLow = SIMD2<UInt64>.zero  // lanes 0, 2
        var sumsHigh = SIMD2<UInt64>.zero  // lanes 1, 3
        var prefixesLow = SIMD2<UInt64>.zero
        var prefixesHigh = SIMD2<UInt64>.zero
        let lowHalf = SIMD2<UInt64>(repeating: 0xFFFF_FFFF)
        var offset = 0
        for _ in 0..<blockCount {
            // Two 64-bit loads of two words each: words 0/1 and 2/3 (little-endian).
            let block = base.loadUnaligned(fromByteOffset: offset, as: SIMD2<UInt64>.self)
            prefixesLow &+= sumsLow
            prefixesHigh &+= sumsHigh
            sumsLow &+= block & lowHalf  // words 0 and 2
            sumsHigh &+= block &>> 32  // words 1 and 3
            offset += 16
        }
        let n = UInt64(truncatingIfNeeded: blockCount)
        let s0 = sumsLow[0]
        let s2 = sumsLow[1]
        let s1 = sumsHigh[0]
        let s3 = sumsHigh[1]
        let prefixes = prefixesLow[0] &+ prefixesLow[1] &+ prefixesHigh[0] &+ prefixesHigh[1]
        b = b &+ 4 &* n &* a &+ 4 &* prefixes &+ 4 &* s0 &+ 3 &* s1 &+ 2 &* s2 &+ s3
        a = a &+ s0 &+ s1 &+ s2 &+ s3
        wordCount &+= 4 &* n
        return offset
    }

    private mutating func addByte(_ byte: UInt8) {
        pending |= UInt32(byte) << UInt32(8 * pendingCount)
        pendingCount += 1
        if pendingCount == 4 {
            addWord(pending)
            pending = 0
            pendingCount = 0
        }
    }

    private mutating func addWord(_ word: UInt32) {
        a &+= UInt64(word)
        b &+= a
        wordCount &+= 1
    }

    /// The checksum of this checksum's data followed by `other`'s data, without re-reading either.
    ///
    /// Lets a writer checksum a payload of unknown length first and prepend the header (which records the
    /// length) afterwards: `(a, b)` followed by M words with sums `(a₂, b₂)` gives `(a + a₂, b + M•a + b₂)`.
    ///
    /// - Parameter other: The checksum of the data that follows.
    /// - Returns: The checksum of the concatenation.
    /// - Precondition: This checksum covers a whole number of 4-byte words.
    public func followed(by other: FileChecksum) -> FileChecksum {
        precondition(pendingCount == 0, "the leading data must be a whole number of 4-byte words")
        var result = other
        result.a = a &+ other.a
        result.b = b &+ other.wordCount &* a &+ other.b
        result.wordCount = wordCount &+ other.wordCount
        return result
    }

    /// The 16-byte checksum (`a` then `b`, little-endian) of everything added, a final partial word zero-padded.
    public var bytes: [UInt8] {
        var copy = self
        if copy.pendingCount > 0 { copy.addWord(copy.pending) }
        var out = [UInt8]()
        out.reserveCapacity(16)
        for value in [copy.a, copy.b] {
            for shift in stride(from: 0, to: 64, by: 8) {
                out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            }
        }
        return out
    }
}

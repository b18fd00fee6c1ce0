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
/// table, no data-dependent branch, several GB/s.
public struct FileChecksum: Sendable, Equatable {
    /// The running sum of words.
    public private(set) var a: UInt64 = 0
    /// The running sum of `a` after each word.
    public private(set) var b: UInt64 = 0
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
        while pendingCount > 0 && pendingCount < 4 && index < count {
            pending |= UInt32(bytes[index]) << UInt32(8 * pendingCount)
            pendingCount += 1
            index += 1
            if pendingCount == 4 {
                addWord(pending)
                pending = 0
                pendingCount = 0
            }
        }
        var sumA = a
        var sumB = b
        while index + 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            sumA &+= word & 0xFFFF_FFFF
            sumB &+= sumA
            sumA &+= word &>> 32
            sumB &+= sumA
            index += 8
        }
        a = sumA
        b = sumB
        while index < count {
            pending |= UInt32(bytes[index]) << UInt32(8 * pendingCount)
            pendingCount += 1
            index += 1
            if pendingCount == 4 {
                addWord(pending)
                pending = 0
                pendingCount = 0
            }
        }
    }

    private mutating func addWord(_ word: UInt32) {
        a &+= UInt64(word)
        b &+= a
    }

    /// The 16-byte checksum (`a` then `b`, little-endian) of everything added, a final partial word zero-padded.
    public var bytes: [UInt8] {
        var copy = self
        if copy.pendingCount > 0 { copy.addWord(copy.pending) }
        var out = [UInt8]()
        out.reserveCapacity(16)
        for value in [copy.a, copy.b] {
            for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        return out
    }
}

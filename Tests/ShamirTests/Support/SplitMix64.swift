import Shamir

/// A deterministic random source (SplitMix64) so that splits are byte-exact in tests.
struct SplitMix64: RandomSource, RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var index = 0
        while index < buffer.count {
            var word = next()
            for _ in 0..<8 where index < buffer.count {
                buffer[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
    }
}

/// Counts the bytes drawn, to check how much randomness a split consumes.
struct CountingSource: RandomSource {
    var inner: SplitMix64
    var drawn = 0
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        drawn += buffer.count
        inner.fill(buffer)
    }
}

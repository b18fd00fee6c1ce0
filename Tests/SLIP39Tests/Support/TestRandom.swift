import Shamir

/// The fake generator of `split_secret_fake_rng.json`: every call for n bytes returns (17 × i) mod 256,
/// i = 0..<n, starting again at 0 on each call.
struct FakeRandom: RandomSource {
    private(set) var calls: [Int] = []
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        calls.append(buffer.count)
        for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: 17 * i) }
    }
}

extension SplitMix64: RandomSource {
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: next()) }
    }
}

import Testing

@testable import Shamir

/// Pearson's chi-square statistic of byte counts against the uniform distribution (255 degrees of freedom).
private func chiSquare(_ bytes: [UInt8]) -> Double {
    var counts = [Int](repeating: 0, count: 256)
    for b in bytes { counts[Int(b)] += 1 }
    let expected = Double(bytes.count) / 256
    return counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
}

/// The 0.1% critical value of chi-square with 255 degrees of freedom.
private let critical = 330.5

@Suite struct UniformityTests {
    /// For k = 2 a share byte is `s + c • x` with `c` uniform: uniform whatever the secret. A coefficient forced
    /// non-zero would never produce the byte `s`, which the statistic sees at once (checked below).
    @Test(arguments: [UInt8(0x00), 0x42, 0xFF])
    func sharesOfAConstantSecretAreUniform(secretByte: UInt8) throws {
        var rng = SplitMix64(seed: UInt64(secretByte) + 1000)
        let secret = [UInt8](repeating: secretByte, count: 131_072)
        let shares = try Shamir.split(secret, threshold: 2, shareCount: 3, using: &rng)
        for share in shares {
            #expect(chiSquare(share.y) < critical, "x = \(share.x)")
        }
    }

    @Test func theStatisticCatchesAForcedNonZeroCoefficient() {
        // The same experiment with c drawn from 1...255: the byte equal to the secret never occurs.
        var rng = SplitMix64(seed: 5)
        let secretByte: UInt8 = 0x42
        let biased = (0..<131_072).map { _ -> UInt8 in
            let c = UInt8(1 + rng.next() % 255)
            return secretByte ^ GF256.multiply(c, 3)
        }
        #expect(chiSquare(biased) > critical)
    }
}

import Shamir
import Sodium
import Testing

@testable import Escrow

/// Pearson's chi-square statistic of byte counts against the uniform distribution (255 degrees of freedom).
private func chiSquare(_ samples: [UInt8]) -> Double {
    var counts = [Int](repeating: 0, count: 256)
    for sample in samples { counts[Int(sample)] += 1 }
    let expected = Double(samples.count) / 256
    return counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
}

/// The two-sample chi-square statistic of homogeneity for equally many samples: `Σ (a_i − b_i)² / (a_i + b_i)` over
/// the byte values seen, 255 degrees of freedom when every value is seen.
private func homogeneity(_ a: [UInt8], _ b: [UInt8]) -> Double {
    precondition(a.count == b.count, "equal sample sizes")
    var countsA = [Int](repeating: 0, count: 256)
    var countsB = [Int](repeating: 0, count: 256)
    for sample in a { countsA[Int(sample)] += 1 }
    for sample in b { countsB[Int(sample)] += 1 }
    return zip(countsA, countsB).reduce(0) { sum, pair in
        let total = pair.0 + pair.1
        guard total > 0 else { return sum }
        let difference = Double(pair.0 - pair.1)
        return sum + difference * difference / Double(total)
    }
}

/// The upper 0.1% point of chi-square with 255 degrees of freedom: a correct implementation fails one run in a
/// thousand seeds; the seeds below are fixed, so the outcome is deterministic.
private let critical = 330.5
/// Samples per histogram: 25 expected per byte value (each sample costs three guarded allocations).
private let sampleCount = 6_400

/// Sub-shares a component of 32 × `byte` `sampleCount` times (in batches: every component gets its own fresh
/// polynomials) and returns `statistic` of each component's new shares.
private func sample(
    componentByte byte: UInt8,
    newThreshold: Int,
    seed: UInt8,
    statistic: ([UInt8: [UInt8]]) throws -> UInt8
) throws -> [UInt8] {
    var random = try deterministicRandom(seed)
    // Components of one call need distinct paths: path [i] stands for "the component from level contributor i".
    let batch = 250
    let components = (1...batch).map {
        ShareComponent(path: [UInt8($0)], value: CustodyFixture.key(repeating: byte))
    }
    var samples: [UInt8] = []
    samples.reserveCapacity(sampleCount)
    while samples.count < sampleCount {
        let output = try Redistributor.subShare(
            components: components,
            contributorX: 1,
            newThreshold: newThreshold,
            newHolders: [1, 2, 3],
            using: &random
        )
        for index in 0..<batch {
            var values: [UInt8: [UInt8]] = [:]
            for (x, components) in output { values[x] = bytes(components[index].value) }
            samples.append(try statistic(values))
        }
    }
    return Array(samples.prefix(sampleCount))
}

/// The first byte of the share at x = 1.
private func firstShare(_ values: [UInt8: [UInt8]]) -> UInt8 { values[1]?.first ?? 0 }

/// The first byte of the Lagrange combination at 0 of the shares at x = 1 and 2: the key itself when two shares are
/// a quorum, uniform noise otherwise.
private func pairAtZero(_ values: [UInt8: [UInt8]]) throws -> UInt8 {
    let combined = try Shamir.combine([
        Share(x: 1, y: [values[1]?.first ?? 0]),
        Share(x: 2, y: [values[2]?.first ?? 0]),
    ])
    return combined.first ?? 0
}

extension CustodyTests {
    @Suite struct StatisticsTests {
        @Test(arguments: [UInt8(0x00), 0xFF])
        func newSharesAreUniformWhateverTheComponent(componentByte: UInt8) throws {
            let samples = try sample(componentByte: componentByte, newThreshold: 3, seed: 81, statistic: firstShare)
            #expect(chiSquare(samples) < critical, "component byte \(componentByte)")
        }

        /// Two shares of a 3-of-3 sub-sharing: the same distribution for a component of 0x00… and of 0xFF…, both
        /// for one share and for the combination of two.
        @Test func fewerThanThresholdSharesLookTheSameForTwoKeys() throws {
            let zeros = try sample(componentByte: 0x00, newThreshold: 3, seed: 82, statistic: pairAtZero)
            let ones = try sample(componentByte: 0xFF, newThreshold: 3, seed: 83, statistic: pairAtZero)
            #expect(chiSquare(zeros) < critical)
            #expect(chiSquare(ones) < critical)
            #expect(homogeneity(zeros, ones) < critical)
            let singleZeros = try sample(componentByte: 0x00, newThreshold: 3, seed: 84, statistic: firstShare)
            let singleOnes = try sample(componentByte: 0xFF, newThreshold: 3, seed: 85, statistic: firstShare)
            #expect(homogeneity(singleZeros, singleOnes) < critical)
        }

        /// The control: with threshold 2 the same two shares are a quorum, and the same statistics see the key at
        /// once. (So the tests above can fail.)
        @Test func theStatisticsSeeTheKeyThroughAQuorum() throws {
            let zeros = try sample(componentByte: 0x00, newThreshold: 2, seed: 86, statistic: pairAtZero)
            let ones = try sample(componentByte: 0xFF, newThreshold: 2, seed: 87, statistic: pairAtZero)
            #expect(zeros.allSatisfy { $0 == 0x00 })
            #expect(ones.allSatisfy { $0 == 0xFF })
            #expect(chiSquare(zeros) > critical)
            #expect(homogeneity(zeros, ones) > critical)
        }
    }
}

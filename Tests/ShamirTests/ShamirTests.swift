import Testing

@testable import Shamir

/// A scalar, allocation-heavy split used as the independent reference: coefficient bytes come from the raw
/// random blocks through the documented plane layout (`coefficientBytes(fromRawBlock:)`).
private func referenceSplit(_ secret: [UInt8], threshold: Int, xs: [UInt8], seed: UInt64) -> [[UInt8]] {
    var rng = SplitMix64(seed: seed)
    let blocks = (secret.count + 127) / 128
    let degree = threshold - 1
    let chunk = Shamir.blocksPerChunk(threshold: threshold)
    // coefficients[t][p] for t = 1...degree
    var coefficients = [[UInt8]](repeating: [], count: degree + 1)
    var block = 0
    while block < blocks {
        let count = min(chunk, blocks - block)
        var raw = [UInt8](repeating: 0, count: count * degree * 128)
        raw.withUnsafeMutableBytes { rng.fill($0) }
        for b in 0..<count {
            for t in 1...degree {
                let start = (b * degree + t - 1) * 128
                coefficients[t] += coefficientBytes(fromRawBlock: Array(raw[start..<(start + 128)]))
            }
        }
        block += count
    }
    return xs.map { x in
        secret.indices.map { p in
            var value: UInt8 = 0
            for t in stride(from: degree, through: 1, by: -1) {
                value = referenceMultiply(value ^ coefficients[t][p], x)
            }
            return value ^ secret[p]
        }
    }
}

@Suite struct ShamirTests {
    @Test(arguments: [(2, 2), (2, 3), (3, 5), (4, 7), (5, 5), (5, 9)])
    func everyThresholdSubsetRecoversAndSmallerOnesDoNot(k: Int, n: Int) throws {
        var rng = SplitMix64(seed: UInt64(k * 100 + n))
        var secret = [UInt8](repeating: 0, count: 300)  // two full blocks and a tail
        secret.withUnsafeMutableBytes { rng.fill($0) }
        let shares = try Shamir.split(secret, threshold: k, shareCount: n, using: &rng)
        #expect(shares.map(\.x) == (1...n).map { UInt8($0) })
        for subset in subsets(of: n, size: k) {
            #expect(try Shamir.combine(subset.map { shares[$0] }) == secret, "subset \(subset)")
        }
        for subset in subsets(of: n, size: k - 1) where subset.count >= 2 {
            #expect(try Shamir.combine(subset.map { shares[$0] }) != secret, "k-1 subset \(subset)")
        }
        // All n points lie on one polynomial of degree < k: the first k predict every other share.
        for extra in shares.dropFirst(k) {
            #expect(try Shamir.interpolate(at: extra.x, Array(shares.prefix(k))) == extra.y)
        }
    }

    @Test(arguments: [1, 2, 31, 32, 127, 128, 129, 1000, 4096 + 77])
    func bitslicedSplitEqualsScalarReference(length: Int) throws {
        for (k, xs) in [(2, [1, 2, 3] as [UInt8]), (3, [1, 2, 3, 4, 5]), (4, [200, 7, 255, 1, 90])] {
            var rng = SplitMix64(seed: 5)
            var secret = [UInt8](repeating: 0, count: length)
            secret.withUnsafeMutableBytes { rng.fill($0) }
            var splitRNG = SplitMix64(seed: 42)
            let shares = try Shamir.split(secret, threshold: k, xs: xs, using: &splitRNG)
            #expect(shares.map(\.y) == referenceSplit(secret, threshold: k, xs: xs, seed: 42), "k=\(k) len=\(length)")
        }
    }

    @Test func combineEqualsScalarReferenceForRandomWeights() throws {
        var rng = SplitMix64(seed: 3)
        for length in [1, 100, 128, 333] {
            for count in [1, 2, 3, 8] {
                var xs = [UInt8]()
                while xs.count < count {
                    let x = UInt8(truncatingIfNeeded: rng.next())
                    if !xs.contains(x) { xs.append(x) }
                }
                let rows: [Share] = xs.map { x in
                    var y = [UInt8](repeating: 0, count: length)
                    y.withUnsafeMutableBytes { rng.fill($0) }
                    return Share(x: x, y: y)
                }
                let at = UInt8(truncatingIfNeeded: rng.next())
                let weights = Shamir.lagrangeWeights(at: at, xs: xs)
                let expected = (0..<length).map { p in
                    rows.indices.reduce(UInt8(0)) { $0 ^ referenceMultiply(rows[$1].y[p], weights[$1]) }
                }
                #expect(try Shamir.interpolate(at: at, rows) == expected)
            }
        }
    }

    @Test func interpolateAtAKnownCoordinateReturnsThatRowAndZeroIsAllowed() throws {
        let rows = [Share(x: 0, y: [1, 2, 3]), Share(x: 255, y: [4, 5, 6]), Share(x: 254, y: [7, 8, 9])]
        #expect(try Shamir.interpolate(at: 255, rows) == [4, 5, 6])
        #expect(try Shamir.interpolate(at: 0, rows) == [1, 2, 3])
        #expect(try Shamir.interpolate(at: 9, [Share(x: 3, y: [42])]) == [42])  // one point: a constant
    }

    @Test func secretsWithZeroEdgesAndSizes() throws {
        var rng = SplitMix64(seed: 8)
        let cases: [[UInt8]] = [
            [0], [0xFF], [0, 0, 0, 1], [1, 0, 0, 0], [0, 0x42, 0], [UInt8](repeating: 0, count: 129),
        ]
        for secret in cases {
            let shares = try Shamir.split(secret, threshold: 3, shareCount: 4, using: &rng)
            #expect(try Shamir.combine([shares[3], shares[0], shares[2]]) == secret)
            #expect(shares.allSatisfy { $0.y.count == secret.count })
        }
    }

    @Test func multiMegabyteSecretRoundTrips() throws {
        var rng = SplitMix64(seed: 9)
        let length = 3 * 1_048_576 + 5
        var secret = [UInt8](repeating: 0, count: length)
        secret.withUnsafeMutableBytes { rng.fill($0) }
        let xs: [UInt8] = [17, 3, 250]
        var rows = [UInt8](repeating: 0, count: 3 * length)
        try secret.withUnsafeBytes { s in
            try rows.withUnsafeMutableBytes { (r) in
                try Shamir.split(s, threshold: 2, xs: xs, into: r, using: &rng)
            }
        }
        var recovered = [UInt8](repeating: 0, count: length)
        try rows.withUnsafeBytes { r in
            let lastTwo = UnsafeRawBufferPointer(rebasing: r[length...])
            try recovered.withUnsafeMutableBytes { (out) in
                try Shamir.combine(xs: [3, 250], rows: lastTwo, into: out)
            }
        }
        #expect(recovered == secret)
    }

    /// Known answers: fixed seed, fixed output (regression against the verified reference above).
    @Test func deterministicKnownAnswerSplits() throws {
        var rng = SplitMix64(seed: 0x5EED)
        let shares = try Shamir.split(Array("escrow".utf8), threshold: 2, shareCount: 3, using: &rng)
        #expect(shares.map(\.y) == referenceSplit(Array("escrow".utf8), threshold: 2, xs: [1, 2, 3], seed: 0x5EED))
        #expect(shares.map { Hex.encode($0.y) } == ["d3b8dd77cec2", "12fe04783606", "a435ba7d97b3"])
        var rng2 = SplitMix64(seed: 1)
        let shares2 = try Shamir.split([0x00, 0x01, 0x02, 0x03], threshold: 3, xs: [1, 2, 3, 4, 5], using: &rng2)
        #expect(
            shares2.map { Hex.encode($0.y) } == ["5488c1e1", "a5113b92", "f198f870", "6545d619", "31cc15fb"]
        )
    }

    @Test func randomnessConsumptionIsThresholdMinusOnePerBlockByte() throws {
        var source = CountingSource(inner: SplitMix64(seed: 1))
        _ = try Shamir.split([UInt8](repeating: 7, count: 130), threshold: 4, shareCount: 5, using: &source)
        #expect(source.drawn == 3 * 256)
    }

    @Test func batchEqualsConcatenatedSplitAndLayoutIsShareMajor() throws {
        let count = 1000, length = 32
        var rng = SplitMix64(seed: 77)
        var secrets = [UInt8](repeating: 0, count: count * length)
        secrets.withUnsafeMutableBytes { rng.fill($0) }
        let xs: [UInt8] = [1, 2, 3, 4, 5]
        var rows = [UInt8](repeating: 0, count: xs.count * secrets.count)
        var batchRNG = SplitMix64(seed: 1234)
        try secrets.withUnsafeBytes { s in
            try rows.withUnsafeMutableBytes { (r) in
                try Shamir.splitBatch(s, secretLength: length, threshold: 3, xs: xs, into: r, using: &batchRNG)
            }
        }
        var singleRNG = SplitMix64(seed: 1234)
        let single = try Shamir.split(secrets, threshold: 3, xs: xs, using: &singleRNG)
        #expect(rows == single.flatMap(\.y))
        // Custodian i's share of secret s is at (i * count + s) * length; any 3 custodians recover secret s.
        let s = 417
        let pick = [4, 0, 2]
        let shares = pick.map { i in
            Share(x: xs[i], y: Array(rows[((i * count + s) * length)..<((i * count + s + 1) * length)]))
        }
        #expect(try Shamir.combine(shares) == Array(secrets[(s * length)..<((s + 1) * length)]))
        // combineBatch recovers every secret from rows 4, 0, 2.
        var picked = [UInt8]()
        for i in pick { picked += rows[(i * count * length)..<((i + 1) * count * length)] }
        var recovered = [UInt8](repeating: 0, count: secrets.count)
        try picked.withUnsafeBytes { r in
            try recovered.withUnsafeMutableBytes { (out) in
                try Shamir.combineBatch(xs: pick.map { xs[$0] }, rows: r, secretLength: length, into: out)
            }
        }
        #expect(recovered == secrets)
    }

    @Test func refusalsCarryTheirCodes() throws {
        var rng = SplitMix64(seed: 1)
        #expect(throws: ShamirError(.invalidThreshold, "")) { try Shamir.split([1], threshold: 1, shareCount: 3, using: &rng) }
        #expect(throws: ShamirError(.invalidThreshold, "")) { try Shamir.split([1], threshold: 256, shareCount: 3, using: &rng) }
        #expect(throws: ShamirError(.invalidShareCount, "")) { try Shamir.split([1], threshold: 3, shareCount: 2, using: &rng) }
        #expect(throws: ShamirError(.invalidShareCount, "")) { try Shamir.split([1], threshold: 3, shareCount: 256, using: &rng) }
        #expect(throws: ShamirError(.emptySecret, "")) { try Shamir.split([], threshold: 2, shareCount: 2, using: &rng) }
        #expect(throws: ShamirError(.zeroCoordinate, "")) { try Shamir.split([1], threshold: 2, xs: [0, 1], using: &rng) }
        #expect(throws: ShamirError(.duplicateCoordinate, "")) { try Shamir.split([1], threshold: 2, xs: [5, 5], using: &rng) }
        let a = Share(x: 1, y: [1, 2]), b = Share(x: 2, y: [3, 4])
        #expect(throws: ShamirError(.tooFewShares, "")) { try Shamir.combine([a]) }
        #expect(throws: ShamirError(.zeroCoordinate, "")) { try Shamir.combine([a, Share(x: 0, y: [0, 0])]) }
        #expect(throws: ShamirError(.duplicateCoordinate, "")) { try Shamir.combine([a, Share(x: 1, y: [3, 4])]) }
        #expect(throws: ShamirError(.inconsistentLengths, "")) { try Shamir.combine([a, Share(x: 2, y: [3])]) }
        #expect(throws: ShamirError(.duplicateCoordinate, "")) { try Shamir.interpolate(at: 0, [b, b]) }
        var out = [UInt8](repeating: 0, count: 3)
        #expect(throws: ShamirError(.bufferSizeMismatch, "")) {
            try [UInt8](repeating: 0, count: 4).withUnsafeBytes { r in
                try out.withUnsafeMutableBytes { (o) in try Shamir.combine(xs: [1, 2], rows: r, into: o) }
            }
        }
        #expect(throws: ShamirError(.bufferSizeMismatch, "")) {
            try [UInt8](repeating: 0, count: 10).withUnsafeBytes { s in
                try out.withUnsafeMutableBytes { (o) in
                    try Shamir.splitBatch(s, secretLength: 3, threshold: 2, xs: [1, 2], into: o, using: &rng)
                }
            }
        }
    }

    @Test func randomCoordinatesAreDistinctNonZeroAndCoverTheRange() throws {
        var rng = SplitMix64(seed: 21)
        let all = try Shamir.randomCoordinates(count: 255, using: &rng)
        #expect(Set(all) == Set((1...255).map { UInt8($0) }))
        var counts = [Int](repeating: 0, count: 256)
        for _ in 0..<2000 {
            let xs = try Shamir.randomCoordinates(count: 5, using: &rng)
            #expect(Set(xs).count == 5 && !xs.contains(0))
            for x in xs { counts[Int(x)] += 1 }
        }
        // 10,000 draws over 255 values: every value appears, none wildly often (expected ≈ 39).
        #expect(counts[0] == 0)
        #expect(counts[1...].allSatisfy { $0 > 10 && $0 < 80 })
        #expect(throws: ShamirError(.invalidShareCount, "")) { try Shamir.randomCoordinates(count: 0, using: &rng) }
    }
}

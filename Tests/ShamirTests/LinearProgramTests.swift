import Testing

@testable import Shamir

/// Runs a compiled map on array rows (test helper): `inputs[i]` all of one length, returns one row per output.
private func run(
    _ matrix: [UInt8],
    outputs: Int,
    inputs: [[UInt8]],
    strategy: LinearProgram.Strategy?
) -> (rows: [[UInt8]], strategy: LinearProgram.Strategy) {
    let length = inputs.first?.count ?? 0
    var flatIn = inputs.flatMap { $0 }
    // Canaries after each output row catch writes past the end.
    let stride = length + 16
    var flatOut = [UInt8](repeating: 0xA5, count: outputs * stride)
    var used: LinearProgram.Strategy = .outputHorner
    matrix.withUnsafeBufferPointer { m in
        LinearProgram.withCompiled(matrix: m, outputs: outputs, inputs: inputs.count, strategy: strategy) { program in
            used = program.strategy
            var table = [UnsafeMutableRawPointer?](repeating: nil, count: program.operandTableCount)
            var scratch = [UInt8](repeating: 0, count: max(1, program.scratchByteCount))
            flatIn.withUnsafeMutableBytes { inBytes in
                flatOut.withUnsafeMutableBytes { outBytes in
                    scratch.withUnsafeMutableBytes { scratchBytes in
                        table.withUnsafeMutableBufferPointer { t in
                            t.withMemoryRebound(to: UnsafeMutableRawPointer.self) { operands in
                                for i in inputs.indices { operands[i] = inBytes.baseAddress! + i * length }
                                for o in 0..<outputs { operands[inputs.count + o] = outBytes.baseAddress! + o * stride }
                                program.apply(
                                    byteCount: length,
                                    operands: operands.baseAddress!,
                                    scratch: scratchBytes.baseAddress!
                                )
                            }
                        }
                    }
                }
            }
        }
    }
    for o in 0..<outputs {
        #expect(flatOut[(o * stride + length)..<((o + 1) * stride)].allSatisfy { $0 == 0xA5 }, "wrote past row \(o)")
    }
    return ((0..<outputs).map { Array(flatOut[($0 * stride)..<($0 * stride + length)]) }, used)
}

/// The scalar reference of the map.
private func reference(_ matrix: [UInt8], outputs: Int, inputs: [[UInt8]]) -> [[UInt8]] {
    let length = inputs.first?.count ?? 0
    return (0..<outputs).map { o in
        (0..<length).map { p in
            inputs.indices.reduce(UInt8(0)) { $0 ^ referenceMultiply(inputs[$1][p], matrix[o * inputs.count + $1]) }
        }
    }
}

@Suite struct LinearProgramTests {
    @Test func vectorDoublingEqualsScalarForAllBytes() {
        for start in stride(from: 0, to: 256, by: 16) {
            let v = SIMD16<UInt8>((0..<16).map { UInt8(start + $0) })
            let doubled = v.gfDoubled()
            for lane in 0..<16 {
                #expect(doubled[lane] == referenceMultiply(UInt8(start + lane), 2))
                #expect(doubled[lane] == GF256.timesX(UInt8(start + lane)))
            }
        }
    }

    /// Every constant 0…255 times every byte value 0…255, through every kernel path: whole 128-byte blocks
    /// (``EightVectors``), whole vectors (``OneVector``) and the zero-padded partial vector, in both evaluation
    /// orders. 256 × 256 × 3 paths × 2 orders products against the scalar reference.
    @Test(arguments: [LinearProgram.Strategy.outputHorner, .inputChains])
    func everyConstantTimesEveryByteOnEveryPath(strategy: LinearProgram.Strategy) {
        let all = (0...255).map { UInt8($0) }
        // Slices that hit one path each: 128 (blocks), 112/32 (vectors only), 15 and 1 (padded tail only).
        let pieces: [[Int]] = [[128, 128], [112, 112, 32], Array(repeating: 15, count: 17) + [1]]
        var mismatches = 0
        for c in 0...255 {
            for sizes in pieces {
                var start = 0
                for size in sizes {
                    let input = Array(all[start..<(start + size)])
                    let (rows, used) = run([UInt8(c)], outputs: 1, inputs: [input], strategy: strategy)
                    #expect(used == strategy)
                    for (p, value) in input.enumerated() where rows[0][p] != referenceMultiply(value, UInt8(c)) {
                        mismatches += 1
                    }
                    start += size
                }
                #expect(start == 256)
            }
        }
        #expect(mismatches == 0)
    }

    /// Random public matrices of several shapes, every length 0…143 (8 × 16 + 15: every mix of blocks, vectors and
    /// tail bytes), both orders.
    @Test(arguments: [(1, 1), (1, 3), (5, 3), (3, 8), (4, 4), (1, 16), (16, 2)])
    func randomMatricesEveryTailLength(outputs: Int, inputs: Int) {
        var rng = SplitMix64(seed: UInt64(outputs * 1000 + inputs))
        for length in 0...(8 * 16 + 15) {
            var matrix = [UInt8](repeating: 0, count: outputs * inputs)
            matrix.withUnsafeMutableBytes { rng.fill($0) }
            if length % 7 == 0 { matrix[0] = 0 }  // zero coefficients too
            if length % 11 == 0 { for i in 0..<inputs { matrix[i] = 0 } }  // and an all-zero output row
            let rows: [[UInt8]] = (0..<inputs).map { _ in
                var row = [UInt8](repeating: 0, count: length)
                row.withUnsafeMutableBytes { rng.fill($0) }
                return row
            }
            let expected = reference(matrix, outputs: outputs, inputs: rows)
            for strategy in [LinearProgram.Strategy.outputHorner, .inputChains] {
                #expect(
                    run(matrix, outputs: outputs, inputs: rows, strategy: strategy).rows == expected,
                    "\(outputs)x\(inputs) length \(length) \(strategy)"
                )
            }
        }
    }

    /// The cost model picks doubling chains for a split (few inputs, several outputs, small x) and Horner for a
    /// combination (one output).
    @Test func strategyChoice() {
        let split: [UInt8] = [1, 1, 1, 1, 2, 4, 1, 3, 5, 1, 4, 16, 1, 5, 17]  // 3-of-5, x = 1…5
        #expect(run(split, outputs: 5, inputs: [[1], [2], [3]], strategy: nil).strategy == .inputChains)
        #expect(run([0x8D, 0xF6, 0x7B], outputs: 1, inputs: [[1], [2], [3]], strategy: nil).strategy == .outputHorner)
    }

    /// Splits at every x-coordinate 1…255 at once (255 shares) equal the scalar reference, for several thresholds and
    /// lengths with tails; any three of them recover the secret.
    @Test(arguments: [2, 3, 4])
    func splitAtEveryCoordinateEqualsReference(threshold: Int) throws {
        let xs = (1...255).map { UInt8($0) }
        for length in [1, 143, 128 + 17] {
            var rng = SplitMix64(seed: UInt64(threshold * 7 + length))
            var secret = [UInt8](repeating: 0, count: length)
            secret.withUnsafeMutableBytes { rng.fill($0) }
            var splitRNG = SplitMix64(seed: 99)
            let shares = try Shamir.split(secret, threshold: threshold, xs: xs, using: &splitRNG)
            #expect(shares.map(\.y) == referenceSplit(secret, threshold: threshold, xs: xs, seed: 99))
            let pick = [shares[254], shares[0], shares[100], shares[37]].prefix(threshold)
            #expect(try Shamir.combine(Array(pick)) == secret)
        }
    }

    /// Interpolation through 256 points (every coordinate, 0 included) at every x equals the reference weights.
    @Test func interpolateThroughAllCoordinates() throws {
        var rng = SplitMix64(seed: 5)
        let xs = (0...255).map { UInt8($0) }
        let rows: [Share] = xs.map { x in
            var y = [UInt8](repeating: 0, count: 40)
            y.withUnsafeMutableBytes { rng.fill($0) }
            return Share(x: x, y: y)
        }
        for at in [0, 1, 128, 254, 255] as [UInt8] {
            #expect(try Shamir.interpolate(at: at, rows) == rows[Int(at)].y)
        }
    }

    /// The largest policy, 255-of-255: about 2 MB of program and 230 KB of chain scratch (heap, not stack, on a test
    /// thread), and the result still recombines.
    @Test func largestPolicyRoundTrips() throws {
        var rng = SplitMix64(seed: 255)
        var secret = [UInt8](repeating: 0, count: 300)
        secret.withUnsafeMutableBytes { rng.fill($0) }
        let shares = try Shamir.split(secret, threshold: 255, shareCount: 255, using: &rng)
        #expect(try Shamir.combine(shares.reversed()) == secret)
        #expect(try Shamir.combine(Array(shares.dropLast())) != secret)
    }
}

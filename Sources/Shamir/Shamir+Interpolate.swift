extension Shamir {
    /// The Lagrange weights that evaluate, at `x`, the polynomial of degree `< xs.count` through the points `xs`.
    ///
    /// `weights[i] = Π_{j≠i} (x − xs[j]) / (xs[i] − xs[j])`; subtraction is XOR in GF(2^8). The coordinates are
    /// public, so the weights are too.
    ///
    /// - Precondition: `xs` holds distinct values.
    static func lagrangeWeights(at x: UInt8, xs: [UInt8]) -> [UInt8] {
        var weights = [UInt8](repeating: 0, count: xs.count)
        for i in xs.indices {
            var numerator: UInt8 = 1
            var denominator: UInt8 = 1
            for j in xs.indices where j != i {
                numerator = GF256.multiply(numerator, x ^ xs[j])
                denominator = GF256.multiply(denominator, xs[i] ^ xs[j])
            }
            precondition(denominator != 0, "x-coordinates must be distinct")
            weights[i] = GF256.divide(numerator, denominator)
        }
        return weights
    }

    /// Evaluates at `x` the polynomial of degree `< xs.count` through `(xs[i], row i)`, byte by byte (Lagrange).
    ///
    /// The general form of ``combine(xs:rows:into:)``: any x, including 0 and including one of `xs` (which
    /// returns that row), and x-coordinates may be 0. SLIP-0039 uses it with the digest at 254 and the secret at 255.
    ///
    /// - Parameters:
    ///   - x: Where to evaluate the polynomial.
    ///   - xs: The distinct x-coordinates of the rows, any values `0...255`.
    ///   - rows: `xs.count` rows of `result.count` bytes each, back to back, in the order of `xs`.
    ///   - result: Receives `result.count` bytes; must not overlap `rows`.
    /// - Throws: ``ShamirError/Code/tooFewShares`` if `xs` is empty, ``ShamirError/Code/duplicateCoordinate``
    ///   if two coordinates are equal, ``ShamirError/Code/bufferSizeMismatch`` if
    ///   `rows.count != xs.count * result.count`.
    /// - Complexity: O(`xs.count` × `result.count`); constant time in the row bytes.
    public static func interpolate(
        at x: UInt8,
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        into result: UnsafeMutableRawBufferPointer
    ) throws(ShamirError) {
        guard !xs.isEmpty else {
            throw ShamirError(.tooFewShares, "at least one share is needed to interpolate")
        }
        try checkCoordinates(xs, allowZero: true)
        try checkSize("the share rows", rows.count, expected: xs.count * result.count)
        linearCombination(weights: lagrangeWeights(at: x, xs: xs), rows: rows, into: result)
    }

    /// Recovers the secret `f(0)` from `xs.count` shares.
    ///
    /// - Parameters:
    ///   - xs: The shares' x-coordinates: distinct, non-zero, at least two.
    ///   - rows: `xs.count` rows of `secret.count` bytes each, back to back, in the order of `xs`.
    ///   - secret: Receives the secret; must not overlap `rows`.
    /// - Throws: ``ShamirError/Code/tooFewShares`` for fewer than two rows, ``ShamirError/Code/zeroCoordinate``,
    ///   ``ShamirError/Code/duplicateCoordinate``, ``ShamirError/Code/bufferSizeMismatch``.
    /// - Complexity: O(`xs.count` × `secret.count`); constant time in the row bytes.
    /// - Warning: No integrity: too few, wrong or tampered shares give wrong bytes, not an error.
    public static func combine(
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        into secret: UnsafeMutableRawBufferPointer
    ) throws(ShamirError) {
        guard xs.count >= 2 else {
            throw ShamirError(.tooFewShares, "at least two shares are needed, got \(xs.count)")
        }
        try checkCoordinates(xs, allowZero: false)
        try checkSize("the share rows", rows.count, expected: xs.count * secret.count)
        linearCombination(weights: lagrangeWeights(at: 0, xs: xs), rows: rows, into: secret)
    }

    /// `result = Σ weights[i] • row i`, byte by byte, in bitsliced blocks of 128 bytes.
    static func linearCombination(
        weights: [UInt8],
        rows: UnsafeRawBufferPointer,
        into result: UnsafeMutableRawBufferPointer
    ) {
        let length = result.count
        guard length > 0, let rowBase = rows.baseAddress, let outBase = result.baseAddress else { return }
        let blockBytes = BitslicedBlock.byteCount
        let fullBlocks = length / blockBytes

        weights.withUnsafeBufferPointer { w in
            var offset = 0
            for _ in 0..<fullBlocks {
                var sum = BitslicedBlock.zero
                var row = rowBase + offset
                for weight in w {
                    sum ^= BitslicedBlock(loading: row).multiplied(by: weight)
                    row += length
                }
                sum.store(to: outBase + offset)
                sum.clear()
                offset += blockBytes
            }
            let tail = length - offset
            guard tail > 0 else { return }
            // The last partial block goes through a zero-padded scratch block.
            withUnsafeTemporaryAllocation(byteCount: 2 * blockBytes, alignment: 16) { scratch in
                guard let input = scratch.baseAddress else { return }
                let output = input + blockBytes
                scratch.initializeMemory(as: UInt8.self, repeating: 0)
                var sum = BitslicedBlock.zero
                var row = UnsafeRawPointer(rowBase + offset)
                for weight in w {
                    input.copyMemory(from: row, byteCount: tail)
                    sum ^= BitslicedBlock(loading: input).multiplied(by: weight)
                    row += length
                }
                sum.store(to: output)
                sum.clear()
                (outBase + offset).copyMemory(from: output, byteCount: tail)
                Wipe.zero(scratch)
            }
        }
    }
}

extension Shamir {
    /// Splits a secret: writes `xs.count` rows of `secret.count` bytes, row *i* being the share at `xs[i]`.
    ///
    /// Each secret byte gets its own polynomial of degree `threshold - 1` whose constant term is the byte and
    /// whose other coefficients are uniform over all 256 values (the leading one included), drawn from `rng`.
    ///
    /// - Parameters:
    ///   - secret: The secret bytes (at least one).
    ///   - threshold: How many shares recover the secret, `2...xs.count`.
    ///   - xs: The shares' x-coordinates: distinct, non-zero, `threshold...255` of them.
    ///   - shares: Receives `xs.count * secret.count` bytes, share-major; must not overlap `secret`.
    ///   - rng: The coefficient source; `threshold - 1` random bytes are drawn per secret byte (rounded up to
    ///     whole 128-byte blocks).
    /// - Throws: ``ShamirError/Code/invalidThreshold``, ``ShamirError/Code/invalidShareCount``,
    ///   ``ShamirError/Code/emptySecret``, ``ShamirError/Code/zeroCoordinate``,
    ///   ``ShamirError/Code/duplicateCoordinate``, ``ShamirError/Code/bufferSizeMismatch``.
    /// - Complexity: O(`xs.count` × `threshold` × `secret.count`); constant time in the secret and coefficient
    ///   bytes. Allocates nothing on the heap for thresholds up to about 16 (scratch lives on the stack).
    public static func split(
        _ secret: UnsafeRawBufferPointer,
        threshold: Int,
        xs: [UInt8],
        into shares: UnsafeMutableRawBufferPointer,
        using rng: inout some RandomSource
    ) throws(ShamirError) {
        try checkPolicy(threshold: threshold, shareCount: xs.count)
        guard secret.count > 0 else {
            throw ShamirError(.emptySecret, "the secret is empty: there is nothing to split")
        }
        try checkCoordinates(xs, allowZero: false)
        try checkSize("the share buffer", shares.count, expected: xs.count * secret.count)
        splitCore(secret, threshold: threshold, xs: xs, into: shares) { rng.fill($0) }
    }

    /// The secret bytes whose coefficients are drawn with one `fill` call: `threshold - 1` rows of this many
    /// random bytes, about 32 KiB in all, so they are still in the L1/L2 cache when the kernel reads them.
    ///
    /// Part of the deterministic layout of the random stream (tests reproduce splits from a seeded source): chunk
    /// *c* of the secret takes the next `(threshold - 1) * n` bytes, `n = min(chunk, remaining)`, and coefficient
    /// *t* of byte *p* of the chunk is byte `(t - 1) * n + p` of them.
    static func coefficientChunkCount(threshold: Int) -> Int {
        max(EightVectors.byteCount, (32_768 / (threshold - 1)) & ~(EightVectors.byteCount - 1))
    }

    /// The validated core of every split: per chunk, draw the coefficients, then evaluate every share's
    /// polynomial with one ``LinearProgram`` over (secret, coefficient rows) → share rows.
    ///
    /// The matrix row of the share at x is `1, x, x^2, …, x^(threshold-1)`: public.
    static func splitCore(
        _ secret: UnsafeRawBufferPointer,
        threshold: Int,
        xs: [UInt8],
        into shares: UnsafeMutableRawBufferPointer,
        fill: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        let length = secret.count
        guard length > 0, let secretBase = secret.baseAddress, let sharesBase = shares.baseAddress else { return }
        let shareCount = xs.count
        let degree = threshold - 1
        let chunk = min(coefficientChunkCount(threshold: threshold), length)

        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: shareCount * threshold) { matrix in
            for (o, x) in xs.enumerated() {
                var power: UInt8 = 1
                for j in 0..<threshold {
                    matrix[o * threshold + j] = power
                    power = GF256.multiply(power, x)
                }
            }
            LinearProgram.withCompiled(
                matrix: UnsafeBufferPointer(matrix),
                outputs: shareCount,
                inputs: threshold
            ) { program in
                withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer.self, capacity: program.operandTableCount) {
                    operands in
                    let coefficientBytes = degree * chunk
                    withUnsafeTemporaryAllocation(
                        byteCount: coefficientBytes + program.scratchByteCount,
                        alignment: 16
                    ) { scratch in
                        guard let coefficients = scratch.baseAddress, let table = operands.baseAddress else { return }
                        scratch.initializeMemory(as: UInt8.self, repeating: 0)
                        let programScratch = coefficients + coefficientBytes
                        var offset = 0
                        while offset < length {
                            let n = min(chunk, length - offset)
                            fill(UnsafeMutableRawBufferPointer(start: coefficients, count: degree * n))
                            table[0] = UnsafeMutableRawPointer(mutating: secretBase + offset)
                            for t in 1...degree { table[t] = coefficients + (t - 1) * n }
                            for o in 0..<shareCount { table[threshold + o] = sharesBase + o * length + offset }
                            program.apply(byteCount: n, operands: table, scratch: programScratch)
                            offset += n
                        }
                        Wipe.zero(UnsafeMutableRawBufferPointer(scratch))
                    }
                }
            }
        }
    }
}

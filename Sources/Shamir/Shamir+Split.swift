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

    /// The number of 128-byte blocks whose coefficients are drawn with one `fill` call.
    static func blocksPerChunk(threshold: Int) -> Int {
        let coefficientBytesPerBlock = (threshold - 1) * BitslicedBlock.byteCount
        return max(1, min(32, 8192 / coefficientBytesPerBlock))
    }

    /// The validated core of every split: Horner's rule per share on bitsliced blocks.
    static func splitCore(
        _ secret: UnsafeRawBufferPointer,
        threshold: Int,
        xs: [UInt8],
        into shares: UnsafeMutableRawBufferPointer,
        fill: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        let length = secret.count
        guard length > 0, let secretBase = secret.baseAddress, let sharesBase = shares.baseAddress else { return }
        let blockBytes = BitslicedBlock.byteCount
        let degree = threshold - 1
        let coefficientBytesPerBlock = degree * blockBytes
        let totalBlocks = (length + blockBytes - 1) / blockBytes
        let chunkBlocks = blocksPerChunk(threshold: threshold)
        let coefficientBytes = chunkBlocks * coefficientBytesPerBlock

        xs.withUnsafeBufferPointer { xs in
            withUnsafeTemporaryAllocation(byteCount: coefficientBytes + 2 * blockBytes, alignment: 16) { scratch in
                guard let coefficients = scratch.baseAddress else { return }
                let tailIn = coefficients + coefficientBytes
                let tailOut = tailIn + blockBytes
                var usedCoefficientBytes = 0
                var block = 0
                while block < totalBlocks {
                    let count = min(chunkBlocks, totalBlocks - block)
                    usedCoefficientBytes = max(usedCoefficientBytes, count * coefficientBytesPerBlock)
                    fill(UnsafeMutableRawBufferPointer(start: coefficients, count: count * coefficientBytesPerBlock))
                    for b in 0..<count {
                        let offset = (block + b) * blockBytes
                        let tail = min(blockBytes, length - offset)
                        var constant: BitslicedBlock
                        if tail == blockBytes {
                            constant = BitslicedBlock(loading: secretBase + offset)
                        } else {
                            tailIn.initializeMemory(as: UInt8.self, repeating: 0, count: blockBytes)
                            tailIn.copyMemory(from: secretBase + offset, byteCount: tail)
                            constant = BitslicedBlock(loading: tailIn)
                        }
                        let blockCoefficients = UnsafeRawPointer(coefficients + b * coefficientBytesPerBlock)
                        var row = sharesBase + offset
                        for x in xs {
                            // Horner: ((c_d • x + c_{d-1}) • x + ...) • x + secret; c_t sits at (t - 1) * 128.
                            var value = BitslicedBlock(rawPlanesAt: blockCoefficients + (degree - 1) * blockBytes)
                            var t = degree - 1
                            while t > 0 {
                                value = value.multiplied(by: x)
                                value ^= BitslicedBlock(rawPlanesAt: blockCoefficients + (t - 1) * blockBytes)
                                t -= 1
                            }
                            value = value.multiplied(by: x)
                            value ^= constant
                            if tail == blockBytes {
                                value.store(to: row)
                            } else {
                                value.store(to: tailOut)
                                row.copyMemory(from: tailOut, byteCount: tail)
                            }
                            value.clear()
                            row += length
                        }
                        constant.clear()
                    }
                    block += count
                }
                // Only the part of the scratch that was written: the coefficients drawn and the two tail blocks.
                Wipe.zero(UnsafeMutableRawBufferPointer(rebasing: scratch[0..<usedCoefficientBytes]))
                Wipe.zero(UnsafeMutableRawBufferPointer(rebasing: scratch[coefficientBytes...]))
            }
        }
    }
}

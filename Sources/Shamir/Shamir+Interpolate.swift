extension Shamir {
    /// The Lagrange weights that evaluate, at `x`, the polynomial of degree `< xs.count` through the points `xs`.
    ///
    /// `weights[i] = Π_{j≠i} (x − xs[j]) / (xs[i] − xs[j])`; subtraction is XOR in GF(2^8). The coordinates are
    /// public, so the weights are too.
    ///
    /// - Precondition: `xs` holds distinct values.
    static func lagrangeWeights(at x: UInt8, xs: [UInt8]) -> [UInt8] {
        var weights = [UInt8](repeating: 0, count: xs.count)
        weights.withUnsafeMutableBufferPointer { out in
            xs.withUnsafeBufferPointer { lagrangeWeights(at: x, xs: $0, into: out) }
        }
        return weights
    }

    /// Writes the Lagrange weights at `x` for the points `xs` into `weights` (`xs.count` entries), allocation-free.
    ///
    /// - Precondition: `xs` holds distinct values; `weights.count == xs.count`.
    static func lagrangeWeights(
        at x: UInt8,
        xs: UnsafeBufferPointer<UInt8>,
        into weights: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(weights.count == xs.count, "one weight per coordinate")
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
        evaluate(at: x, xs: xs, rows: rows, into: result)
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
        evaluate(at: 0, xs: xs, rows: rows, into: secret)
    }

    /// Recovers the secret from shares whose rows live in separate buffers (for example memory-mapped share
    /// files), without gathering them into one buffer first.
    ///
    /// - Parameters:
    ///   - xs: The shares' x-coordinates: distinct, non-zero, at least two.
    ///   - rows: One buffer of `secret.count` bytes per share, in the order of `xs`.
    ///   - secret: Receives the secret; must not overlap any row.
    /// - Throws: ``ShamirError/Code/tooFewShares`` for fewer than two rows, ``ShamirError/Code/zeroCoordinate``,
    ///   ``ShamirError/Code/duplicateCoordinate``, ``ShamirError/Code/bufferSizeMismatch`` if `rows.count` differs
    ///   from `xs.count` or a row's size from `secret.count`.
    /// - Complexity: O(`xs.count` × `secret.count`); constant time in the row bytes.
    /// - Warning: No integrity: too few, wrong or tampered shares give wrong bytes, not an error.
    public static func combine(
        xs: [UInt8],
        rows: [UnsafeRawBufferPointer],
        into secret: UnsafeMutableRawBufferPointer
    ) throws(ShamirError) {
        guard xs.count >= 2 else {
            throw ShamirError(.tooFewShares, "at least two shares are needed, got \(xs.count)")
        }
        try checkCoordinates(xs, allowZero: false)
        try checkSize("the list of share rows", rows.count, expected: xs.count)
        for row in rows { try checkSize("a share row", row.count, expected: secret.count) }
        guard secret.count > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: xs.count) { weights in
            xs.withUnsafeBufferPointer { lagrangeWeights(at: 0, xs: $0, into: weights) }
            linearCombination(weights: UnsafeBufferPointer(weights), rowAt: { rows[$0].baseAddress }, into: secret)
        }
    }

    /// `result = Σ weights[i] • row i`, byte by byte, with one ``LinearProgram`` (Horner over the weights' bits).
    /// `rowAt(i)` is the start of row *i* (`result.count` bytes).
    static func linearCombination(
        weights: UnsafeBufferPointer<UInt8>,
        rowAt: (Int) -> UnsafeRawPointer?,
        into result: UnsafeMutableRawBufferPointer
    ) {
        let length = result.count
        guard length > 0, let outBase = result.baseAddress else { return }
        let count = weights.count
        LinearProgram.withCompiled(matrix: weights, outputs: 1, inputs: count) { program in
            withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer.self, capacity: program.operandTableCount) {
                operands in
                withUnsafeTemporaryAllocation(byteCount: program.scratchByteCount, alignment: 16) { scratch in
                    guard let table = operands.baseAddress, let scratchBase = scratch.baseAddress else { return }
                    for i in 0..<count {
                        guard let row = rowAt(i) else { return }
                        table[i] = UnsafeMutableRawPointer(mutating: row)
                    }
                    scratch.initializeMemory(as: UInt8.self, repeating: 0)
                    table[count] = outBase
                    program.apply(byteCount: length, operands: table, scratch: scratchBase)
                    Wipe.zero(scratch)
                }
            }
        }
    }

    /// Computes the Lagrange weights into temporary memory and combines the rows (back to back) with them.
    static func evaluate(
        at x: UInt8,
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        into result: UnsafeMutableRawBufferPointer
    ) {
        let length = result.count
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: xs.count) { weights in
            xs.withUnsafeBufferPointer { lagrangeWeights(at: x, xs: $0, into: weights) }
            linearCombination(
                weights: UnsafeBufferPointer(weights),
                rowAt: { i in rows.baseAddress.map { $0 + i * length } },
                into: result
            )
        }
    }
}

extension RandomSource {
    /// A uniform integer in `0..<bound`, by rejection sampling on random bytes (no modulo bias).
    ///
    /// - Parameter bound: The exclusive upper bound, `1...256`.
    /// - Returns: A uniformly distributed value below `bound`.
    /// - Precondition: `1 <= bound <= 256`.
    public mutating func uniformByte(below bound: Int) -> Int {
        precondition((1...256).contains(bound), "bound must be in 1...256")
        // The largest multiple of `bound` that fits in 256 values; bytes at or above it are redrawn.
        let limit = 256 - 256 % bound
        var byte: UInt8 = 0
        while true {
            withUnsafeMutableBytes(of: &byte) { fill($0) }
            if Int(byte) < limit { return Int(byte) % bound }
        }
    }
}

extension Shamir {
    /// Draws `count` distinct x-coordinates uniformly from `1...255` (a partial Fisher–Yates shuffle).
    ///
    /// The vault format's coordinates: HashiCorp Vault draws them from a non-cryptographic generator; pass a CSPRNG.
    ///
    /// - Parameters:
    ///   - count: How many coordinates, `1...255`.
    ///   - rng: The source of randomness.
    /// - Returns: `count` distinct values in `1...255`, in random order.
    /// - Throws: ``ShamirError/Code/invalidShareCount`` if `count` is outside `1...255`.
    public static func randomCoordinates(
        count: Int,
        using rng: inout some RandomSource
    ) throws(ShamirError) -> [UInt8] {
        guard (1...maximumShareCount).contains(count) else {
            throw ShamirError(.invalidShareCount, "the number of shares must be between 1 and 255, not \(count)")
        }
        var pool = (1...255).map { UInt8($0) }
        for i in 0..<count {
            let j = i + rng.uniformByte(below: pool.count - i)
            pool.swapAt(i, j)
        }
        return Array(pool.prefix(count))
    }
}

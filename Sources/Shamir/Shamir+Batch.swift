extension Shamir {
    /// Splits many equally long secrets at once under one policy (the re-splitting hot path).
    ///
    /// Layout, for `count = secrets.count / secretLength` secrets:
    /// - `secrets` is secret-major: secret *s* occupies bytes `s * secretLength ..< (s + 1) * secretLength`.
    /// - `shares` is share-major: row *i* (the custodian at `xs[i]`) occupies `count * secretLength` bytes
    ///   starting at `i * count * secretLength`, and within it the share of secret *s* sits at `s * secretLength`.
    ///
    /// So custodian *i*'s share of secret *s* starts at `(i * count + s) * secretLength`, and each row can be
    /// handed to its custodian as one contiguous buffer. Byte for byte this is the split of the concatenated
    /// secrets, so every byte still has its own independent polynomial.
    ///
    /// - Parameters:
    ///   - secrets: `count * secretLength` bytes, `count >= 1`.
    ///   - secretLength: The length of every secret, at least 1.
    ///   - threshold: How many shares recover each secret, `2...xs.count`.
    ///   - xs: Distinct, non-zero x-coordinates, one per custodian.
    ///   - shares: Receives `xs.count * secrets.count` bytes in the layout above.
    ///   - rng: The coefficient source (make a fresh one per batch).
    /// - Throws: the errors of ``split(_:threshold:xs:into:using:)``, and
    ///   ``ShamirError/Code/bufferSizeMismatch`` if `secrets.count` is not a multiple of `secretLength`.
    /// - Complexity: O(`xs.count` × `threshold` × `secrets.count`); no allocation per secret.
    public static func splitBatch(
        _ secrets: UnsafeRawBufferPointer,
        secretLength: Int,
        threshold: Int,
        xs: [UInt8],
        into shares: UnsafeMutableRawBufferPointer,
        using rng: inout some RandomSource
    ) throws(ShamirError) {
        try checkBatch(byteCount: secrets.count, secretLength: secretLength)
        try split(secrets, threshold: threshold, xs: xs, into: shares, using: &rng)
    }

    /// Recovers many equally long secrets from the share rows of a batch (layout of
    /// ``splitBatch(_:secretLength:threshold:xs:into:using:)``); the Lagrange weights are computed once.
    ///
    /// - Parameters:
    ///   - xs: The x-coordinates of the rows: distinct, non-zero, at least two.
    ///   - rows: `xs.count` rows of `secrets.count` bytes, share-major.
    ///   - secretLength: The length of every secret, at least 1.
    ///   - secrets: Receives the secrets, secret-major.
    /// - Throws: the errors of ``combine(xs:rows:into:)``, and ``ShamirError/Code/bufferSizeMismatch`` if
    ///   `secrets.count` is not a multiple of `secretLength`.
    /// - Complexity: O(`xs.count` × `secrets.count`); no allocation per secret.
    /// - Warning: No integrity: authenticate every recovered secret.
    public static func combineBatch(
        xs: [UInt8],
        rows: UnsafeRawBufferPointer,
        secretLength: Int,
        into secrets: UnsafeMutableRawBufferPointer
    ) throws(ShamirError) {
        try checkBatch(byteCount: secrets.count, secretLength: secretLength)
        try combine(xs: xs, rows: rows, into: secrets)
    }

    private static func checkBatch(byteCount: Int, secretLength: Int) throws(ShamirError) {
        guard secretLength >= 1 else {
            throw ShamirError(.emptySecret, "the secret length of a batch must be at least 1, not \(secretLength)")
        }
        guard byteCount % secretLength == 0 else {
            throw ShamirError(
                .bufferSizeMismatch,
                "a batch of \(byteCount) bytes is not a whole number of \(secretLength)-byte secrets"
            )
        }
    }
}

/// One share of a raw split: the x-coordinate and the polynomial values at it, one byte per secret byte.
///
/// - Important: A convenience for tests and small tools. Its bytes live in an ordinary array, which is not
///   wiped; code that holds real secrets uses the raw-buffer API with wiping containers.
public struct Share: Hashable, Sendable {
    /// The x-coordinate (never 0 in the native and vault formats).
    public var x: UInt8
    /// The y-values, one per secret byte.
    public var y: [UInt8]

    /// Creates a share.
    ///
    /// - Parameters:
    ///   - x: The x-coordinate.
    ///   - y: The y-values.
    public init(x: UInt8, y: [UInt8]) {
        self.x = x
        self.y = y
    }
}

extension Shamir {
    /// Splits `secret` into shares at `xs`, returning them as values.
    ///
    /// - Parameters:
    ///   - secret: The secret bytes (at least one).
    ///   - threshold: How many shares recover the secret, `2...xs.count`.
    ///   - xs: Distinct non-zero x-coordinates.
    ///   - rng: The coefficient source.
    /// - Returns: One ``Share`` per entry of `xs`, in order.
    /// - Throws: the errors of ``split(_:threshold:xs:into:using:)``.
    public static func split(
        _ secret: [UInt8],
        threshold: Int,
        xs: [UInt8],
        using rng: inout some RandomSource
    ) throws(ShamirError) -> [Share] {
        var rows = [UInt8](repeating: 0, count: xs.count * secret.count)
        var failure: ShamirError?
        secret.withUnsafeBytes { secretBytes in
            rows.withUnsafeMutableBytes { rowBytes in
                do throws(ShamirError) {
                    try split(secretBytes, threshold: threshold, xs: xs, into: rowBytes, using: &rng)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return xs.indices.map { i in
            Share(x: xs[i], y: Array(rows[(i * secret.count)..<((i + 1) * secret.count)]))
        }
    }

    /// Splits `secret` into `shareCount` shares at x = 1, 2, …, `shareCount` (the native format's coordinates).
    ///
    /// - Parameters:
    ///   - secret: The secret bytes (at least one).
    ///   - threshold: How many shares recover the secret, `2...shareCount`.
    ///   - shareCount: How many shares to make, `threshold...255`.
    ///   - rng: The coefficient source.
    /// - Returns: The shares, x = 1 first.
    /// - Throws: the errors of ``split(_:threshold:xs:into:using:)``.
    public static func split(
        _ secret: [UInt8],
        threshold: Int,
        shareCount: Int,
        using rng: inout some RandomSource
    ) throws(ShamirError) -> [Share] {
        try checkPolicy(threshold: threshold, shareCount: shareCount)
        let xs = (1...shareCount).map { UInt8(truncatingIfNeeded: $0) }
        return try split(secret, threshold: threshold, xs: xs, using: &rng)
    }

    /// Recovers the secret from shares of equal length.
    ///
    /// - Parameter shares: At least two shares with distinct non-zero x and equal lengths.
    /// - Returns: The secret bytes.
    /// - Throws: ``ShamirError/Code/inconsistentLengths`` and the errors of ``combine(xs:rows:into:)``.
    /// - Warning: No integrity: too few or wrong shares give wrong bytes.
    public static func combine(_ shares: [Share]) throws(ShamirError) -> [UInt8] {
        try evaluate(shares) { xs, rows, out throws(ShamirError) in try combine(xs: xs, rows: rows, into: out) }
    }

    /// Evaluates at `x` the polynomial through the shares (any coordinates, 0 included).
    ///
    /// - Parameters:
    ///   - x: Where to evaluate.
    ///   - shares: At least one share; distinct x, equal lengths.
    /// - Returns: The polynomial's value at `x` for every byte.
    /// - Throws: ``ShamirError/Code/inconsistentLengths`` and the errors of ``interpolate(at:xs:rows:into:)``.
    public static func interpolate(at x: UInt8, _ shares: [Share]) throws(ShamirError) -> [UInt8] {
        try evaluate(shares) { xs, rows, out throws(ShamirError) in
            try interpolate(at: x, xs: xs, rows: rows, into: out)
        }
    }

    private static func evaluate(
        _ shares: [Share],
        _ body: ([UInt8], UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) throws(ShamirError) -> Void
    ) throws(ShamirError) -> [UInt8] {
        let length = shares.first?.y.count ?? 0
        for share in shares where share.y.count != length {
            throw ShamirError(
                .inconsistentLengths,
                "shares have different lengths (\(length) and \(share.y.count) bytes)"
            )
        }
        var rows = [UInt8]()
        rows.reserveCapacity(shares.count * length)
        for share in shares { rows.append(contentsOf: share.y) }
        defer { Wipe.zero(&rows) }
        var result = [UInt8](repeating: 0, count: length)
        var failure: ShamirError?
        rows.withUnsafeBytes { rowBytes in
            result.withUnsafeMutableBytes { out in
                do throws(ShamirError) {
                    try body(shares.map(\.x), rowBytes, out)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return result
    }
}

/// A source of uniformly random bytes for polynomial coefficients and x-coordinates.
///
/// `Shamir` imports nothing, so it cannot reach a CSPRNG itself: the caller injects one.
/// Production code passes libsodium's generator (the `Sodium` module's `StreamRandom`,
/// conformed to this protocol by the `Escrow` layer); tests pass a deterministic generator
/// so that splits are byte-exact.
///
/// - Important: Every byte a conforming type produces must be uniform over `0...255` and
///   unpredictable. A biased or predictable source leaks the secret.
public protocol RandomSource {
    /// Overwrites every byte of `buffer` with fresh random bytes.
    ///
    /// - Parameter buffer: The memory to fill; may be empty.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer)
}

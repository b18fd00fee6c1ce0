/// A share value sealed to its holder, with its digest: what a deposit or a re-split publishes per holder and path.
public struct SealedComponent: Hashable, Sendable {
    /// The holder's x-coordinate.
    public var x: UInt8
    /// The contributors' path (empty for a dealt share); see ``SharePosition/path``.
    public var path: [UInt8]
    /// `nonce ‖ ciphertext ‖ tag` of the 32-byte value, sealed by a ``ShareSealer``.
    public var sealed: [UInt8]
    /// The value's ``ComponentDigest``.
    public var digest: [UInt8]

    /// Creates a sealed component.
    ///
    /// - Parameters:
    ///   - x: The holder's x-coordinate.
    ///   - path: The contributors' path.
    ///   - sealed: The sealed value.
    ///   - digest: The value's digest.
    public init(x: UInt8, path: [UInt8], sealed: [UInt8], digest: [UInt8]) {
        self.x = x
        self.path = path
        self.sealed = sealed
        self.digest = digest
    }
}

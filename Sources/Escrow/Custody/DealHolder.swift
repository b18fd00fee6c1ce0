/// A holder a deposit deals a share to: its x-coordinate under the vault's policy and its X25519 public key.
public struct DealHolder: Hashable, Sendable {
    /// The holder's x-coordinate (non-zero).
    public var x: UInt8
    /// The holder's X25519 public key (32 bytes).
    public var boxPublicKey: [UInt8]

    /// Creates a holder.
    ///
    /// - Parameters:
    ///   - x: The x-coordinate.
    ///   - boxPublicKey: The X25519 public key.
    public init(x: UInt8, boxPublicKey: [UInt8]) {
        self.x = x
        self.boxPublicKey = boxPublicKey
    }
}

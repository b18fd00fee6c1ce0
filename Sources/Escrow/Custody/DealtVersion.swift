/// What a deposit publishes for one credential version: the sealed value, the key's commitment, and one sealed share
/// per holder. Nothing here is secret.
public struct DealtVersion: Hashable, Sendable {
    /// The value sealed under the version's key (see ``ValueSeal``).
    public var sealedValue: [UInt8]
    /// The key's commitment (see ``KeyCommitment``).
    public var commitment: [UInt8]
    /// The deposit's ephemeral X25519 public key (see ``ShareSealer``).
    public var ephemeralPublicKey: [UInt8]
    /// One sealed share per holder, in the order of the holders given to the dealer; paths are empty.
    public var shares: [SealedComponent]
    /// The sharing: the policy's threshold and holders, no level.
    public var shape: SharingShape

    /// Creates a dealt version.
    ///
    /// - Parameters:
    ///   - sealedValue: The sealed value.
    ///   - commitment: The key's commitment.
    ///   - ephemeralPublicKey: The ephemeral public key.
    ///   - shares: The sealed shares.
    ///   - shape: The sharing.
    public init(
        sealedValue: [UInt8],
        commitment: [UInt8],
        ephemeralPublicKey: [UInt8],
        shares: [SealedComponent],
        shape: SharingShape
    ) {
        self.sealedValue = sealedValue
        self.commitment = commitment
        self.ephemeralPublicKey = ephemeralPublicKey
        self.shares = shares
        self.shape = shape
    }
}

import Sodium

/// The holders a policy deals to, checked once for every version dealt to them: distinct non-zero x-coordinates, a
/// threshold in `2...count` (at most 255 holders) and 32-byte X25519 keys.
///
/// A batch deposit builds one per vault and reuses it for every item of that vault (the Ed25519 → X25519 conversion
/// of each custodian's key and these checks run once per vault, not once per item). Nothing here is secret and
/// nothing is shared between versions but the public policy: every version still gets its own key, its own
/// ephemeral key pair and its own agreement with each holder (see ``Dealer``).
public struct DealRecipients: Hashable, Sendable {
    /// The policy's threshold.
    public let threshold: Int
    /// The holders, in the order the dealt shares follow.
    public let holders: [DealHolder]
    /// The sharing: the threshold and holders, no level.
    public let shape: SharingShape
    /// The holders' x-coordinates, in order.
    let xs: [UInt8]

    /// Checks a policy.
    ///
    /// - Parameters:
    ///   - threshold: The policy's threshold, `2...holders.count`.
    ///   - holders: The policy's holders: distinct non-zero x, at most 255, each with a 32-byte X25519 key.
    /// - Throws: ``EscrowError/Code/invalidInput`` for an invalid policy or a holder key of the wrong length.
    public init(threshold: Int, holders: [DealHolder]) throws(EscrowError) {
        let xs = holders.map(\.x)
        try CustodyValidation.coordinates(xs, "the policy's holders")
        try CustodyValidation.policy(threshold: threshold, count: xs.count, "the policy's holders")
        shape = try SharingShape(threshold: threshold, holders: xs)
        for holder in holders where holder.boxPublicKey.count != BoxKeyPair.publicKeyCount {
            throw EscrowError(
                .invalidInput,
                "an X25519 public key has \(BoxKeyPair.publicKeyCount) bytes, not \(holder.boxPublicKey.count)"
            )
        }
        self.threshold = threshold
        self.holders = holders
        self.xs = xs
    }

    /// The number of random bytes a split of one 32-byte key draws for its polynomial coefficients:
    /// `(threshold - 1) × 32`, one uniform byte per coefficient (the leading one included).
    var coefficientCount: Int { (threshold - 1) * KeyCommitment.keyCount }
}

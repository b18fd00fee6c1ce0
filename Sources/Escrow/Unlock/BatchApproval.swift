/// A custodian's approval of a request together with what went into it (``Store/approveBatch(_:by:)``).
public struct BatchApproval: Sendable {
    /// The signed approval to send back to the requester: one file, one share per vault held.
    public let approval: UnlockApproval
    /// The vaults whose shares it carries, and those left out with the reason (including shares that did not open).
    public let review: ApprovalReview
    /// How many X25519 agreements decrypting the envelopes took: one per distinct ephemeral key among the vaults
    /// (after a bulk re-split, all of its vaults share one).
    public let envelopeAgreements: Int
}

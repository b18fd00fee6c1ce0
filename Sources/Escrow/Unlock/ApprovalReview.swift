/// What one custodian would approve in a request, checked without any secret (``Store/reviewApproval(of:for:)``):
/// the vaults of the request in which they hold a share of the requested generation, and those left out with the
/// reason.
public struct ApprovalReview: Sendable {
    /// A vault whose share the custodian will contribute.
    public struct Held: Sendable {
        /// The request target.
        public let target: UnlockTarget
        /// The vault as the store has it now.
        public let vault: Vault
        /// The custodian's entry in the vault's policy.
        public let custodian: VaultPolicy.Custodian
    }

    /// A vault of the request the custodian holds a share of but cannot contribute now.
    public struct Skipped: Sendable {
        /// The vault's name.
        public let vaultName: String
        /// Why (re-split since the request, released, missing, or the custodian's share does not open).
        public let error: EscrowError
    }

    /// The request.
    public let request: UnlockRequest
    /// The custodian's public identity.
    public let approver: PublicIdentity
    /// The vaults whose shares go into the approval, in request order.
    public let held: [Held]
    /// The vaults left out.
    public let skipped: [Skipped]
    /// How many vaults of the request the custodian holds no share of.
    public let notHeld: Int
}

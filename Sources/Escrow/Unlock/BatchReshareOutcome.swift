/// What an executed bulk re-split did (``Store/executeBatchReshare(_:approvals:requester:partial:using:)``).
public struct BatchReshareOutcome: Sendable {
    /// A vault that was re-split.
    public struct Reshared: Sendable {
        /// The vault after the re-split (new policy, generation + 1).
        public let vault: Vault
        /// The custodians whose shares rebuilt its key.
        public let approvers: [VaultPolicy.Custodian]
        /// Bad shares that were not needed (each names the custodian and the file); empty normally.
        public let badShares: [String]
        /// Its `vault.reshare` audit record.
        public let record: AuditRecord
    }

    /// A vault left unchanged (only with `partial`), and why.
    public struct Failed: Sendable {
        /// The vault's name.
        public let vaultName: String
        /// Why it was not re-split (names the vault and, for a bad share, the custodian).
        public let error: EscrowError
        /// Its `unlock.failed` record, when shares had been decrypted; `nil` when it failed before (not ready).
        public let record: AuditRecord?
    }

    /// The request executed.
    public let request: UnlockRequest
    /// The vaults re-split, in request order.
    public let reshared: [Reshared]
    /// The vaults left unchanged, in request order.
    public let failed: [Failed]
    /// Every record of the batch commit, in log order.
    public let records: [AuditRecord]
}

/// What an executed unlock produced.
public struct UnlockOutcome: Sendable {
    /// The action's result.
    public enum Result: Sendable {
        /// The requested entries, decrypted.
        case opened([OpenedEntry])
        /// The export bundle (already handed to the `deliver` callback before the commit).
        case released(ReleaseBundle)
        /// The vault was re-split; its new policy and generation are in ``UnlockOutcome/vault``.
        case reshared
    }

    /// The result.
    public let result: Result
    /// The vault after the action (released or re-split for those actions, unchanged for `open`).
    public let vault: Vault
    /// The custodians whose shares rebuilt the key.
    public let approvers: [VaultPolicy.Custodian]
    /// Custodians whose share was bad but who were not needed (the message names each); empty normally.
    public let badShares: [String]
    /// The audit record of the action.
    public let record: AuditRecord
}

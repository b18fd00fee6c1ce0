/// An action that only moves a vault from one status to another (close, reopen): its target names neither versions
/// nor a policy, its approvals carry nothing, and it needs the vault's quorum.
protocol StatusAction: QuorumAction {
    /// The status the vault must have.
    static var from: VaultStatus { get }
    /// The status the execution gives it.
    static var to: VaultStatus { get }
}

extension StatusAction {
    static var payload: ApprovalPayload { .nothing }

    static func check(_ target: RequestTarget, of vault: VaultState, force: Bool, in fold: Fold) throws(Refusal) {
        guard target.versions.isEmpty, target.policy == nil else {
            throw Refusal("a \(kind.rawValue) request names neither versions nor a policy")
        }
        guard vault.status == from else { throw Refusal("'\(vault.reference.name)' is \(vault.status.rawValue)") }
    }

    /// A custodian of the vault's policy.
    static func isApprover(_ key: [UInt8], of target: RequestTarget, in vault: VaultState) -> Bool {
        vault.policy.custodian(withKey: key) != nil
    }

    static func apply(_ target: RequestTarget, to vault: inout VaultState, by execution: QuorumExecution)
        throws(Refusal) -> [String]
    {
        vault.status = to
        return []
    }
}

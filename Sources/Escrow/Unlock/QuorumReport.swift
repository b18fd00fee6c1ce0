/// Where an unlock request stands, computed from the request, the approvals and the store without any secret: which
/// approvals count, which do not and why, what blocks the request itself, and who could still approve.
public struct QuorumReport: Sendable {
    /// An approval that counts.
    public struct Counted: Sendable {
        /// The approval's file.
        public let source: String
        /// The custodian who approved, as the vault's policy names them.
        public let custodian: VaultPolicy.Custodian
        /// The approval.
        public let approval: UnlockApproval
        /// The approval's share for the request's vault.
        public let share: ApprovalShare
    }

    /// An approval that does not count, with the reason.
    public struct NotCounted: Sendable {
        /// The approval's file.
        public let source: String
        /// Why it does not count (the message names the approver).
        public let error: EscrowError
    }

    /// The request.
    public let request: UnlockRequest
    /// The request's vault as the store has it now.
    public let vault: Vault
    /// The request's target.
    public let target: UnlockTarget
    /// The approvals that count, one per custodian, in the order given.
    public let counted: [Counted]
    /// The approvals that do not count.
    public let notCounted: [NotCounted]
    /// What prevents the request from being executed at all (expired, already executed, vault re-split…).
    public let problems: [EscrowError]

    /// How many approvals the vault needs.
    public var threshold: Int { vault.policy.threshold }
    /// How many more approvals are needed.
    public var missing: Int { max(0, threshold - counted.count) }
    /// The custodians of the vault who have not (validly) approved yet, in policy order.
    public var remaining: [VaultPolicy.Custodian] {
        let approved = Set(counted.map(\.custodian.fingerprint))
        return vault.policy.custodians.filter { !approved.contains($0.fingerprint) }
    }
    /// Whether the request can be executed now.
    public var isReady: Bool { problems.isEmpty && notCounted.isEmpty && missing == 0 }

    /// Throws the first reason the request cannot be executed: a problem of the request, an approval that does not
    /// count (naming its file and approver), or missing approvals (saying how many and from whom).
    ///
    /// - Throws: The problem's own error, or ``EscrowError/Code/quorumNotMet``.
    public func requireReady() throws(EscrowError) {
        if let problem = problems.first { throw problem }
        if let bad = notCounted.first { throw EscrowError(bad.error.code, "\(bad.source): \(bad.error.message)") }
        guard missing == 0 else {
            let names = remaining.map(\.name).joined(separator: ", ")
            throw EscrowError(
                .quorumNotMet,
                "request \(request.code) has \(counted.count) of the \(threshold) approvals vault '\(vault.name)' needs: \(missing) more needed, from any of \(names); nothing was opened"
            )
        }
    }
}

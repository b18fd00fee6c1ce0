import Shamir

/// One kind of quorum action (open, release, re-split, close, reopen): what its request targets and checks before any
/// secret, what an approver contributes, what the fold requires before the execution and what the execution does to
/// each vault.
///
/// A single vault is a batch of one: every per-target requirement takes one target of the request, and the generic
/// driver (``Ledger``'s `request`, `approve` and `execute`) and the fold (`Fold+Request`, `Fold+Execution`) run it for
/// each target. They do everything all actions share (the request's reason, deadline, generation, duplicate approvals,
/// custody challenges, the approvals an execution may cite) and ask ``QuorumActions/action(for:)`` for the rest, so an
/// action is added with a case of ``RequestAction``, a line in the registry and one file.
protocol QuorumAction {
    /// The request body's action kind this type carries out.
    static var kind: RequestAction { get }

    /// What an approval of this action carries (and so whether its request names a recipient).
    static var payload: ApprovalPayload { get }

    /// Whether only the requester records the execution (an open, with the request's key); otherwise any custodian
    /// executes it once the quorum is met.
    static var isExecutedByRequester: Bool { get }

    /// Checks one target of a request against its vault as folded, before any secret (the fold's authority rule for
    /// the request; the ledger's dry run gives the same reason).
    ///
    /// - Parameters:
    ///   - target: The target.
    ///   - vault: Its vault, at the target's generation.
    ///   - force: Whether the requester forced an open of a closed vault.
    ///   - fold: The fold so far (the roster a new policy is checked against).
    /// - Throws: ``Refusal`` naming the problem.
    static func check(_ target: RequestTarget, of vault: VaultState, force: Bool, in fold: Fold) throws(Refusal)

    /// The keys of custodians the target adds to its vault (each gets a custody challenge in the request).
    ///
    /// - Parameters:
    ///   - target: A checked target.
    ///   - vault: Its vault.
    /// - Returns: The added keys, in policy order.
    static func addedCustodians(_ target: RequestTarget, of vault: VaultState) -> [[UInt8]]

    /// Whether the holder of `key` has something to approve in `target`.
    ///
    /// - Parameters:
    ///   - key: An Ed25519 public key.
    ///   - target: A target of the request.
    ///   - vault: Its vault.
    /// - Returns: `true` if an approval by `key` counts for this target.
    static func isApprover(_ key: [UInt8], of target: RequestTarget, in vault: VaultState) -> Bool

    /// The progress of one target: what is counted, the approvals so far that count, and what is missing.
    ///
    /// - Parameters:
    ///   - target: A target of the request.
    ///   - vault: Its vault as folded now.
    ///   - request: The request with its approvals and acknowledgements so far.
    /// - Returns: The parts, in order.
    static func tally(_ target: RequestTarget, of vault: VaultState, request: RequestState) -> [QuorumTally]

    /// What `approver` contributes to the request for all its targets (the approval's values).
    ///
    /// - Parameters:
    ///   - targets: The request's targets with their vaults (the generation checked).
    ///   - approver: The approving custodian and its keys.
    ///   - random: Polynomial randomness for sub-shares.
    /// - Returns: The values the approval carries (empty when the approver holds nothing of the targets).
    /// - Throws: ``EscrowError`` if one of the approver's own values fails to open (naming its author).
    static func contribute(
        _ targets: [QuorumTarget],
        as approver: QuorumApprover,
        random: inout some RandomSource
    ) throws(EscrowError) -> ApprovalContents

    /// Checks that the approvals cited by an execution meet one target's quorum.
    ///
    /// - Parameters:
    ///   - target: The target.
    ///   - vault: Its vault, at the target's generation.
    ///   - approvers: Keys of the approvers cited.
    /// - Throws: ``Refusal`` naming what is short.
    static func checkQuorum(_ target: RequestTarget, of vault: VaultState, approvers: Set<[UInt8]>) throws(Refusal)

    /// Applies the executed action to one target's vault.
    ///
    /// - Parameters:
    ///   - target: The target.
    ///   - vault: Its vault, changed in place.
    ///   - execution: The request, the execution body and the approvals it cites.
    /// - Returns: Notes for the execution event (what did not move, what was given up), in order.
    /// - Throws: ``Refusal`` if the execution body is malformed for this action.
    static func apply(_ target: RequestTarget, to vault: inout VaultState, by execution: QuorumExecution)
        throws(Refusal) -> [String]
}

extension QuorumAction {
    static var isExecutedByRequester: Bool { false }

    static func addedCustodians(_ target: RequestTarget, of vault: VaultState) -> [[UInt8]] { [] }

    static func contribute(
        _ targets: [QuorumTarget],
        as approver: QuorumApprover,
        random: inout some RandomSource
    ) throws(EscrowError) -> ApprovalContents {
        ApprovalContents()
    }

    /// One part for the vault: custodians of its policy at the request's generation, and the custodians the target
    /// adds who have not acknowledged custody.
    static func tally(_ target: RequestTarget, of vault: VaultState, request: RequestState) -> [QuorumTally] {
        let policy = vault.policies[target.generation] ?? vault.policy
        let count = request.approvals.keys.filter { policy.custodian(withKey: $0) != nil }.count
        let missing = (target.policy?.custodians ?? []).filter {
            policy.custodian(withKey: $0.key.bytes) == nil && !request.acknowledged.contains($0.key.bytes)
        }
        return [
            QuorumTally(
                subject: .vault,
                approvals: count,
                needed: policy.threshold,
                missingAcknowledgements: missing.map(\.name)
            )
        ]
    }

    /// The vault quorum: `threshold` custodians of the vault's policy.
    static func checkQuorum(_ target: RequestTarget, of vault: VaultState, approvers: Set<[UInt8]>) throws(Refusal) {
        try checkVaultQuorum(of: vault, approvers: approvers)
    }

    /// Checks that `threshold` custodians of the vault's policy are among `approvers`.
    ///
    /// - Parameters:
    ///   - vault: The vault.
    ///   - approvers: Keys of the approvers cited.
    /// - Throws: ``Refusal`` naming the count.
    static func checkVaultQuorum(of vault: VaultState, approvers: Set<[UInt8]>) throws(Refusal) {
        let count = vault.policy.custodians.filter { approvers.contains($0.key.bytes) }.count
        guard count >= vault.policy.threshold else {
            throw Refusal("'\(vault.reference.name)' has \(count) of the \(vault.policy.threshold) approvals it needs")
        }
    }
}

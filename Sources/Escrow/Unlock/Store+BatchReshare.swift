import Shamir
import Sodium

/// Bulk re-split: when a custodian leaves, every vault they hold a share of is re-split in one request, one approval
/// per custodian and one batch commit. The request format is the single-vault one with many targets; approvals and the
/// execution do one public-key operation per custodian (or approval) per batch and symmetric work per share.
extension Store {
    /// Plans a bulk re-split without writing anything (`escrow vault reshare --all … --dry-run`).
    ///
    /// - Parameter change: What changes.
    /// - Returns: The vaults to re-split with their new policies, and the vaults left out.
    /// - Throws: See ``makeReshareRequest(_:by:lifetime:)``.
    public func planReshare(_ change: ReshareChange) throws(EscrowError) -> ResharePlan {
        try withLock { (session) throws(EscrowError) in try session.plan(change, roster: try session.roster()) }
    }

    /// Makes a signed re-split request for many vaults (`escrow vault reshare --all --remove bob --add frank --out
    /// REQ`): one target per vault, each naming the vault's generation and its exact new policy. The store is not
    /// changed.
    ///
    /// - Parameters:
    ///   - change: What changes (see ``ReshareChange``).
    ///   - requester: An active roster member; signs, and alone can open the approvals.
    ///   - lifetime: Seconds until the request expires (``UnlockRequest/allowedLifetimes``).
    /// - Returns: The request and the plan it was made from (what was left out and why).
    /// - Throws: ``EscrowError/Code/notAuthorized`` (not in the roster); ``EscrowError/Code/invalidInput`` (nothing
    ///   changes, a vault would keep fewer custodians than its threshold — named —, no vault to re-split);
    ///   ``EscrowError/Code/notFound`` (a listed vault or a custodian).
    public func makeReshareRequest(_ change: ReshareChange, by requester: CustodianIdentity, lifetime: Int64)
        throws(EscrowError) -> (request: UnlockRequest, plan: ResharePlan)
    {
        try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            try session.requireMember(requester, in: roster)
            let plan = try session.plan(change, roster: roster)
            let request = try UnlockRequest.make(
                action: .reshare,
                targets: plan.targets,
                customer: nil,
                reason: change.reason,
                forceReason: change.forceReason,
                requester: requester,
                createdAt: clock.now,
                lifetime: lifetime
            )
            return (request, plan)
        }
    }

    /// Where a request for several vaults stands (`escrow unlock status`): see ``BatchQuorumReport``. Needs no secret
    /// and changes nothing.
    ///
    /// - Parameters:
    ///   - request: The request (any number of targets).
    ///   - approvals: The approvals collected so far.
    /// - Returns: The report.
    /// - Throws: Read errors.
    public func batchQuorumReport(for request: UnlockRequest, approvals: [ApprovalFile]) throws(EscrowError)
        -> BatchQuorumReport
    {
        try withLock { (session) throws(EscrowError) in try session.evaluateBatch(request, approvals: approvals) }
    }

    /// Checks, without any secret, what `approver` would approve in `request`: the vaults they hold a share of that can
    /// be approved now, and those left out with the reason. Run it before asking for the passphrase;
    /// ``approveBatch(_:by:)`` checks again.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approver: The would-be approver's public identity.
    /// - Returns: The review.
    /// - Throws: A problem of the whole request (``EscrowError/Code/expired``, ``EscrowError/Code/alreadyUsed``…);
    ///   ``EscrowError/Code/notAuthorized`` when the approver holds no share of any vault that can be approved; for a
    ///   single vault, what ``reviewApproval(of:by:)`` throws.
    public func reviewBatchApproval(of request: UnlockRequest, by approver: PublicIdentity) throws(EscrowError)
        -> ApprovalReview
    {
        try withLock { (session) throws(EscrowError) in try session.reviewApproval(request, by: approver) }
    }

    /// Approves a request for one or many vaults (`escrow unlock approve`): ONE approval file with this custodian's
    /// share of every vault of the request they hold, decrypted with one X25519 agreement per distinct envelope key
    /// and re-encrypted under one agreement with the request key, one AEAD per share. The store is not changed.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approver: The custodian's unlocked identity.
    /// - Returns: The approval and what went into it.
    /// - Throws: What ``reviewBatchApproval(of:by:)`` throws; ``EscrowError/Code/tampered`` if none of the
    ///   custodian's shares opens.
    public func approveBatch(_ request: UnlockRequest, by approver: CustodianIdentity) throws(EscrowError)
        -> BatchApproval
    {
        try withLock { (session) throws(EscrowError) in try session.approveBatch(request, by: approver) }
    }

    /// Executes a re-split request for many vaults (`escrow unlock open` of a bulk request).
    ///
    /// Verifies everything as for one vault (per vault: a quorum of its current custodians at the request's
    /// generation, each share checked against its digest, bad shares named), then: every share decrypted into one
    /// guarded buffer (one X25519 agreement per approval), the keys rebuilt with `Shamir.combineBatch` grouped by x-set
    /// into one guarded buffer, each checked against its vault's public key, split with `Shamir.splitBatch` grouped by
    /// new policy, encrypted under ONE fresh ephemeral key with one agreement per new custodian, and committed with ONE
    /// batch commit: one `vault.reshare` record per vault (``AuditBatch``).
    ///
    /// **All or nothing by default.** If any vault is not ready (re-split since the request, too few approvals…),
    /// nothing is decrypted or written and the first such vault is named. If shares turn out bad after decryption
    /// (or a key does not match), one `unlock.failed` record per failed vault is committed and nothing is re-split.
    /// With `partial`, the vaults that are ready and whose shares are good are re-split; the others are left
    /// unchanged and reported (an `unlock.failed` record for those whose shares were decrypted). Either way the request
    /// then counts as executed and never runs again: make a new request for the vaults left over.
    ///
    /// - Parameters:
    ///   - request: The request (action `reshare`).
    ///   - approvals: The approvals.
    ///   - requester: The requester's unlocked identity (signs the records and the vault files).
    ///   - partial: Re-split the good vaults even if others fail.
    ///   - rng: Randomness for the Shamir coefficients (a fresh `StreamRandom` per batch in production).
    /// - Returns: What was re-split and what was not.
    /// - Throws: See ``BatchQuorumReport/requireReady(partial:)``; ``EscrowError/Code/badShare`` or
    ///   ``EscrowError/Code/tampered`` naming the first failed vault (all or nothing, or every vault failed);
    ///   ``EscrowError/Code/notAuthorized`` (not the requester).
    /// - Complexity: One X25519 agreement per approval and per new custodian, one scalar multiplication per vault
    ///   (the key check), symmetric work per share, one Ed25519 signature per vault file and per record, one commit.
    public func executeBatchReshare(
        _ request: UnlockRequest,
        approvals: [ApprovalFile],
        requester: CustodianIdentity,
        partial: Bool = false,
        using rng: inout some RandomSource
    ) throws(EscrowError) -> BatchReshareOutcome {
        try withLock { (session) throws(EscrowError) in
            try session.executeBatch(request, approvals: approvals, requester: requester, partial: partial, using: &rng)
        }
    }
}

import Shamir
import Sodium

/// The asynchronous quorum: a requester makes a signed request, each custodian approves it on their own machine
/// (their share re-encrypted to the request's key), and the requester opens it with enough approvals. Requests and
/// approvals are files passed around; only the execution writes to the store (one audit record, plus the vault file
/// for a release or a re-split).
extension Store {
    /// Makes a signed unlock request (`escrow unlock request`, `vault release --out`, `vault reshare --out`). The
    /// store is not changed.
    ///
    /// - Parameters:
    ///   - intent: What is asked.
    ///   - requester: An active roster member; signs, and alone can open the approvals.
    ///   - lifetime: Seconds until the request expires (``UnlockRequest/allowedLifetimes``).
    /// - Returns: The request.
    /// - Throws: ``EscrowError/Code/notAuthorized`` (not in the roster), ``EscrowError/Code/notFound`` (vault, entry
    ///   or custodian), ``EscrowError/Code/conflict`` (released vault, closed without force),
    ///   ``EscrowError/Code/invalidInput``.
    public func makeRequest(_ intent: UnlockIntent, by requester: CustodianIdentity, lifetime: Int64)
        throws(EscrowError) -> UnlockRequest
    {
        try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            try session.requireMember(requester, in: roster)
            let (_, target) = try session.resolve(intent, roster: roster)
            return try UnlockRequest.make(
                action: intent.action,
                targets: [target],
                customer: intent.customer,
                reason: intent.reason,
                forceReason: intent.forceReason,
                requester: requester,
                createdAt: clock.now,
                lifetime: lifetime
            )
        }
    }

    /// Where a request stands (`escrow unlock status`): valid approvals, the others with reasons, what blocks the
    /// request, who could still approve. Needs no secret and changes nothing.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approvals: The approvals collected so far.
    /// - Returns: The report.
    /// - Throws: ``EscrowError/Code/notFound`` if the request's vault is not in this store; read errors.
    public func quorumReport(for request: UnlockRequest, approvals: [ApprovalFile]) throws(EscrowError)
        -> QuorumReport
    {
        try withLock { (session) throws(EscrowError) in try session.evaluate(request, approvals: approvals) }
    }

    /// Checks, without any secret, that `approver` may approve `request` now: the request is valid (not expired,
    /// not executed, the vault's state and generation fit) and `approver` holds a share of the vault's current
    /// generation. Run it before asking for the passphrase; ``approve(_:by:)`` checks again.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approver: The would-be approver's public identity.
    /// - Returns: The request's vault and the approver's place in its policy.
    /// - Throws: The request's first problem (``EscrowError/Code/expired``, ``EscrowError/Code/alreadyUsed``,
    ///   ``EscrowError/Code/conflict``…) or ``EscrowError/Code/notAuthorized``.
    public func reviewApproval(of request: UnlockRequest, by approver: PublicIdentity) throws(EscrowError)
        -> (vault: Vault, custodian: VaultPolicy.Custodian)
    {
        try withLock { (session) throws(EscrowError) in try session.review(request, by: approver) }
    }

    /// Approves a request (`escrow unlock approve`): decrypts the approver's share(s) from the vault(s) and
    /// re-encrypts them to the request's key, signed (the approval of ``approveBatch(_:by:)``). The store is not
    /// changed.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approver: The custodian's unlocked identity.
    /// - Returns: The approval to send back to the requester.
    /// - Throws: What ``reviewApproval(of:by:)`` throws; ``EscrowError/Code/tampered`` if the custodian's own share
    ///   does not decrypt or match its digest.
    public func approve(_ request: UnlockRequest, by approver: CustodianIdentity) throws(EscrowError)
        -> UnlockApproval
    {
        try approveBatch(request, by: approver).approval
    }

    /// Checks, without any secret, that a request can be executed with these approvals now. Run it before asking
    /// for the requester's passphrase; ``executeRequest(_:approvals:requester:using:deliver:)`` checks again.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approvals: The approvals.
    /// - Returns: The (ready) report.
    /// - Throws: See ``QuorumReport/requireReady()``.
    public func requireQuorum(for request: UnlockRequest, approvals: [ApprovalFile]) throws(EscrowError)
        -> QuorumReport
    {
        let report = try quorumReport(for: request, approvals: approvals)
        try report.requireReady()
        return report
    }

    /// Executes a request with its approvals (`escrow unlock open`): verifies everything again, decrypts the shares
    /// with the request's ephemeral key (unsealed with the requester's identity), checks each against its recorded
    /// digest, combines, checks the key against the vault's public key, and performs the action with one audit
    /// record. A bad share is named; if fewer than the threshold are good, a failed-attempt record naming the bad
    /// custodians is appended and nothing is opened or changed.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - approvals: The approvals.
    ///   - requester: The requester's unlocked identity (signs the record, and the vault file or bundle).
    ///   - rng: Randomness for a re-split.
    ///   - deliver: For a release: stores the bundle before the commit (throwing cancels the release).
    /// - Returns: What the action produced.
    /// - Throws: See ``QuorumReport/requireReady()``; ``EscrowError/Code/notAuthorized`` (not the requester),
    ///   ``EscrowError/Code/badShare``, ``EscrowError/Code/tampered``.
    public func executeRequest(
        _ request: UnlockRequest,
        approvals: [ApprovalFile],
        requester: CustodianIdentity,
        using rng: inout some RandomSource,
        deliver: (ReleaseBundle) throws(EscrowError) -> Void = { _ in }
    ) throws(EscrowError) -> UnlockOutcome {
        try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            try session.requireMember(requester, in: roster)
            let report = try session.evaluate(request, approvals: approvals)
            try report.requireReady()
            let requestKey = try request.ephemeralKeyPair(for: requester)
            let vault = report.vault
            var collected: [StoreSession.CollectedShare] = []
            for counted in report.counted {
                var entry = StoreSession.CollectedShare(custodian: counted.custodian, share: nil, problem: nil)
                do {
                    let share = try counted.approval.open(counted.share, requestKey: requestKey)
                    if let envelope = vault.shares.envelope(for: counted.custodian.fingerprint),
                        ShareDigest.matches(
                            share: share,
                            digest: envelope.digest.bytes,
                            key: vault.shares.digestKey.bytes,
                            vaultID: vault.id.bytes,
                            generation: vault.generation,
                            x: counted.custodian.x
                        )
                    {
                        entry.share = share
                    } else {
                        entry.problem =
                            "it does not match its recorded digest (a wrong share, or one of another vault or generation), in \(counted.source)"
                    }
                } catch {
                    entry.problem = "it does not decrypt with the request key, in \(counted.source)"
                }
                collected.append(entry)
            }
            let customer = try request.customer.map { (reference) throws(EscrowError) in
                try reference.publicIdentity(source: "request \(request.code)")
            }
            return try session.complete(
                action: request.action,
                vault: vault,
                target: report.target,
                customer: customer,
                shares: collected,
                context: StoreSession.ExecutionContext(
                    mode: "quorum",
                    request: request,
                    actor: requester,
                    reason: request.reason,
                    forceReason: request.forceReason
                ),
                using: &rng,
                deliver: deliver
            )
        }
    }
}

extension StoreSession {
    /// The checks of ``Store/reviewApproval(of:by:)``.
    func review(_ request: UnlockRequest, by approver: PublicIdentity) throws(EscrowError)
        -> (vault: Vault, custodian: VaultPolicy.Custodian)
    {
        let report = try evaluate(request, approvals: [])
        if let problem = report.problems.first { throw problem }
        let vault = report.vault
        guard let custodian = vault.policy.custodian(fingerprint: approver.fingerprint),
            custodian.signingKey.bytes == approver.signingKey
        else {
            throw EscrowError(
                .notAuthorized,
                "\(approver.name) (\(approver.fingerprint)) is not a custodian of vault '\(vault.name)' (generation \(vault.generation)): only \(vault.policy.custodians.map(\.name).joined(separator: ", ")) can approve"
            )
        }
        return (vault, custodian)
    }
}

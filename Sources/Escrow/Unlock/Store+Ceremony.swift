import Shamir
import Sodium

/// The in-room ceremony: the custodians present type their passphrases in turn at one terminal; their own shares are
/// decrypted from the vault, checked against their digests, combined, and the action runs with the same checks and
/// the same audit as an asynchronous quorum (action `unlock.ceremony` for an open; `details.mode` = `ceremony`).
extension Store {
    /// Checks, without any secret, that a ceremony can run: the intent fits the store and the custodians listed are
    /// distinct custodians of the vault, at least as many as its threshold. Run it before asking for passphrases;
    /// ``runCeremony(_:custodians:using:deliver:)`` checks again.
    ///
    /// - Parameters:
    ///   - intent: What is asked.
    ///   - custodians: The public identities of the custodians present, the first one running the ceremony.
    /// - Returns: The vault and the exact target (the entries, or the new policy with its x-coordinates).
    /// - Throws: ``EscrowError/Code/notAuthorized`` (someone is not a custodian), ``EscrowError/Code/quorumNotMet``
    ///   (too few present), and the checks of ``makeRequest(_:by:lifetime:)``.
    public func reviewCeremony(_ intent: UnlockIntent, custodians: [PublicIdentity]) throws(EscrowError)
        -> (vault: Vault, target: UnlockTarget)
    {
        try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            let review = try session.reviewCeremony(intent, custodians: custodians, roster: roster)
            return (review.vault, review.target)
        }
    }

    /// Runs the ceremony.
    ///
    /// - Parameters:
    ///   - intent: What is asked.
    ///   - custodians: The unlocked identities of the custodians present; the first signs the audit record (and the
    ///     vault file or bundle).
    ///   - rng: Randomness for a re-split.
    ///   - deliver: For a release: stores the bundle before the commit (throwing cancels the release).
    /// - Returns: What the action produced.
    /// - Throws: The checks of ``reviewCeremony(_:custodians:)``; ``EscrowError/Code/badShare`` naming a custodian
    ///   whose share is bad when too few good ones remain (a failed-attempt record is appended).
    public func runCeremony(
        _ intent: UnlockIntent,
        custodians: [CustodianIdentity],
        using rng: inout some RandomSource,
        deliver: (ReleaseBundle) throws(EscrowError) -> Void = { _ in }
    ) throws(EscrowError) -> UnlockOutcome {
        try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            guard let actor = custodians.first else {
                throw EscrowError(
                    .invalidInput,
                    "a ceremony needs the custodians present",
                    hint: .nameCustodiansPresent
                )
            }
            try session.requireMember(actor, in: roster)
            let (vault, target, policyEntries) = try session.reviewCeremony(
                intent,
                custodians: custodians.map(\.publicIdentity),
                roster: roster
            )
            var collected: [StoreSession.CollectedShare] = []
            for (identity, custodian) in zip(custodians, policyEntries) {
                var entry = StoreSession.CollectedShare(custodian: custodian, share: nil, problem: nil)
                do throws(EscrowError) {
                    guard let envelope = vault.shares.envelope(for: custodian.fingerprint) else {
                        throw EscrowError(.malformedFile, "vault '\(vault.name)' has no share for \(custodian.name)")
                    }
                    entry.share = try envelope.open(
                        with: identity,
                        shareSet: vault.shares,
                        vaultID: vault.id.bytes,
                        generation: vault.generation
                    )
                } catch {
                    entry.problem = error.message
                }
                collected.append(entry)
            }
            return try session.complete(
                action: intent.action,
                vault: vault,
                target: target,
                customer: intent.customer,
                shares: collected,
                context: StoreSession.ExecutionContext(
                    mode: "ceremony",
                    request: nil,
                    actor: actor,
                    reason: intent.reason,
                    forceReason: intent.forceReason
                ),
                using: &rng,
                deliver: deliver
            )
        }
    }
}

extension StoreSession {
    /// The checks of ``Store/reviewCeremony(_:custodians:)``; returns the policy entry of each custodian, in order.
    func reviewCeremony(_ intent: UnlockIntent, custodians: [PublicIdentity], roster: Roster) throws(EscrowError)
        -> (vault: Vault, target: UnlockTarget, custodians: [VaultPolicy.Custodian])
    {
        let (vault, target) = try resolve(intent, roster: roster)
        var entries: [VaultPolicy.Custodian] = []
        var seen = Set<[UInt8]>()
        for identity in custodians {
            guard seen.insert(identity.signingKey).inserted else {
                throw EscrowError(.invalidInput, "\(identity.name) (\(identity.fingerprint)) is listed twice")
            }
            guard let custodian = vault.policy.custodian(fingerprint: identity.fingerprint),
                custodian.signingKey.bytes == identity.signingKey
            else {
                throw EscrowError(
                    .notAuthorized,
                    "\(identity.name) (\(identity.fingerprint)) is not a custodian of vault '\(vault.name)' (generation \(vault.generation))"
                )
            }
            entries.append(custodian)
        }
        let threshold = vault.policy.threshold
        guard entries.count >= threshold else {
            let present = Set(entries.map(\.fingerprint))
            let others = vault.policy.custodians.filter { !present.contains($0.fingerprint) }.map(\.name)
            throw EscrowError(
                .quorumNotMet,
                "vault '\(vault.name)' needs \(threshold) custodians and \(entries.count) are present: \(threshold - entries.count) more needed, from any of \(others.joined(separator: ", "))"
            )
        }
        return (vault, target, entries)
    }
}

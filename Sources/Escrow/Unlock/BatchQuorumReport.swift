/// Where a request for several vaults (a bulk re-split) stands, computed without any secret: the approval files that
/// count and those that do not, and for each vault its problems, the shares that count, the shares refused before any
/// decryption, and who could still approve.
///
/// Problems of the whole request (expired, already executed, requester not in the roster) and approval files that do
/// not count (altered, another request, not a custodian of any vault of the request, one custodian twice) block the
/// execution: leave such files out. A problem of one vault (re-split since the request, released, a new custodian gone
/// from the roster, too few approvals) makes that vault not ready; ``requireReady(partial:)`` decides whether the
/// others may proceed.
public struct BatchQuorumReport: Sendable {
    /// A share that counts for one vault.
    public struct CountedShare: Sendable {
        /// The index of the approval file in ``BatchQuorumReport/counted``.
        public let file: Int
        /// The custodian, as the vault's policy names them.
        public let custodian: VaultPolicy.Custodian
        /// The approval's share for the vault.
        public let share: ApprovalShare
    }

    /// A share refused for one vault before any decryption (the message names the approver and the file).
    public struct RefusedShare: Sendable {
        /// The custodian concerned, when the approver is one of the vault's.
        public let custodian: VaultPolicy.Custodian?
        /// Why.
        public let error: EscrowError
    }

    /// One vault of the request.
    public struct Target: Sendable {
        /// The request target.
        public let target: UnlockTarget
        /// The vault as the store has it now (`nil` when it is missing).
        public let vault: Vault?
        /// What prevents this vault from being re-split.
        public let problems: [EscrowError]
        /// The shares that count, one per custodian, in the order of the approval files.
        public let shares: [CountedShare]
        /// Shares refused before decryption.
        public let refused: [RefusedShare]

        /// How many approvals the vault needs.
        public var threshold: Int { vault?.policy.threshold ?? 0 }
        /// How many more approvals are needed.
        public var missing: Int { max(0, threshold - shares.count) }
        /// The vault's custodians who have not (validly) approved, in policy order.
        public var remaining: [VaultPolicy.Custodian] {
            let approved = Set(shares.map(\.custodian.fingerprint))
            return (vault?.policy.custodians ?? []).filter { !approved.contains($0.fingerprint) }
        }
        /// Whether this vault can be re-split now.
        public var isReady: Bool { vault != nil && problems.isEmpty && missing == 0 }

        /// The reason this vault is not ready, or `nil`.
        ///
        /// - Parameter request: The request, for the message.
        /// - Returns: Its first problem, or a ``EscrowError/Code/quorumNotMet`` error naming who could still approve.
        public func blocker(in request: UnlockRequest) -> EscrowError? {
            if let problem = problems.first { return problem }
            guard missing > 0 else { return nil }
            let names = remaining.map(\.name).joined(separator: ", ")
            return EscrowError(
                .quorumNotMet,
                "request \(request.code) has \(shares.count) of the \(threshold) approvals vault '\(target.vaultName)' needs: \(missing) more needed, from any of \(names)"
            )
        }
    }

    /// The request.
    public let request: UnlockRequest
    /// Problems of the whole request.
    public let problems: [EscrowError]
    /// The approval files that count, in the order given.
    public let counted: [ApprovalFile]
    /// The approval files that do not count, with the reason.
    public let notCounted: [QuorumReport.NotCounted]
    /// One entry per request target, in request order.
    public let targets: [Target]

    /// The vaults that can be re-split now.
    public var ready: [Target] { targets.filter(\.isReady) }
    /// The vaults that cannot.
    public var notReady: [Target] { targets.filter { !$0.isReady } }
    /// Whether every vault can be re-split and nothing blocks the request.
    public var isReady: Bool { problems.isEmpty && notCounted.isEmpty && targets.allSatisfy(\.isReady) }

    /// Throws the first reason the request cannot be executed.
    ///
    /// - Parameter partial: `false` (the default everywhere): every vault must be ready, the batch is all or nothing.
    ///   `true`: the vaults that are ready proceed, the others are left unchanged (at least one must be ready).
    /// - Throws: A request problem, an approval file that does not count (naming the file), or — naming the first
    ///   vault that is not ready and how many are not — that vault's problem (its own code) or
    ///   ``EscrowError/Code/quorumNotMet``.
    public func requireReady(partial: Bool) throws(EscrowError) {
        if let problem = problems.first { throw problem }
        if let bad = notCounted.first {
            throw EscrowError(bad.error.code, "\(bad.source): \(bad.error.message)", hints: bad.error.hints)
        }
        let blocked = notReady
        guard let first = blocked.first, let blocker = first.blocker(in: request) else { return }
        if partial, blocked.count < targets.count { return }
        let others =
            blocked.count > 1
            ? " (and \(blocked.count - 1) more of the \(targets.count) vaults are not ready)"
            : targets.count > 1 ? " (1 of the \(targets.count) vaults)" : ""
        let offerPartial = !partial && targets.count > 1
        throw EscrowError(
            blocker.code,
            "\(blocker.message)\(others); nothing was changed",
            hints: blocker.hints + (offerPartial ? [.executeReadyVaultsOnly] : [])
        )
    }
}

import Sodium

/// Opening credential versions for the requester: approvers re-seal their shares to the request's key, and the
/// requester rebuilds the keys, opens the values and records the execution.
enum OpenAction: VersionAction {
    static let kind = RequestAction.open
    static let isAllowedOnClosedVault = false
    static let isExecutedByRequester = true

    /// Each named version needs its own holder quorum (the vault's policy alone does not open anything).
    static func checkQuorum(_ target: RequestTarget, of vault: VaultState, approvers: Set<[UInt8]>) throws(Refusal) {
        try checkVersionQuorum(target, of: vault, approvers: approvers)
    }

    /// Records the working contributor subsets the opener found, resolving those re-split levels for everyone.
    static func apply(_ target: RequestTarget, to vault: inout VaultState, by execution: QuorumExecution)
        throws(Refusal) -> [String]
    {
        // The records of this target's versions (the fold checked that every record names an opened version).
        for record in execution.body.resolved where target.versions.contains(record.version) {
            guard var version = vault.version(record.version.bytes) else {
                throw Refusal("resolves a version the request did not open")
            }
            for level in record.levels {
                guard let index = version.levels.firstIndex(where: { $0.resplit.bytes == level.resplit.bytes }) else {
                    throw Refusal("resolves an unknown re-split level of \(version.entry)")
                }
                let known = version.levels[index]
                guard level.subset.count == known.threshold, Set(level.subset).isSubset(of: known.contributors) else {
                    throw Refusal("the working subset of a level of \(version.entry) is malformed")
                }
                if known.resolved == nil { version.levels[index].resolved = level.subset }
            }
            vault.update(version)
        }
        return []
    }

    /// What the requester's execution produces: the rebuilt versions, opened with the request's key pair (every
    /// value checked against the digest its author published, every key against its version's commitment), and the
    /// execution body recording the approvals used and the working re-split subsets.
    ///
    /// - Parameters:
    ///   - request: The approved open request.
    ///   - requestKeys: The request's X25519 key pair.
    ///   - ledger: The store.
    /// - Returns: The opened versions and the execution body.
    /// - Throws: ``EscrowError/Code/badShare`` naming the approver or contributor whose value fails.
    static func execute(_ request: RequestState, requestKeys: BoxKeyPair, in ledger: Ledger) throws(EscrowError)
        -> (versions: [OpenedVersion], body: ExecutionBody)
    {
        let approvals = request.approvals.values.sorted().compactMap { ledger.graph.event($0) }
        let rebuilder = VersionRebuilder(held: ledger.heldShares)
        var opened: [OpenedVersion] = []
        var resolved: [ResolvedVersion] = []
        var used: Set<EventID> = []
        for target in request.body.targets {
            let vault = try ledger.vault(named: target.vault.name)
            for id in target.versions {
                guard let version = vault.version(id.bytes) else { continue }
                let result = try rebuilder.rebuild(
                    version,
                    in: vault.reference,
                    approvals: approvals,
                    keys: requestKeys,
                    used: &used
                )
                opened.append(result.opened)
                if !result.levels.isEmpty {
                    resolved.append(ResolvedVersion(version: version.id, levels: result.levels))
                }
            }
        }
        return (opened, ExecutionBody(request: request.event.bytes, approvals: used.map(\.bytes), resolved: resolved))
    }
}

import Shamir
import Sodium

/// Re-splitting vaults to a new policy (custodians and/or threshold): each approver sub-shares every version it holds
/// for the new custodians, custodians the re-split adds acknowledge custody, and the execution moves every version
/// with enough consistent contributions to the new generation.
enum ReshareAction: QuorumAction {
    static let kind = RequestAction.resplit
    static let payload = ApprovalPayload.contributions

    /// Opened components handled at once (one sodium_malloc'd value each): bounds the guarded memory of a bulk
    /// re-split.
    private static let chunkSize = 2_048

    /// The target of a re-split: the vault's policy minus `remove`, plus `add`, with a new threshold if given
    /// (custodians who stay keep their x-coordinates).
    ///
    /// - Parameters:
    ///   - vaultName: The vault.
    ///   - remove: Custodians leaving the policy.
    ///   - add: Custodians joining it.
    ///   - threshold: The new threshold, or `nil` to keep it.
    ///   - ledger: The store.
    /// - Returns: The target.
    /// - Throws: ``EscrowError`` for unknown names or a bad policy.
    static func target(
        vault vaultName: String,
        remove: [String],
        add: [String],
        threshold: Int?,
        in ledger: Ledger
    ) throws(EscrowError) -> RequestTarget {
        let vault = try ledger.vault(named: vaultName)
        var coordinates: [String: UInt8] = [:]
        var names: [String] = []
        for custodian in vault.policy.custodians where !remove.contains(custodian.name) {
            coordinates[custodian.name] = custodian.x
            names.append(custodian.name)
        }
        for name in remove where vault.policy.custodians.allSatisfy({ $0.name != name }) {
            throw EscrowError(.notFound, "'\(NameRules.printable(name))' is not a custodian of vault '\(vaultName)'")
        }
        for name in add {
            guard !names.contains(name) else {
                throw EscrowError(.alreadyExists, "'\(name)' is already a custodian of vault '\(vaultName)'")
            }
            names.append(name)
        }
        let policy = try ledger.policy(
            threshold: threshold ?? vault.policy.threshold,
            custodians: names,
            coordinates: coordinates
        )
        return RequestTarget(vault: vault.reference, generation: vault.generation, policy: policy)
    }

    static func check(_ target: RequestTarget, of vault: VaultState, force: Bool, in fold: Fold) throws(Refusal) {
        guard target.versions.isEmpty else { throw Refusal("a re-split names no versions") }
        guard let policy = target.policy else { throw Refusal("a re-split needs the new policy") }
        try fold.checkPolicy(policy)
        guard vault.status == .active || vault.status == .closed else {
            throw Refusal("'\(vault.reference.name)' is \(vault.status.rawValue)")
        }
    }

    /// The new policy's custodians who are not in the vault's policy.
    static func addedCustodians(_ target: RequestTarget, of vault: VaultState) -> [[UInt8]] {
        guard let policy = target.policy else { return [] }
        return policy.custodians.filter { vault.policy.custodian(withKey: $0.key.bytes) == nil }.map(\.key.bytes)
    }

    /// A holder of any version of the vault.
    static func isApprover(_ key: [UInt8], of target: RequestTarget, in vault: VaultState) -> Bool {
        vault.allVersions.contains { $0.x(ofHolder: key) != nil }
    }

    /// The sub-shares of every version of each vault that the contributor holds, for the vault's new policy: the
    /// contributor's own components of every version are opened first, on all cores, then sub-shared and sealed.
    static func contribute(
        _ targets: [QuorumTarget],
        as approver: QuorumApprover,
        random: inout some RandomSource
    ) throws(EscrowError) -> ApprovalContents {
        let (resplits, recipientsByVault, jobs, jobVaults) = try contributionJobs(targets, as: approver)
        guard !jobs.isEmpty else { return ApprovalContents() }
        let contributor = ReshareContributor(
            approver: approver,
            resplits: resplits.indices.map {
                ReshareContributor.Resplit(
                    vault: resplits[$0].vault,
                    policy: resplits[$0].policy,
                    recipients: recipientsByVault[$0]
                )
            }
        )
        var result = ApprovalContents()
        result.contributions.reserveCapacity(jobs.count)
        result.contributionFragments.reserveCapacity(jobs.count)
        var start = 0
        while start < jobs.count {
            let end = min(start + chunkSize, jobs.count)
            let batch = try contributor.contribute(
                Array(jobs[start..<end]),
                vaults: Array(jobVaults[start..<end]),
                random: &random
            )
            result.contributions += batch.contributions
            result.contributionFragments += batch.fragments
            start = end
        }
        return result
    }

    /// ``contribute(_:as:random:)`` one version after another with a guarded allocation per value: the reference
    /// the arena path (``ReshareContributor``) must match exactly (tests only).
    static func contributeOneByOne(
        _ targets: [QuorumTarget],
        as approver: QuorumApprover,
        random: inout some RandomSource
    ) throws(EscrowError) -> ApprovalContents {
        let (resplits, recipientsByVault, jobs, jobVaults) = try contributionJobs(targets, as: approver)
        let held = approver.ledger.heldShares
        var result: [Contribution] = []
        result.reserveCapacity(jobs.count)
        var start = 0
        while start < jobs.count {
            let end = min(start + chunkSize, jobs.count)
            let opened = try held.open(Array(jobs[start..<end]), boxKeys: approver.boxKeys)
            for (offset, own) in opened.enumerated() {
                let index = jobVaults[start + offset]
                result.append(
                    try contribution(
                        of: jobs[start + offset],
                        own: own,
                        vault: resplits[index].vault,
                        policy: resplits[index].policy,
                        recipients: recipientsByVault[index],
                        approver: approver,
                        random: &random
                    )
                )
            }
            start = end
        }
        return ApprovalContents(contributions: result)
    }

    /// The vaults re-split with their new policies and new custodians' keys, and the versions the approver holds
    /// (with the index of each one's vault).
    private static func contributionJobs(_ targets: [QuorumTarget], as approver: QuorumApprover)
        throws(EscrowError)
        -> (
            resplits: [(vault: VaultState, policy: PolicyRecord)], recipients: [[UInt8: [UInt8]]],
            jobs: [HeldVersion], vaults: [Int]
        )
    {
        let resplits = targets.compactMap { item in item.target.policy.map { (vault: item.vault, policy: $0) } }
        var recipientsByVault: [[UInt8: [UInt8]]] = []
        var jobs: [HeldVersion] = []
        var jobVaults: [Int] = []
        // Each custodian's X25519 key, converted once (a bulk re-split names the same few custodians in every vault,
        // and a conversion is a field inversion).
        var boxKeys: [[UInt8]: [UInt8]] = [:]
        for (index, (vault, policy)) in resplits.enumerated() {
            var recipients: [UInt8: [UInt8]] = [:]
            for custodian in policy.custodians {
                guard let member = approver.ledger.state.members[custodian.key.bytes] else {
                    throw EscrowError(.notFound, "custodian \(custodian.name) of the new policy is not in the roster")
                }
                if let known = boxKeys[member.identity.signingKey] {
                    recipients[custodian.x] = known
                } else {
                    let converted = try member.identity.boxPublicKey()
                    boxKeys[member.identity.signingKey] = converted
                    recipients[custodian.x] = converted
                }
            }
            recipientsByVault.append(recipients)
            for version in vault.allVersions {
                guard let x = version.x(ofHolder: approver.key) else { continue }
                jobs.append(HeldVersion(version: version, vault: vault.reference, x: x))
                jobVaults.append(index)
            }
        }
        return (resplits, recipientsByVault, jobs, jobVaults)
    }

    /// Sub-shares and seals the contributor's opened components of one version for the vault's new policy.
    private static func contribution(
        of job: HeldVersion,
        own: [ShareComponent],
        vault: VaultState,
        policy: PolicyRecord,
        recipients: [UInt8: [UInt8]],
        approver: QuorumApprover,
        random: inout some RandomSource
    ) throws(EscrowError) -> Contribution {
        let held = approver.ledger.heldShares
        let newHolders = policy.custodians.map(\.x)
        let version = job.version
        let plan = try Redistributor.plan(shape: try version.shape(), resolved: version.resolvedSubsets)
        let components = try Redistributor.prepare(components: own, plan: plan)
        let subShares = try Redistributor.subShare(
            components: components,
            contributorX: job.x,
            newThreshold: policy.threshold,
            newHolders: newHolders,
            using: &random
        )
        var records: [SealedComponentRecord] = []
        let binding = try held.binding(of: version, in: vault.reference)
        for holder in newHolders {
            guard let recipient = recipients[holder] else { continue }
            for component in subShares[holder] ?? [] {
                let position = try SharePosition(
                    binding: binding,
                    generation: vault.generation + 1,
                    resplit: approver.request.event.bytes,
                    path: component.path,
                    x: holder
                )
                let sealed = try component.value.withUnsafeBytes { (value) throws(EscrowError) in
                    try approver.sealer.sealComponent(value, position: position, recipientBoxKey: recipient)
                }
                records.append(
                    SealedComponentRecord(x: holder, path: sealed.path, sealed: sealed.sealed, digest: sealed.digest)
                )
            }
        }
        return Contribution(version: version.id, levels: plan.remainingLevels.map(\.resplit), components: records)
    }

    /// Moves every version of the vault with enough consistent contributions to the new policy with one more level;
    /// the others keep their holders (and say so in a note).
    static func apply(_ target: RequestTarget, to vault: inout VaultState, by execution: QuorumExecution)
        throws(Refusal) -> [String]
    {
        guard let policy = target.policy else { return [] }
        let request = execution.request
        var notes: [String] = []
        let generation = vault.generation + 1
        var holders: [UInt8: [UInt8]] = [:]
        for custodian in policy.custodians { holders[custodian.x] = custodian.key.bytes }
        for var version in vault.allVersions {
            // Contributions of this version by its current holders, grouped by the levels they kept.
            var groups: [[HexBytes]: [UInt8: EventID]] = [:]
            for (key, approval) in execution.approvals {
                guard let x = version.x(ofHolder: key),
                    let contribution = approval.entry.contribution(for: version.id),
                    isWellFormed(contribution, x: x, newHolders: Set(holders.keys))
                else { continue }
                groups[contribution.levels, default: [:]][x] = approval.id
            }
            let best = groups.max { lhs, rhs in
                lhs.value.count != rhs.value.count
                    ? lhs.value.count < rhs.value.count
                    : lhs.key.map(\.description).joined() > rhs.key.map(\.description).joined()
            }
            let kept = best?.key ?? []
            let keptIDs = kept.map(\.bytes)
            let existing = version.levels.map(\.resplit.bytes)
            guard let best, best.value.count >= version.threshold,
                keptIDs.allSatisfy({ existing.contains($0) }), keptIDs.count <= 2
            else {
                notes.append(
                    "\(version.entry) (\(vault.reference.name)) keeps generation \(version.generation): "
                        + "\(best?.value.count ?? 0) of its \(version.threshold) holders contributed consistently"
                )
                continue
            }
            // At most threshold + 1 contributors (in x order) keep the opener's subset search small.
            let contributors = best.value.keys.sorted().prefix(version.threshold + 1)
            let consolidatedBlind = version.levels.filter { !keptIDs.contains($0.resplit.bytes) && $0.resolved == nil }
            if !consolidatedBlind.isEmpty {
                notes.append(
                    "\(version.entry) (\(vault.reference.name)): an unresolved re-split level was consolidated with "
                        + "its first contributors; robustness is given up for that level"
                )
            }
            var levels = version.levels.filter { keptIDs.contains($0.resplit.bytes) }
            levels.append(
                SharingLevelState(
                    resplit: request.event,
                    contributors: Array(contributors),
                    threshold: version.threshold
                )
            )
            var sources: [UInt8: EventID] = [:]
            for x in contributors { sources[x] = best.value[x] }
            version.levels = levels
            version.holders = holders
            version.threshold = policy.threshold
            version.generation = generation
            version.source = .resplit(request: request.event, contributions: sources)
            vault.update(version)
        }
        vault.generation = generation
        vault.policy = policy
        vault.policies[generation] = policy
        vault.acknowledged = Set(policy.custodians.map(\.key.bytes))
        return notes
    }

    /// Whether a contribution has exactly one sub-share per new holder and path for a contributor at `x`.
    static func isWellFormed(_ contribution: Contribution, x: UInt8, newHolders: Set<UInt8>) -> Bool {
        guard !contribution.components.isEmpty,
            contribution.components.allSatisfy({
                $0.path.last == x && $0.path.count == contribution.levels.count + 1 && newHolders.contains($0.x)
                    && $0.digest?.bytes.count == 32
            })
        else { return false }
        let perHolder = Dictionary(grouping: contribution.components, by: \.x)
        guard Set(perHolder.keys) == newHolders else { return false }
        let counts = Set(perHolder.values.map(\.count))
        return counts.count == 1
    }
}

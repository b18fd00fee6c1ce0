extension Fold {
    mutating func applyExecution(_ event: Event) throws(Refusal) {
        let executor = try author(of: event, role: .custodian)
        let body = try body(ExecutionBody.self, of: event)
        var request = try request(body.request, for: event)
        if let first = request.execution {
            note(
                event,
                "request \(request.event.short) was already executed by \(first.short): this one counts for nothing"
            )
            return
        }
        if request.body.action == .open, executor.identity.signingKey != request.requesterKey {
            throw Refusal("only the requester records the open of its request")
        }
        var approvals: [[UInt8]: (id: EventID, entry: DecodedApprovals.Entry)] = [:]
        for hex in body.approvals {
            guard let id = (try? EventID(bytes: hex.bytes)), let approval = graph.event(id),
                request.approvals[approval.author.key] == id, graph.isAncestor(id, of: event.id)
            else {
                throw Refusal("approval \(Hex.encode(hex.bytes).prefix(12)) is not a valid approval of the request")
            }
            approvals[approval.author.key] = (id, try self.approval(approval))
        }
        let approvers = Set(approvals.keys)
        for target in request.body.targets {
            let vault = try vault(target.vault)
            guard vault.generation == target.generation else {
                throw Refusal("'\(vault.reference.name)' was re-split after the request was made")
            }
            switch request.body.action {
            case .open:
                try checkVersionQuorum(target, of: vault, approvers: approvers)
            case .release, .close, .reopen, .resplit:
                let count = vault.policy.custodians.filter { approvers.contains($0.key.bytes) }.count
                guard count >= vault.policy.threshold else {
                    throw Refusal(
                        "'\(vault.reference.name)' has \(count) of the \(vault.policy.threshold) approvals it needs"
                    )
                }
                if request.body.action == .release { try checkVersionQuorum(target, of: vault, approvers: approvers) }
            }
        }
        if request.body.action == .resplit {
            let missing = request.body.challenges.filter { !request.acknowledged.contains($0.key.bytes) }
            guard missing.isEmpty else {
                let names = missing.compactMap { state.members[$0.key.bytes]?.identity.name }
                throw Refusal("custody not yet acknowledged by \(names.joined(separator: ", "))")
            }
        }
        for target in request.body.targets {
            var vault = try vault(target.vault)
            switch request.body.action {
            case .open:
                try resolve(body.resolved, in: &vault, target: target)
            case .release:
                vault.status = .released
            case .close:
                vault.status = .closed
            case .reopen:
                vault.status = .active
            case .resplit:
                guard let policy = target.policy else { continue }
                redistribute(&vault, to: policy, request: request, approvals: approvals, execution: event)
            }
            setVault(vault)
        }
        request.execution = event.id
        setRequest(request)
    }

    private func checkVersionQuorum(_ target: RequestTarget, of vault: VaultState, approvers: Set<[UInt8]>)
        throws(Refusal)
    {
        for id in target.versions {
            guard let version = vault.version(id.bytes) else {
                throw Refusal("'\(vault.reference.name)' lost a version")
            }
            let count = version.holders.values.filter { approvers.contains($0) }.count
            guard count >= version.threshold else {
                throw Refusal(
                    "\(version.entry) (\(vault.reference.name)) has \(count) of the \(version.threshold) holder "
                        + "approvals it needs"
                )
            }
        }
    }

    private func resolve(_ resolved: [ResolvedVersion], in vault: inout VaultState, target: RequestTarget)
        throws(Refusal)
    {
        for record in resolved {
            guard target.versions.contains(record.version), var version = vault.version(record.version.bytes) else {
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
    }

    /// Applies an executed re-split to every version of `vault`: versions with enough consistent contributions move
    /// to the new policy with one more level; the others keep their holders (and say so).
    private mutating func redistribute(
        _ vault: inout VaultState,
        to policy: PolicyRecord,
        request: RequestState,
        approvals: [[UInt8]: (id: EventID, entry: DecodedApprovals.Entry)],
        execution: Event
    ) {
        let generation = vault.generation + 1
        var holders: [UInt8: [UInt8]] = [:]
        for custodian in policy.custodians { holders[custodian.x] = custodian.key.bytes }
        for var version in vault.allVersions {
            // Contributions of this version by its current holders, grouped by the levels they kept.
            var groups: [[HexBytes]: [UInt8: EventID]] = [:]
            for (key, approval) in approvals {
                guard let x = version.x(ofHolder: key),
                    let contribution = approval.entry.contribution(for: version.id),
                    Self.isWellFormed(contribution, x: x, newHolders: Set(holders.keys))
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
                note(
                    execution,
                    "\(version.entry) (\(vault.reference.name)) keeps generation \(version.generation): "
                        + "\(best?.value.count ?? 0) of its \(version.threshold) holders contributed consistently"
                )
                continue
            }
            // At most threshold + 1 contributors (in x order) keep the opener's subset search small.
            let contributors = best.value.keys.sorted().prefix(version.threshold + 1)
            let consolidatedBlind = version.levels.filter { !keptIDs.contains($0.resplit.bytes) && $0.resolved == nil }
            if !consolidatedBlind.isEmpty {
                note(
                    execution,
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

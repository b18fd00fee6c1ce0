import Shamir
import Sodium

extension Ledger {
    /// Makes the `execution` event of a request that needs no values at the executor (`release`, `resplit`,
    /// `close`, `reopen`), with every valid approval so far.
    ///
    /// - Parameters:
    ///   - requestID: The request event.
    ///   - executor: A custodian.
    ///   - time: The event time.
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError/Code/quorumNotMet`` (the fold's reason) when approvals or acknowledgements are missing.
    public func execute(_ requestID: EventID, by executor: CustodianIdentity, at time: UTCTime) throws(EscrowError)
        -> Event
    {
        guard let request = state.requests[requestID] else {
            throw EscrowError(.notFound, "no request \(requestID.short) in this store: run 'escrow sync' first")
        }
        guard request.body.action != .open else {
            throw EscrowError(.invalidInput, "an open is executed by its requester with the request key")
        }
        guard request.execution == nil else {
            throw EscrowError(.alreadyUsed, "request \(requestID.short) was already executed")
        }
        let body = ExecutionBody(request: requestID.bytes, approvals: request.approvals.values.map(\.bytes))
        let event = try event(.execution, body: body, by: executor, at: time)
        if let refusal = dryRun(event) { throw EscrowError(.quorumNotMet, refusal.message) }
        return event
    }

    /// Rebuilds the keys of an approved `open` with the request's key pair, opens the values, and makes the
    /// `execution` event recording the approvals used and the working re-split subsets.
    ///
    /// Every value is checked against the digest its author published before use; the key is checked against the
    /// version's commitment before the value is decrypted.
    ///
    /// - Parameters:
    ///   - requestID: The request event.
    ///   - requestKeys: The request's X25519 key pair (made with the request; erase it afterwards).
    ///   - requester: The requester's identity (only the requester records an open).
    ///   - time: The event time.
    /// - Returns: The opened versions and the event (not yet appended).
    /// - Throws: ``EscrowError/Code/quorumNotMet`` (naming the versions short of approvals),
    ///   ``EscrowError/Code/badShare`` (naming the approver or contributor whose value fails).
    public func open(_ requestID: EventID, requestKeys: BoxKeyPair, by requester: CustodianIdentity, at time: UTCTime)
        throws(EscrowError) -> (versions: [OpenedVersion], event: Event)
    {
        guard let request = state.requests[requestID], request.body.action == .open else {
            throw EscrowError(.notFound, "no open request \(requestID.short) in this store: run 'escrow sync' first")
        }
        guard request.requesterKey == requester.publicIdentity.signingKey else {
            throw EscrowError(.notAuthorized, "request \(requestID.short) is \(request.requester)'s, not yours")
        }
        guard let recipient = request.body.recipient, recipient.key.bytes == requestKeys.publicKey else {
            throw EscrowError(.invalidInput, "this is not the key of request \(requestID.short)")
        }
        let approvals = try approvalBodies(of: request)
        var opened: [OpenedVersion] = []
        var resolved: [ResolvedVersion] = []
        var used: Set<EventID> = []
        for target in request.body.targets {
            let vault = try vault(named: target.vault.name)
            for id in target.versions {
                guard let version = vault.version(id.bytes) else { continue }
                let result = try rebuild(version, in: vault, approvals: approvals, keys: requestKeys, used: &used)
                opened.append(result.opened)
                if !result.levels.isEmpty {
                    resolved.append(ResolvedVersion(version: version.id, levels: result.levels))
                }
            }
        }
        let body = ExecutionBody(request: requestID.bytes, approvals: used.map(\.bytes), resolved: resolved)
        let event = try event(.execution, body: body, by: requester, at: time)
        if let refusal = dryRun(event) { throw EscrowError(.quorumNotMet, refusal.message) }
        return (opened, event)
    }

    /// The valid approvals of a request with their bodies, by approver key.
    func approvalBodies(of request: RequestState) throws(EscrowError) -> [[UInt8]: (id: EventID, body: ApprovalBody)] {
        var result: [[UInt8]: (id: EventID, body: ApprovalBody)] = [:]
        for (key, id) in request.approvals {
            guard let event = graph.event(id) else { continue }
            result[key] = (id, try EventBody.decode(ApprovalBody.self, of: event))
        }
        return result
    }

    /// Rebuilds one version from the approvals' components sealed to `keys`.
    func rebuild(
        _ version: VersionState,
        in vault: VaultState,
        approvals: [[UInt8]: (id: EventID, body: ApprovalBody)],
        keys: BoxKeyPair,
        used: inout Set<EventID>
    ) throws(EscrowError) -> (opened: OpenedVersion, levels: [ResolvedLevel]) {
        let held = HeldShares(graph: graph, state: state)
        var holders: [UInt8: [ShareComponent]] = [:]
        for (key, approval) in approvals.sorted(by: { $0.value.id < $1.value.id }) {
            guard let x = version.x(ofHolder: key),
                let records = approval.body.shares.first(where: { $0.version.bytes == version.id }),
                let ephemeral = approval.body.ephemeralKey
            else { continue }
            let approver = state.members[key]?.identity.name ?? "a former custodian"
            let published = try held.published(version, x: x)
            let opener = try ShareOpener(boxKeys: keys, ephemeralPublicKey: ephemeral.bytes)
            var components: [ShareComponent] = []
            for record in records.components where record.x == x {
                guard let source = published.first(where: { $0.record.path == record.path }) else { continue }
                let position = held.position(of: version, in: vault, path: record.path, x: x)
                let value = try held.checked(
                    { () throws(EscrowError) in try opener.open(record.sealed.bytes, position: position) },
                    digest: source.digest,
                    position: position,
                    blame: "\(approver)'s approval of \(version.entry) (\(vault.reference.name))"
                )
                components.append(ShareComponent(path: record.path, value: value))
            }
            guard components.count == published.count, !components.isEmpty else { continue }
            holders[x] = components
            used.insert(approval.id)
            if holders.count == version.threshold { break }
        }
        guard holders.count >= version.threshold else {
            throw EscrowError(
                .quorumNotMet,
                "\(version.entry) (\(vault.reference.name)): \(holders.count) of the \(version.threshold) holder "
                    + "approvals it needs"
            )
        }
        // Levels already resolved by an earlier open are consolidated first; the others are searched.
        var levels = version.levels
        for index in levels.indices.reversed() {
            guard let subset = levels[index].resolved else { continue }
            for x in Array(holders.keys) {
                holders[x] = try Redistributor.consolidate(components: holders[x] ?? [], level: index, subset: subset)
            }
            levels.remove(at: index)
        }
        let shape = SharingShape(
            threshold: version.threshold,
            holders: holders.keys.sorted(),
            levels: levels.map {
                SharingLevel(resplit: $0.resplit.bytes, contributors: $0.contributors, threshold: $0.threshold)
            }
        )
        let binding = held.binding(of: version, in: vault)
        let result = try Rebuilder.rebuild(shape: shape, holders: holders, binding: binding,
            commitment: version.commitment)
        guard let depositEvent = graph.event(version.deposit) else {
            throw EscrowError(.malformedFile, "deposit \(version.deposit.short) is missing")
        }
        let deposit = try EventBody.decode(DepositBody.self, of: depositEvent)
        let value = try ValueSeal.open(deposit.sealedValue.bytes, key: result.key, binding: binding)
        result.key.wipe()
        let opened = OpenedVersion(
            vault: vault.reference.name,
            entry: version.entry,
            kind: version.kind,
            version: version.id,
            depositor: version.depositor,
            depositedAt: version.depositedAt,
            value: value,
            suspects: result.suspects
        )
        var resolvedLevels: [ResolvedLevel] = []
        for (index, level) in levels.enumerated() where index < result.subsets.count {
            resolvedLevels.append(ResolvedLevel(resplit: level.resplit.bytes, subset: result.subsets[index]))
        }
        return (opened, resolvedLevels)
    }
}

import Shamir
import Sodium

extension Ledger {
    /// Makes `approver`'s `approval` event for a request, carrying exactly what the action needs from it: its
    /// shares of the requested versions re-sealed to the request's recipient (`open`, `release`), its sub-shares of
    /// every version it holds for the new custodians (`resplit`), or nothing (`close`, `reopen`).
    ///
    /// - Parameters:
    ///   - requestID: The request event.
    ///   - approver: The approving custodian.
    ///   - time: The event time.
    ///   - random: Polynomial randomness for sub-shares (libsodium's in production).
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError`` if the request is unknown, executed or expired, if the approver already approved
    ///   or holds nothing it could approve, or if one of its own shares fails to open (naming its author).
    public func approve(
        _ requestID: EventID,
        by approver: CustodianIdentity,
        at time: UTCTime,
        random: inout some RandomSource
    ) throws(EscrowError) -> Event {
        guard let request = state.requests[requestID] else {
            throw EscrowError(.notFound, "no request \(requestID.short) in this store: run 'escrow sync' first")
        }
        let key = approver.publicIdentity.signingKey
        guard request.execution == nil else {
            throw EscrowError(.alreadyUsed, "request \(requestID.short) was already executed")
        }
        guard time <= request.body.expiresAt else {
            throw EscrowError(.expired, "request \(requestID.short) expired at \(request.body.expiresAt)")
        }
        guard request.approvals[key] == nil else {
            throw EscrowError(
                .alreadyUsed,
                "\(approver.publicIdentity.name) already approved request \(requestID.short)"
            )
        }
        let boxKeys = try approver.boxKeyPair()
        let held = heldShares
        let sealer = ShareSealer()
        var shares: [VersionComponents] = []
        var contributions: [Contribution] = []
        var resplits: [(vault: VaultState, policy: PolicyRecord)] = []
        for target in request.body.targets {
            let vault = try vault(named: target.vault.name)
            guard vault.generation == target.generation else {
                throw EscrowError(
                    .conflict,
                    "vault '\(vault.reference.name)' was re-split after request \(requestID.short) was made: "
                        + "the requester makes a new request"
                )
            }
            switch request.body.action {
            case .open, .release:
                guard let recipient = request.body.recipient else { continue }
                for id in target.versions {
                    guard let version = vault.version(id.bytes), let x = version.x(ofHolder: key) else { continue }
                    var records: [SealedComponentRecord] = []
                    for component in try held.open(version, in: vault.reference, x: x, boxKeys: boxKeys) {
                        let position = try held.position(of: version, in: vault.reference, path: component.path, x: x)
                        let sealed = try component.value.withUnsafeBytes { (value) throws(EscrowError) in
                            try sealer.seal(value, position: position, recipientBoxKey: recipient.key.bytes)
                        }
                        records.append(SealedComponentRecord(x: x, path: component.path, sealed: sealed, digest: nil))
                    }
                    shares.append(VersionComponents(version: id.bytes, components: records))
                }
            case .resplit:
                guard let policy = target.policy else { continue }
                resplits.append((vault, policy))
            case .close, .reopen:
                break
            }
        }
        if !resplits.isEmpty {
            contributions = try contribute(
                resplits,
                request: requestID,
                key: key,
                boxKeys: boxKeys,
                sealer: sealer,
                random: &random
            )
        }
        let carries = !shares.isEmpty || !contributions.isEmpty
        if request.body.action.carriesShares || request.body.action == .resplit, !carries {
            throw EscrowError(
                .notAuthorized,
                "\(approver.publicIdentity.name) holds no share of what request \(requestID.short) asks for"
            )
        }
        let body = ApprovalBody(
            request: requestID.bytes,
            ephemeralKey: carries ? sealer.ephemeralPublicKey : nil,
            shares: shares,
            contributions: contributions
        )
        let event = try event(.approval, body: body, by: approver, at: time)
        fold.approvals.seed(body, of: event)
        if let refusal = dryRun(event) { throw EscrowError(.notAuthorized, refusal.message) }
        return event
    }

    /// The sub-shares of every version of each vault that the contributor holds, for the vault's new policy: the
    /// contributor's own components of every version are opened first, on all cores, then sub-shared and sealed.
    private func contribute(
        _ resplits: [(vault: VaultState, policy: PolicyRecord)],
        request: EventID,
        key: [UInt8],
        boxKeys: BoxKeyPair,
        sealer: ShareSealer,
        random: inout some RandomSource
    ) throws(EscrowError) -> [Contribution] {
        let held = heldShares
        var recipientsByVault: [[UInt8: [UInt8]]] = []
        var jobs: [HeldVersion] = []
        var jobVaults: [Int] = []
        for (index, (vault, policy)) in resplits.enumerated() {
            var recipients: [UInt8: [UInt8]] = [:]
            for custodian in policy.custodians {
                guard let member = state.members[custodian.key.bytes] else {
                    throw EscrowError(.notFound, "custodian \(custodian.name) of the new policy is not in the roster")
                }
                recipients[custodian.x] = try member.identity.boxPublicKey()
            }
            recipientsByVault.append(recipients)
            for version in vault.allVersions {
                guard let x = version.x(ofHolder: key) else { continue }
                jobs.append(HeldVersion(version: version, vault: vault.reference, x: x))
                jobVaults.append(index)
            }
        }
        // Chunks bound the guarded memory held at once (one sodium_malloc'd value per opened component).
        var result: [Contribution] = []
        result.reserveCapacity(jobs.count)
        var start = 0
        while start < jobs.count {
            let end = min(start + 2_048, jobs.count)
            let opened = try held.open(Array(jobs[start..<end]), boxKeys: boxKeys)
            for (offset, own) in opened.enumerated() {
                let index = jobVaults[start + offset]
                result.append(
                    try contribution(
                        of: jobs[start + offset],
                        own: own,
                        vault: resplits[index].vault,
                        policy: resplits[index].policy,
                        recipients: recipientsByVault[index],
                        request: request,
                        sealer: sealer,
                        random: &random
                    )
                )
            }
            start = end
        }
        return result
    }

    /// Sub-shares and seals the contributor's opened components of one version for the vault's new policy.
    private func contribution(
        of job: HeldVersion,
        own: [ShareComponent],
        vault: VaultState,
        policy: PolicyRecord,
        recipients: [UInt8: [UInt8]],
        request: EventID,
        sealer: ShareSealer,
        random: inout some RandomSource
    ) throws(EscrowError) -> Contribution {
        let held = heldShares
        let newHolders = policy.custodians.map(\.x)
        let version = job.version
        let x = job.x
        let plan = try Redistributor.plan(shape: try version.shape(), resolved: version.resolvedSubsets)
        let components = try Redistributor.prepare(
            components: own,
            plan: plan
        )
        let subShares = try Redistributor.subShare(
            components: components,
            contributorX: x,
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
                    resplit: request.bytes,
                    path: component.path,
                    x: holder
                )
                let sealed = try component.value.withUnsafeBytes { (value) throws(EscrowError) in
                    try sealer.sealComponent(value, position: position, recipientBoxKey: recipient)
                }
                records.append(
                    SealedComponentRecord(x: holder, path: sealed.path, sealed: sealed.sealed, digest: sealed.digest)
                )
            }
        }
        return Contribution(version: version.id, levels: plan.remainingLevels.map(\.resplit), components: records)
    }
}

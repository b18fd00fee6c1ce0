import Shamir
import Sodium

/// Bulk re-split under the store lock: planning a ``ReshareChange``, evaluating a request for several vaults, a
/// custodian's batch approval, and the batch execution with one batch commit.
extension StoreSession {
    /// Plans a bulk re-split (see ``ReshareChange`` and ``ResharePlan``).
    ///
    /// - Throws: ``EscrowError/Code/invalidInput`` (nothing changes, a vault would keep too few custodians, no vault
    ///   to re-split, `--force` without a closed vault), ``EscrowError/Code/notFound`` (a listed vault or a custodian),
    ///   and vault read errors.
    func plan(_ change: ReshareChange, roster: Roster) throws(EscrowError) -> ResharePlan {
        let (remove, add) = try change.resolve(in: roster)
        let names: [String]
        let listed: Bool
        switch change.selection {
        case .all:
            names = try vaultNames()
            listed = false
        case .vaults(let list):
            names = list.sorted()
            listed = true
        }
        let removedNames = change.remove.joined(separator: ", ")
        var items: [ResharePlan.Item] = []
        var skipped: [ResharePlan.Skipped] = []
        var refusals: [EscrowError] = []
        for name in names {
            let vault = try vault(named: name, roster: roster)
            switch vault.state {
            case .released:
                skipped.append(.init(vaultName: name, reason: "released to its customer: it is never re-split"))
                continue
            case .closed where change.forceReason == nil:
                skipped.append(
                    .init(vaultName: name, reason: "closed: include closed vaults with --force --force-reason")
                )
                continue
            case .active, .closed:
                break
            }
            if !listed, !remove.isEmpty, !vault.policy.custodians.contains(where: { remove.contains($0.fingerprint) }) {
                skipped.append(.init(vaultName: name, reason: "holds no share of \(removedNames)"))
                continue
            }
            let policy: VaultPolicy
            do {
                policy = try change.policy(for: vault, removing: remove, adding: add)
            } catch {
                refusals.append(error)
                continue
            }
            if !listed, policy == vault.policy {
                skipped.append(.init(vaultName: name, reason: "its policy would not change"))
                continue
            }
            items.append(ResharePlan.Item(vault: vault, target: UnlockTarget(vault: vault, newPolicy: policy)))
        }
        if let first = refusals.first {
            let more = refusals.count > 1 ? " (and \(refusals.count - 1) more vaults)" : ""
            throw EscrowError(first.code, "\(first.message)\(more); nothing was written", hints: first.hints)
        }
        if change.forceReason != nil, !items.contains(where: { $0.vault.state == .closed }) {
            throw EscrowError(
                .invalidInput,
                "none of the vaults to re-split is closed",
                hint: .forceOnlyForClosedVaults
            )
        }
        guard !items.isEmpty else {
            let reasons = Dictionary(grouping: skipped, by: \.reason).map { "\($0.value.count) \($0.key)" }.sorted()
            throw EscrowError(
                .invalidInput,
                "no vault to re-split" + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: "; ")))")
            )
        }
        return ResharePlan(change: change, items: items, skipped: skipped)
    }

    /// Evaluates a request for several vaults and its approvals: see ``BatchQuorumReport``.
    ///
    /// - Throws: Read errors of the roster or the audit log (a vault that cannot be read is a problem of that vault).
    func evaluateBatch(_ request: UnlockRequest, approvals: [ApprovalFile]) throws(EscrowError) -> BatchQuorumReport {
        let roster = try roster()
        var problems: [EscrowError] = []
        if let problem = requesterProblem(request, roster: roster) { problems.append(problem) }
        problems += try lifetimeProblems(request)
        var vaults: [Vault?] = []
        var targetProblems: [[EscrowError]] = []
        var targetIndex: [HexBytes: Int] = [:]
        for (index, target) in request.targets.enumerated() {
            targetIndex[target.vaultID] = index
            do {
                let vault = try targetVault(target, of: request, roster: roster)
                vaults.append(vault)
                targetProblems.append(
                    vaultProblems(request, target: target, vault: vault)
                        + actionProblems(request, target: target, vault: vault, roster: roster)
                )
            } catch {
                vaults.append(nil)
                targetProblems.append([error])
            }
        }

        var counted: [ApprovalFile] = []
        var notCounted: [QuorumReport.NotCounted] = []
        var seen: [Fingerprint: String] = [:]
        var shares = [[BatchQuorumReport.CountedShare]](repeating: [], count: request.targets.count)
        var refused = [[BatchQuorumReport.RefusedShare]](repeating: [], count: request.targets.count)
        for file in approvals {
            let approval = file.approval
            let who = "\(approval.approver.name) (\(approval.approver.fingerprint))"
            func custodian(in vault: Vault?) -> VaultPolicy.Custodian? {
                guard let custodian = vault?.policy.custodian(fingerprint: approval.approver.fingerprint),
                    custodian.signingKey == approval.approver.signingKey
                else { return nil }
                return custodian
            }
            do throws(EscrowError) {
                try checkApproval(approval, for: request)
                try checkApprovalTime(approval, for: request)
                for share in approval.shares where targetIndex[share.vaultID] == nil {
                    throw EscrowError(
                        .malformedFile,
                        "\(who) sent a share for vault '\(NameRules.printable(share.vaultName))', which request \(request.code) does not name"
                    )
                }
                guard vaults.contains(where: { custodian(in: $0) != nil }) else {
                    throw EscrowError(
                        .notAuthorized,
                        "\(who) is not a custodian of any of the \(request.targets.count) vaults of request \(request.code)"
                    )
                }
                if let earlier = seen[approval.approver.fingerprint] {
                    throw EscrowError(
                        .conflict,
                        "\(who) already approved in \(earlier): each custodian counts once"
                    )
                }
                seen[approval.approver.fingerprint] = file.source
            } catch {
                notCounted.append(QuorumReport.NotCounted(source: file.source, error: error))
                continue
            }
            let fileIndex = counted.count
            counted.append(file)
            var byVault: [HexBytes: ApprovalShare] = [:]
            for share in approval.shares { byVault[share.vaultID] = share }
            for (index, target) in request.targets.enumerated() {
                guard let vault = vaults[index] else { continue }
                let share = byVault[target.vaultID]
                let holder = custodian(in: vault)
                if holder == nil, share == nil { continue }
                do {
                    let (custodian, checked) = try checkShare(share, of: approval, target: target, vault: vault)
                    shares[index].append(.init(file: fileIndex, custodian: custodian, share: checked))
                } catch {
                    refused[index].append(
                        .init(
                            custodian: holder,
                            error: EscrowError(error.code, "\(error.message), in \(file.source)", hints: error.hints)
                        )
                    )
                }
            }
        }
        let targets = request.targets.enumerated().map { index, target in
            BatchQuorumReport.Target(
                target: target,
                vault: vaults[index],
                problems: targetProblems[index],
                shares: shares[index],
                refused: refused[index]
            )
        }
        return BatchQuorumReport(
            request: request,
            problems: problems,
            counted: counted,
            notCounted: notCounted,
            targets: targets
        )
    }

    /// What `approver` would approve in `request` (see ``ApprovalReview``). A single-vault request is refused as
    /// ``review(_:by:)`` refuses it; for several vaults, the vaults that cannot be approved now are skipped.
    ///
    /// - Throws: A problem of the whole request; ``EscrowError/Code/notAuthorized`` when the approver holds no share
    ///   of any vault that can be approved.
    func reviewApproval(_ request: UnlockRequest, by approver: PublicIdentity) throws(EscrowError) -> ApprovalReview {
        if request.targets.count == 1, let target = request.targets.first {
            let (vault, custodian) = try review(request, by: approver)
            return ApprovalReview(
                request: request,
                approver: approver,
                held: [.init(target: target, vault: vault, custodian: custodian)],
                skipped: [],
                notHeld: 0
            )
        }
        let roster = try roster()
        if let problem = requesterProblem(request, roster: roster) { throw problem }
        if let problem = try lifetimeProblems(request).first { throw problem }
        var held: [ApprovalReview.Held] = []
        var skipped: [ApprovalReview.Skipped] = []
        var notHeld = 0
        for target in request.targets {
            let vault: Vault
            do {
                vault = try targetVault(target, of: request, roster: roster)
            } catch {
                skipped.append(.init(vaultName: target.vaultName, error: error))
                continue
            }
            guard let custodian = vault.policy.custodian(fingerprint: approver.fingerprint),
                custodian.signingKey.bytes == approver.signingKey
            else {
                notHeld += 1
                continue
            }
            let problems =
                vaultProblems(request, target: target, vault: vault)
                + actionProblems(request, target: target, vault: vault, roster: roster)
            if let problem = problems.first {
                skipped.append(.init(vaultName: vault.name, error: problem))
                continue
            }
            held.append(.init(target: target, vault: vault, custodian: custodian))
        }
        guard !held.isEmpty else {
            if let first = skipped.first {
                throw EscrowError(
                    first.error.code,
                    "\(first.error.message) (\(approver.name) can approve none of the \(request.targets.count) vaults of request \(request.code) now)",
                    hints: first.error.hints
                )
            }
            throw EscrowError(
                .notAuthorized,
                "\(approver.name) (\(approver.fingerprint)) holds no share of any of the \(request.targets.count) vaults of request \(request.code)"
            )
        }
        return ApprovalReview(request: request, approver: approver, held: held, skipped: skipped, notHeld: notHeld)
    }

    /// Approves a request: decrypts the approver's share of every vault held with ONE X25519 agreement per distinct
    /// envelope ephemeral key (cached), into one guarded buffer, checks each against its digest, and re-encrypts them
    /// all under ONE agreement with the request key (``UnlockApproval/seal(_:places:for:by:at:)``).
    ///
    /// - Throws: What ``reviewApproval(_:by:)`` throws; ``EscrowError/Code/tampered`` when no share opens (for a
    ///   single vault: when its share does not open).
    func approveBatch(_ request: UnlockRequest, by approver: CustodianIdentity) throws(EscrowError) -> BatchApproval {
        let review = try reviewApproval(request, by: approver.publicIdentity)
        let byteCount = MasterKey.byteCount
        let boxKeys = try approver.boxKeyPair()
        var envelopeKeys: [[UInt8]: SecureBytes] = [:]
        let buffer = SecureBytes(count: review.held.count * byteCount)
        let scratch = SecureBytes(count: ShareDigest.scratchCount(shareCount: byteCount))
        var kept: [ApprovalReview.Held] = []
        var failures: [EscrowError] = []
        var skipped = review.skipped
        for held in review.held {
            let slot = kept.count
            do throws(EscrowError) {
                guard let envelope = held.vault.shares.envelope(for: held.custodian.fingerprint) else {
                    throw EscrowError(
                        .malformedFile,
                        "vault '\(held.vault.name)' has no share for \(held.custodian.name)"
                    )
                }
                let ephemeral = held.vault.shares.ephemeralPublicKey.bytes
                let key: SecureBytes
                if let cached = envelopeKeys[ephemeral] {
                    key = cached
                } else {
                    key = try ShareEnvelope.openingKey(for: boxKeys, ephemeralPublicKey: ephemeral)
                    envelopeKeys[ephemeral] = key
                }
                try buffer.withUnsafeMutableBytes { (output) throws(EscrowError) in
                    try scratch.withUnsafeMutableBytes { (scratch) throws(EscrowError) in
                        try envelope.open(
                            key: key,
                            shareSet: held.vault.shares,
                            vaultID: held.vault.id.bytes,
                            generation: held.vault.generation,
                            into: UnsafeMutableRawBufferPointer(
                                rebasing: output[(slot * byteCount)..<((slot + 1) * byteCount)]
                            ),
                            scratch: scratch
                        )
                    }
                }
                kept.append(held)
            } catch {
                failures.append(error)
                skipped.append(
                    .init(
                        vaultName: held.vault.name,
                        error: EscrowError(
                            error.code,
                            "vault '\(held.vault.name)': \(error.message)",
                            hints: error.hints
                        )
                    )
                )
            }
        }
        guard !kept.isEmpty else {
            if request.targets.count == 1, let failure = failures.first { throw failure }
            throw skipped.first?.error ?? EscrowError(.notAuthorized, "no share to approve")
        }
        let shares = kept.count == review.held.count ? buffer : buffer.slice(0..<(kept.count * byteCount))
        let approval = try UnlockApproval.seal(
            shares,
            places: kept.map { UnlockApproval.Place(target: $0.target, x: $0.custodian.x) },
            for: request,
            by: approver,
            at: store.clock.now
        )
        return BatchApproval(
            approval: approval,
            review: ApprovalReview(
                request: request,
                approver: approver.publicIdentity,
                held: kept,
                skipped: skipped,
                notHeld: review.notHeld
            ),
            envelopeAgreements: envelopeKeys.count
        )
    }
}

import Shamir
import Sodium

extension StoreSession {
    /// One ready vault on its way through the batch: the shares decrypted for it, the ones chosen, what went wrong.
    private struct Work {
        var index: Int
        var vault: Vault
        var target: UnlockTarget
        var chosen: MasterKey.Selection?
        var approvers: [VaultPolicy.Custodian] = []
        var bad: [(custodian: VaultPolicy.Custodian, problem: String)] = []
        var failure: EscrowError?
    }

    /// Executes a bulk re-split (see ``Store/executeBatchReshare(_:approvals:requester:partial:using:)``).
    func executeBatch(
        _ request: UnlockRequest,
        approvals: [ApprovalFile],
        requester: CustodianIdentity,
        partial: Bool,
        using rng: inout some RandomSource
    ) throws(EscrowError) -> BatchReshareOutcome {
        guard request.action == .reshare else {
            throw EscrowError(
                .invalidInput,
                "request \(request.code) is \(request.action.rawValue): only a re-split executes for several vaults"
            )
        }
        let roster = try roster()
        try requireMember(requester, in: roster)
        let report = try evaluateBatch(request, approvals: approvals)
        try report.requireReady(partial: partial)
        let requestKey = try request.ephemeralKeyPair(for: requester)
        let byteCount = MasterKey.byteCount

        // Decrypt every counted share of every ready vault into ONE guarded buffer: one X25519 agreement per approval
        // file, one AEAD and one keyed digest per share.
        var fileKeys = [SecureBytes?](repeating: nil, count: report.counted.count)
        var fileKeyFailed = [Bool](repeating: false, count: report.counted.count)
        func fileKey(_ index: Int) -> SecureBytes? {
            if let key = fileKeys[index] { return key }
            if fileKeyFailed[index] { return nil }
            let key = try? report.counted[index].approval.sharesKey(requestKey: requestKey)
            fileKeys[index] = key
            fileKeyFailed[index] = key == nil
            return key
        }
        let ready = report.targets.enumerated().filter { $0.element.isReady }
        let shareCount = ready.reduce(0) { $0 + $1.element.shares.count }
        let shares = SecureBytes(count: shareCount * byteCount)
        let scratch = SecureBytes(count: ShareDigest.scratchCount(shareCount: byteCount))
        var work: [Work] = []
        work.reserveCapacity(ready.count)
        var slot = 0
        for (index, entry) in ready {
            guard let vault = entry.vault else { continue }
            var item = Work(index: index, vault: vault, target: entry.target)
            item.bad = entry.refused.compactMap { refused in refused.custodian.map { ($0, refused.error.message) } }
            var good: [(x: UInt8, offset: Int, custodian: VaultPolicy.Custodian)] = []
            for counted in entry.shares {
                let offset = slot * byteCount
                slot += 1
                let file = report.counted[counted.file]
                guard let envelope = vault.shares.envelope(for: counted.custodian.fingerprint) else {
                    item.bad.append((counted.custodian, "the vault records no share for them"))
                    continue
                }
                let problem = shares.withUnsafeMutableBytes { all in
                    scratch.withUnsafeMutableBytes { scratch -> String? in
                        let output = UnsafeMutableRawBufferPointer(rebasing: all[offset..<(offset + byteCount)])
                        guard let key = fileKey(counted.file),
                            (try? file.approval.open(counted.share, key: key, into: output)) != nil
                        else { return "it does not decrypt with the request key, in \(file.source)" }
                        guard
                            ShareDigest.matches(
                                share: UnsafeRawBufferPointer(output),
                                digest: envelope.digest.bytes,
                                key: vault.shares.digestKey.bytes,
                                vaultID: vault.id.bytes,
                                generation: vault.generation,
                                x: counted.custodian.x,
                                scratch: scratch
                            )
                        else {
                            Sodium.memzero(output)
                            return
                                "it does not match its recorded digest (a wrong share, or one of another vault or generation), in \(file.source)"
                        }
                        return nil
                    }
                }
                if let problem {
                    item.bad.append((counted.custodian, problem))
                } else {
                    good.append((counted.custodian.x, offset, counted.custodian))
                }
            }
            let threshold = vault.policy.threshold
            if good.count < threshold {
                item.approvers = good.map(\.custodian)
                let first = item.bad.first.map {
                    "the share of \($0.custodian.name) (\($0.custodian.fingerprint)) is bad: \($0.problem)"
                }
                let more = item.bad.count > 1 ? " (and \(item.bad.count - 1) more bad shares)" : ""
                item.failure = EscrowError(
                    .badShare,
                    "\(first ?? "too few shares")\(more); \(good.count) good shares of the \(threshold) vault '\(vault.name)' needs: it was not re-split"
                )
            } else {
                let chosen = good.prefix(threshold)
                item.chosen = MasterKey.Selection(xs: chosen.map(\.x), offsets: chosen.map(\.offset))
                item.approvers = chosen.map(\.custodian)
            }
            work.append(item)
        }

        // Rebuild every key into ONE guarded buffer (grouped by x-set) and check each against its vault: one scalar
        // multiplication per vault.
        let combining = work.indices.filter { work[$0].chosen != nil }
        let keys = SecureBytes(count: combining.count * byteCount)
        try MasterKey.combineBatch(combining.compactMap { work[$0].chosen }, shares: shares, into: keys)
        shares.wipe()
        let matches = MasterKey.publicKeysMatch(keys, publicKeys: combining.map { work[$0].vault.publicKey.bytes })
        for (position, index) in combining.enumerated() where !matches[position] {
            work[index].failure = EscrowError(
                .tampered,
                "vault '\(work[index].vault.name)': the combined shares do not match the vault's public key (too few or wrong shares): it was not re-split"
            )
        }

        let context = ExecutionContext(
            mode: "quorum",
            request: request,
            actor: requester,
            reason: request.reason,
            forceReason: request.forceReason
        )
        func details(_ item: Work) -> [String: String] {
            var vaultContext = context
            if item.vault.state != .closed { vaultContext.forceReason = nil }
            return Self.executionDetails(
                action: .reshare,
                vault: item.vault,
                context: vaultContext,
                approvers: item.approvers,
                badShares: item.bad.map(\.custodian)
            )
        }
        func failedRecord(_ item: Work, _ error: EscrowError) -> AuditedChange {
            var failed = details(item)
            failed["refused"] = error.message
            return AuditedChange(
                [],
                action: .unlockFailed,
                vault: item.vault.reference,
                reason: request.reason,
                details: failed
            )
        }

        let failures = work.filter { $0.failure != nil }
        if let first = failures.first?.failure, !partial || failures.count == work.count {
            // All or nothing: the failed attempts are recorded (shares were decrypted), nothing is re-split.
            try commitBatch(failures.map { failedRecord($0, $0.failure ?? first) }, actor: requester)
            let more =
                failures.count > 1
                ? " (and \(failures.count - 1) more of the \(request.targets.count) vaults failed)" : ""
            let offerPartial = !partial && request.targets.count > 1
            throw EscrowError(
                first.code,
                "\(first.message)\(more); nothing was re-split",
                hints: first.hints + (offerPartial ? [.executeGoodVaultsOnly] : [])
            )
        }

        // Split every good key with `Shamir.splitBatch`, grouped by new policy, under ONE fresh ephemeral key.
        let good = work.filter { $0.failure == nil }
        let splitKeys: SecureBytes
        if good.count == combining.count {
            splitKeys = keys
        } else {
            // `good` is `combining` without the vaults whose key did not match, in the same order.
            splitKeys = SecureBytes(count: good.count * byteCount)
            keys.withUnsafeBytes { source in
                splitKeys.withUnsafeMutableBytes { target in
                    var slot = 0
                    for (from, index) in combining.enumerated() where work[index].failure == nil {
                        UnsafeMutableRawBufferPointer(rebasing: target[(slot * byteCount)..<((slot + 1) * byteCount)])
                            .copyMemory(
                                from: UnsafeRawBufferPointer(
                                    rebasing: source[(from * byteCount)..<((from + 1) * byteCount)]
                                )
                            )
                        slot += 1
                    }
                }
            }
            keys.wipe()
        }
        let now = store.clock.now
        var splitTargets: [ShareSet.SplitTarget] = []
        for item in good {
            guard let policy = item.target.newPolicy else {
                throw EscrowError(.invalidInput, "a reshare needs the new policy (vault '\(item.vault.name)')")
            }
            try item.vault.checkReshare(to: policy)
            splitTargets.append(
                .init(vaultID: item.vault.id.bytes, generation: item.vault.generation + 1, policy: policy)
            )
        }
        let sets = try ShareSet.splitBatch(splitKeys, targets: splitTargets, time: now, using: &rng)
        splitKeys.wipe()

        // New vault files, signed; one record per vault (and per failed vault), ONE batch commit.
        var changes: [(index: Int, change: AuditedChange, vault: Vault?, item: Work)] = []
        for (position, item) in good.enumerated() {
            let policy = splitTargets[position].policy
            var vault = item.vault
            vault.adopt(sets[position], policy: policy)
            try vault.sign(by: requester, at: now)
            var recordDetails = details(item)
            Self.addReshareDetails(policy: policy, generation: vault.generation, to: &recordDetails)
            changes.append(
                (
                    item.index,
                    AuditedChange(
                        [FileChange(path: Vault.relativePath(name: vault.name), contents: try vault.encoded())],
                        action: .vaultReshare,
                        vault: item.vault.reference,
                        reason: request.reason,
                        details: recordDetails
                    ),
                    vault,
                    item
                )
            )
        }
        for item in failures {
            changes.append((item.index, failedRecord(item, item.failure ?? EscrowError(.badShare, "")), nil, item))
        }
        changes.sort { $0.index < $1.index }
        let records = try commitBatch(changes.map(\.change), actor: requester)

        var reshared: [BatchReshareOutcome.Reshared] = []
        var failed: [BatchReshareOutcome.Failed] = []
        for (entry, record) in zip(changes, records) {
            if let vault = entry.vault {
                reshared.append(
                    .init(
                        vault: vault,
                        approvers: entry.item.approvers,
                        badShares: entry.item.bad.map {
                            "\($0.custodian.name) (\($0.custodian.fingerprint)): \($0.problem)"
                        },
                        record: record
                    )
                )
            } else {
                failed.append(
                    .init(
                        vaultName: entry.item.vault.name,
                        error: entry.item.failure ?? EscrowError(.badShare, "bad shares"),
                        record: record
                    )
                )
            }
        }
        // Vaults that were not ready (partial mode) are left unchanged, without a record: nothing was decrypted.
        for target in report.targets where !target.isReady {
            failed.append(
                .init(
                    vaultName: target.target.vaultName,
                    error: target.blocker(in: request) ?? EscrowError(.conflict, "not ready"),
                    record: nil
                )
            )
        }
        let order = Dictionary(uniqueKeysWithValues: request.targets.enumerated().map { ($1.vaultName, $0) })
        failed.sort { (order[$0.vaultName] ?? 0) < (order[$1.vaultName] ?? 0) }
        return BatchReshareOutcome(request: request, reshared: reshared, failed: failed, records: records)
    }
}

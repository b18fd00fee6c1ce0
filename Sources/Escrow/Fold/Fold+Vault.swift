extension Fold {
    mutating func applyVaultCreate(_ event: Event) throws(Refusal) {
        let creator = try author(of: event, role: .custodian)
        let body = try body(VaultCreateBody.self, of: event)
        let id = body.vault.id.bytes
        do {
            try NameRules.validateVaultName(body.vault.name)
            try VaultMetadata.validate(body.metadata)
        } catch {
            throw Refusal(error.message)
        }
        guard id.count == 16 else { throw Refusal("a vault id is 16 bytes") }
        guard state.vaults[Hex.encode(id)] == nil else { throw Refusal("vault id \(Hex.encode(id)) is taken") }
        guard state.vaultNames[body.vault.name] == nil else {
            throw Refusal("the vault name '\(body.vault.name)' was used before (names are never reused)")
        }
        try checkPolicy(body.policy)
        try checkChallenges(body.challenges, for: body.policy.custodians.map(\.key.bytes))
        let hex = Hex.encode(id)
        setVault(
            VaultState(
                reference: body.vault,
                metadata: body.metadata,
                created: event.id,
                creator: creator.identity.name,
                generation: 1,
                policy: body.policy,
                policies: [1: body.policy],
                status: .pending,
                acknowledged: [],
                entries: [:]
            )
        )
        setVaultName(body.vault.name, id: hex)
    }

    /// Checks a policy's shape and that every custodian it names is a current custodian (by key and name).
    func checkPolicy(_ policy: PolicyRecord) throws(Refusal) {
        if let problem = policy.shapeProblem { throw Refusal(problem) }
        for custodian in policy.custodians {
            guard let member = state.members[custodian.key.bytes], member.role == .custodian,
                member.identity.name == custodian.name
            else {
                throw Refusal("'\(NameRules.printable(custodian.name))' in the policy is not a current custodian")
            }
        }
    }

    /// Checks that there is exactly one well-formed challenge per key in `keys` and none for anyone else.
    func checkChallenges(_ challenges: [CustodyChallenge], for keys: [[UInt8]]) throws(Refusal) {
        let challenged = challenges.map(\.key.bytes)
        guard Set(challenged) == Set(keys), challenged.count == keys.count else {
            throw Refusal("needs exactly one custody challenge per custodian it adds")
        }
        guard challenges.allSatisfy({ $0.check.bytes.count == 32 && !$0.sealed.bytes.isEmpty }) else {
            throw Refusal("a custody challenge is malformed")
        }
    }

    mutating func applyCustody(_ event: Event) throws(Refusal) {
        _ = try author(of: event, role: .custodian)
        let body = try body(CustodyBody.self, of: event)
        guard let subjectID = (try? EventID(bytes: body.subject.bytes)), let subject = graph.event(subjectID),
            graph.isAncestor(subjectID, of: event.id)
        else {
            throw Refusal("acknowledges an event that is not among its ancestors")
        }
        switch EventType(rawValue: subject.type) {
        case .vaultCreate:
            guard let created = try? self.body(VaultCreateBody.self, of: subject),
                var vault = state.vaults[Hex.encode(created.vault.id.bytes)], vault.created == subjectID
            else { throw Refusal("acknowledges a vault that does not exist") }
            guard vault.status == .pending, vault.generation == 1 else {
                throw Refusal("vault '\(vault.reference.name)' is not waiting for acknowledgements")
            }
            try checkResponse(body.response.bytes, challenges: created.challenges, author: event.author.key)
            guard !vault.acknowledged.contains(event.author.key) else {
                throw Refusal("\(event.author.name) already acknowledged custody of '\(vault.reference.name)'")
            }
            vault.acknowledged.insert(event.author.key)
            if vault.missingAcknowledgements.isEmpty { vault.status = .active }
            setVault(vault)
        case .request:
            guard var request = state.requests[subjectID], request.body.action == .resplit else {
                throw Refusal("acknowledges a request that is not a re-split")
            }
            guard request.execution == nil else { throw Refusal("the re-split was already executed") }
            try checkResponse(body.response.bytes, challenges: request.body.challenges, author: event.author.key)
            request.acknowledged.insert(event.author.key)
            setRequest(request)
        default:
            throw Refusal("acknowledges a \(subject.type) event")
        }
    }

    private func checkResponse(_ response: [UInt8], challenges: [CustodyChallenge], author: [UInt8]) throws(Refusal) {
        guard let challenge = challenges.first(where: { $0.key.bytes == author }) else {
            throw Refusal("there is no custody challenge for this custodian")
        }
        guard CustodyProof.verifies(response: response, check: challenge.check.bytes) else {
            throw Refusal("the custody response does not answer the challenge")
        }
    }

    mutating func applyDeposit(_ event: Event) throws(Refusal) {
        let depositor = try author(of: event)
        let body = try body(DepositBody.self, of: event)
        var pending = PendingDeposits()
        try checkDeposit(body, of: event, by: depositor, pending: &pending)
        commit(pending, of: event)
    }

    /// A `deposit.batch`: every item checked as a `deposit` (against the state and the batch's earlier items), then
    /// all applied, or none.
    mutating func applyDepositBatch(_ event: Event) throws(Refusal) {
        let depositor = try author(of: event)
        let body: DepositBatchBody
        if let kept = deposits.keptBody(of: event) {
            body = kept
        } else {
            body = try self.body(DepositBatchBody.self, of: event)
            // A trial's event is usually appended next: decode it once.
            if journal != nil { deposits.keep(body, of: event) }
        }
        guard !body.deposits.isEmpty else { throw Refusal("the batch holds no deposit") }
        guard body.deposits.count <= DepositBatchBody.maximumItemCount else {
            throw Refusal(
                "the batch holds \(body.deposits.count) deposits, more than \(DepositBatchBody.maximumItemCount)"
            )
        }
        var pending = PendingDeposits()
        for (index, item) in body.deposits.enumerated() {
            do {
                try checkDeposit(item, of: event, by: depositor, pending: &pending)
            } catch {
                throw Refusal(
                    "deposit \(index + 1) of \(body.deposits.count) (entry '\(NameRules.printable(item.entry))' of "
                        + "vault '\(NameRules.printable(item.vault.name))'): \(error.message); nothing of the batch "
                        + "was applied"
                )
            }
        }
        commit(pending, of: event)
    }

    /// Checks one deposited version (a `deposit` body or a batch item) and records its effect in `pending`.
    private func checkDeposit(
        _ body: DepositBody,
        of event: Event,
        by depositor: MemberState,
        pending: inout PendingDeposits
    ) throws(Refusal) {
        let current = try vault(body.vault)
        let hex = Hex.encode(current.id)
        var vault = pending.vaults[hex] ?? current
        do {
            try NameRules.validateEntryName(body.entry)
        } catch {
            throw Refusal(error.message)
        }
        guard vault.status == .active else {
            if vault.status == .pending {
                throw Refusal(
                    "vault '\(vault.reference.name)' is not active yet (custody not acknowledged by "
                        + "\(vault.missingAcknowledgements.joined(separator: ", ")))"
                )
            }
            throw Refusal("vault '\(vault.reference.name)' is \(vault.status.rawValue)")
        }
        guard body.version.bytes.count == 16, !state.versionIDs.contains(body.version.bytes),
            !pending.versionIDs.contains(body.version.bytes)
        else {
            throw Refusal("version id \(body.version) is malformed or used before")
        }
        guard let policy = vault.policies[body.generation] else {
            throw Refusal("vault '\(vault.reference.name)' has no generation \(body.generation)")
        }
        guard body.threshold == policy.threshold else {
            throw Refusal("threshold \(body.threshold) differs from the policy's \(policy.threshold)")
        }
        let xs = body.shares.map(\.x)
        guard xs.sorted() == policy.custodians.map(\.x).sorted(), Set(xs).count == xs.count,
            body.shares.allSatisfy({ $0.path.isEmpty && $0.digest?.bytes.count == 32 })
        else {
            throw Refusal("the shares do not match the policy of generation \(body.generation) one for one")
        }
        guard body.commitment.bytes.count == 32 else { throw Refusal("the key commitment is malformed") }
        do {
            try VersionMetadata.validate(body.metadata)
        } catch {
            throw Refusal(error.message)
        }
        if let existing = vault.entries[body.entry]?.last, existing.kind != body.kind {
            throw Refusal("entry '\(body.entry)' holds \(existing.kind.rawValue) values, not \(body.kind.rawValue)")
        }
        var holders: [UInt8: [UInt8]] = [:]
        for custodian in policy.custodians { holders[custodian.x] = custodian.key.bytes }
        let version = VersionState(
            id: body.version.bytes,
            entry: body.entry,
            kind: body.kind,
            deposit: event.id,
            depositor: depositor.identity.name,
            depositedAt: event.time,
            metadata: body.metadata,
            commitment: body.commitment.bytes,
            generation: body.generation,
            threshold: policy.threshold,
            holders: holders,
            levels: [],
            source: .dealt,
            isSuperseded: false
        )
        var versions = vault.entries[body.entry] ?? []
        if let last = versions.indices.last { versions[last].isSuperseded = true }
        versions.append(version)
        vault.entries[body.entry] = versions
        if pending.vaults.updateValue(vault, forKey: hex) == nil { pending.vaultOrder.append(hex) }
        pending.versionIDs.insert(body.version.bytes)
        pending.versionOrder.append(body.version.bytes)
        if body.generation != vault.generation {
            pending.notes.append(
                "dealt under generation \(body.generation) of '\(vault.reference.name)', which was re-split "
                    + "meanwhile (now \(vault.generation)): its holders are that generation's custodians until "
                    + "the next re-split covers it"
            )
        }
    }

    /// Applies checked deposits.
    private mutating func commit(_ pending: PendingDeposits, of event: Event) {
        for hex in pending.vaultOrder {
            if let vault = pending.vaults[hex] { setVault(vault) }
        }
        for id in pending.versionOrder { insertVersionID(id) }
        for message in pending.notes { note(event, message) }
    }
}

/// Deposits of one event checked but not yet applied: the vaults as they will be, the new version ids, the notes.
private struct PendingDeposits {
    var vaults: [String: VaultState] = [:]
    var vaultOrder: [String] = []
    var versionIDs: Set<[UInt8]> = []
    var versionOrder: [[UInt8]] = []
    var notes: [String] = []
}

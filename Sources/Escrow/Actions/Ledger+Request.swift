import Sodium

extension Ledger {
    /// The target of an `open` or `release`: the current versions of the named entries (all entries if none is
    /// named).
    ///
    /// - Parameters:
    ///   - vaultName: The vault.
    ///   - entries: Entry names, or empty for every entry.
    /// - Returns: The target.
    /// - Throws: ``EscrowError/Code/notFound`` for an unknown vault or entry.
    public func versionsTarget(vault vaultName: String, entries: [String]) throws(EscrowError) -> RequestTarget {
        let vault = try vault(named: vaultName)
        let names = entries.isEmpty ? vault.entries.keys.sorted() : entries
        var versions: [[UInt8]] = []
        for name in names {
            guard let current = vault.entries[name]?.last else {
                let suggestion = NameSuggestion.closest(to: name, among: Array(vault.entries.keys))
                throw EscrowError(
                    .notFound,
                    "vault '\(vaultName)' has no entry '\(NameRules.printable(name))'"
                        + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
                )
            }
            versions.append(current.id)
        }
        guard !versions.isEmpty else { throw EscrowError(.notFound, "vault '\(vaultName)' holds no credential yet") }
        return RequestTarget(vault: vault.reference, generation: vault.generation, versions: versions)
    }

    /// The target of a re-split: the vault's policy minus `remove`, plus `add`, with a new threshold if given
    /// (custodians who stay keep their x-coordinates).
    ///
    /// - Parameters:
    ///   - vaultName: The vault.
    ///   - remove: Custodians leaving the policy.
    ///   - add: Custodians joining it.
    ///   - threshold: The new threshold, or `nil` to keep it.
    /// - Returns: The target.
    /// - Throws: ``EscrowError`` for unknown names or a bad policy.
    public func resplitTarget(vault vaultName: String, remove: [String], add: [String], threshold: Int?)
        throws(EscrowError) -> RequestTarget
    {
        let vault = try vault(named: vaultName)
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
        let policy = try policy(
            threshold: threshold ?? vault.policy.threshold,
            custodians: names,
            coordinates: coordinates
        )
        return RequestTarget(vault: vault.reference, generation: vault.generation, policy: policy)
    }

    /// Makes a `request` event. For a re-split, custody challenges are added for every custodian a target adds.
    ///
    /// - Parameters:
    ///   - action: What is asked.
    ///   - targets: The vaults (one or many).
    ///   - recipient: Who receives shares (`open`: the requester's fresh key; `release`: the customer's).
    ///   - reason: Why.
    ///   - expiresAt: The deadline for approvals.
    ///   - force: Open a closed vault (recorded).
    ///   - requester: The requesting custodian.
    ///   - time: The event time.
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError`` if the store would refuse it (the fold's reason).
    public func request(
        _ action: RequestAction,
        targets: [RequestTarget],
        recipient: RequestRecipient?,
        reason: String,
        expiresAt: UTCTime,
        force: Bool = false,
        by requester: CustodianIdentity,
        at time: UTCTime
    ) throws(EscrowError) -> Event {
        try NameRules.validateReason(reason)
        var added: [[UInt8]] = []
        for target in targets {
            guard let policy = target.policy, let vault = state.vault(target.vault) else { continue }
            for custodian in policy.custodians where vault.policy.custodian(withKey: custodian.key.bytes) == nil {
                if !added.contains(custodian.key.bytes) { added.append(custodian.key.bytes) }
            }
        }
        let body = RequestBody(
            request: Sodium.randomBytes(16),
            action: action,
            targets: targets,
            recipient: recipient,
            reason: reason,
            expiresAt: expiresAt,
            force: force,
            challenges: try challenges(for: added)
        )
        let event = try event(.request, body: body, by: requester, at: time)
        if let refusal = dryRun(event) { throw EscrowError(.notAuthorized, refusal.message) }
        return event
    }
}

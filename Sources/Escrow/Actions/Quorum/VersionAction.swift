import Shamir
import Sodium

/// An action on named credential versions (open, release): its target names the current versions of entries, its
/// approvals carry the approvers' shares re-sealed to the request's recipient, and each version needs its own holder
/// quorum.
protocol VersionAction: QuorumAction {
    /// Whether a closed vault takes the action without force (a release hands the vault over even when closed).
    static var isAllowedOnClosedVault: Bool { get }
}

extension VersionAction {
    static var payload: ApprovalPayload { .shares }

    /// The target of the action: the current versions of the named entries (all entries if none is named).
    ///
    /// - Parameters:
    ///   - vaultName: The vault.
    ///   - entries: Entry names, or empty for every entry.
    ///   - ledger: The store.
    /// - Returns: The target.
    /// - Throws: ``EscrowError/Code/notFound`` for an unknown vault or entry.
    static func target(vault vaultName: String, entries: [String], in ledger: Ledger) throws(EscrowError)
        -> RequestTarget
    {
        let vault = try ledger.vault(named: vaultName)
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

    static func check(_ target: RequestTarget, of vault: VaultState, force: Bool, in fold: Fold) throws(Refusal) {
        let name = vault.reference.name
        guard target.policy == nil else { throw Refusal("an \(kind.rawValue) request carries no policy") }
        guard !target.versions.isEmpty else { throw Refusal("no credential version of '\(name)' is named") }
        guard Set(target.versions).count == target.versions.count else {
            throw Refusal("a version is named twice")
        }
        for version in target.versions where vault.version(version.bytes) == nil {
            throw Refusal("'\(name)' has no version \(version)")
        }
        switch vault.status {
        case .active: break
        case .closed where isAllowedOnClosedVault || force: break
        case .closed: throw Refusal("'\(name)' is closed (an open must be forced, with a recorded reason)")
        case .pending, .released: throw Refusal("'\(name)' is \(vault.status.rawValue)")
        }
    }

    /// A holder of one of the named versions.
    static func isApprover(_ key: [UInt8], of target: RequestTarget, in vault: VaultState) -> Bool {
        target.versions.contains { vault.version($0.bytes)?.x(ofHolder: key) != nil }
    }

    /// One part per named version: its holders among the approvers, against its threshold.
    static func tally(_ target: RequestTarget, of vault: VaultState, request: RequestState) -> [QuorumTally] {
        target.versions.compactMap { id in
            guard let version = vault.version(id.bytes) else { return nil }
            let holders = Set(version.holders.values)
            return QuorumTally(
                subject: .version(version),
                approvals: request.approvals.keys.filter { holders.contains($0) }.count,
                needed: version.threshold,
                missingAcknowledgements: []
            )
        }
    }

    /// The approver's shares of every named version it holds, opened, checked and re-sealed to the recipient.
    static func contribute(
        _ targets: [QuorumTarget],
        as approver: QuorumApprover,
        random: inout some RandomSource
    ) throws(EscrowError) -> ApprovalContents {
        guard let recipient = approver.request.body.recipient else { return ApprovalContents() }
        let held = approver.ledger.heldShares
        var shares: [VersionComponents] = []
        for item in targets {
            let vault = item.vault
            for id in item.target.versions {
                guard let version = vault.version(id.bytes), let x = version.x(ofHolder: approver.key) else {
                    continue
                }
                var records: [SealedComponentRecord] = []
                for component in try held.open(version, in: vault.reference, x: x, boxKeys: approver.boxKeys) {
                    let position = try held.position(of: version, in: vault.reference, path: component.path, x: x)
                    let sealed = try component.value.withUnsafeBytes { (value) throws(EscrowError) in
                        try approver.sealer.seal(value, position: position, recipientBoxKey: recipient.key.bytes)
                    }
                    records.append(SealedComponentRecord(x: x, path: component.path, sealed: sealed, digest: nil))
                }
                shares.append(VersionComponents(version: id.bytes, components: records))
            }
        }
        return ApprovalContents(shares: shares)
    }

    /// Checks that every named version has `threshold` of its holders among `approvers`.
    ///
    /// - Parameters:
    ///   - target: The target.
    ///   - vault: Its vault.
    ///   - approvers: Keys of the approvers cited.
    /// - Throws: ``Refusal`` naming the first version short of approvals.
    static func checkVersionQuorum(_ target: RequestTarget, of vault: VaultState, approvers: Set<[UInt8]>)
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
}

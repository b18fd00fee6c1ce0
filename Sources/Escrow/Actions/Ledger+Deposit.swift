import Shamir
import Sodium

extension Ledger {
    /// Makes the `deposit` event of a new credential version: a fresh key dealt to the vault's current custodians,
    /// the value sealed under it. Nobody but the depositor (who has the value anyway) learns anything.
    ///
    /// - Parameters:
    ///   - value: The credential value (guarded memory).
    ///   - vaultName: The vault.
    ///   - entry: The entry's name.
    ///   - kind: The entry's kind.
    ///   - metadata: Public data about the version.
    ///   - depositor: A custodian or depositor.
    ///   - time: The event time.
    ///   - random: The polynomial randomness (libsodium's in production).
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError`` for an unknown or inactive vault, a kind that differs from the entry's, a depositor
    ///   who is not a member.
    public func deposit(
        _ value: SecureBytes,
        into vaultName: String,
        entry: String,
        kind: EntryKind,
        metadata: [String: String] = [:],
        by depositor: CustodianIdentity,
        at time: UTCTime,
        random: inout some RandomSource
    ) throws(EscrowError) -> Event {
        var recipients = RecipientsCache()
        let plan = try depositPlan(
            value,
            into: vaultName,
            entry: entry,
            kind: kind,
            metadata: metadata,
            by: depositor,
            recipients: &recipients
        )
        let dealt = try Dealer.deal([plan.job], using: &random)[0].get()
        return try event(.deposit, body: plan.record(dealt), by: depositor, at: time)
    }

    /// A deposit checked against the current state and ready to deal: the dealing's job and the record's public
    /// fields.
    struct DepositPlan {
        /// What the dealer deals.
        var job: DealJob
        /// The vault.
        var vault: VaultReference
        /// The entry's name.
        var entry: String
        /// The entry's kind.
        var kind: EntryKind
        /// Public data about the version.
        var metadata: [String: String]

        /// The record of the deposit (the body of a `deposit` event, or an item of a `deposit.batch`).
        func record(_ dealt: DealtVersion) -> DepositBody {
            DepositBody(
                vault: vault,
                entry: entry,
                kind: kind,
                version: job.binding.versionID,
                generation: job.generation,
                metadata: metadata,
                sealedValue: dealt.sealedValue,
                commitment: dealt.commitment,
                threshold: job.recipients.threshold,
                ephemeralKey: dealt.ephemeralPublicKey,
                shares: dealt.shares.map {
                    SealedComponentRecord(x: $0.x, path: [], sealed: $0.sealed, digest: $0.digest)
                }
            )
        }
    }

    /// What a batch prepares once instead of once per deposit: the recipients of each vault's current policy (per
    /// vault and generation), and each custodian's X25519 key (the Ed25519 → X25519 conversion checks the point's
    /// subgroup: about a scalar multiplication per custodian, the same custodians in every vault).
    struct RecipientsCache {
        private var byVault: [[UInt8]: (generation: Int64, recipients: DealRecipients)] = [:]
        private var boxKeys: [[UInt8]: [UInt8]] = [:]

        /// The recipients of `vault`'s current policy, from the cache or built with `make`.
        mutating func recipients(
            of vault: VaultState,
            _ make: (inout Self) throws(EscrowError) -> DealRecipients
        ) throws(EscrowError) -> DealRecipients {
            if let cached = byVault[vault.id], cached.generation == vault.generation { return cached.recipients }
            let recipients = try make(&self)
            byVault[vault.id] = (vault.generation, recipients)
            return recipients
        }

        /// The X25519 key of `member`, converted once.
        mutating func boxKey(of member: MemberState) throws(EscrowError) -> [UInt8] {
            let signingKey = member.identity.signingKey
            if let cached = boxKeys[signingKey] { return cached }
            let key = try member.identity.boxPublicKey()
            boxKeys[signingKey] = key
            return key
        }
    }

    /// Checks one deposit against the current state and plans its dealing: the depositor is a member, the vault
    /// is active, the entry's name is valid and its kind unchanged, and every custodian of the vault's policy is
    /// still on the roster; draws the version id.
    func depositPlan(
        _ value: SecureBytes,
        into vaultName: String,
        entry: String,
        kind: EntryKind,
        metadata: [String: String],
        by depositor: CustodianIdentity,
        recipients cache: inout RecipientsCache
    ) throws(EscrowError) -> DepositPlan {
        guard state.members[depositor.publicIdentity.signingKey] != nil else {
            throw EscrowError(.notAuthorized, "\(depositor.publicIdentity.name) is not a member of this store")
        }
        let vault = try vault(named: vaultName)
        try NameRules.validateEntryName(entry)
        guard vault.status == .active else {
            if vault.status == .pending {
                throw EscrowError(
                    .notAuthorized,
                    "vault '\(vaultName)' is not active yet: custody not acknowledged by "
                        + vault.missingAcknowledgements.joined(separator: ", ")
                )
            }
            throw EscrowError(.notAuthorized, "vault '\(vaultName)' is \(vault.status.rawValue)")
        }
        if let existing = vault.entries[entry]?.last, existing.kind != kind {
            throw EscrowError(
                .invalidInput,
                "entry '\(entry)' of '\(vaultName)' holds \(existing.kind.rawValue) values, not \(kind.rawValue)"
            )
        }
        let recipients = try cache.recipients(of: vault) { (cache) throws(EscrowError) in
            var holders: [DealHolder] = []
            for custodian in vault.policy.custodians {
                guard let member = state.members[custodian.key.bytes] else {
                    throw EscrowError(.notAuthorized, "custodian \(custodian.name) of '\(vaultName)' left the roster")
                }
                holders.append(DealHolder(x: custodian.x, boxPublicKey: try cache.boxKey(of: member)))
            }
            return try DealRecipients(threshold: vault.policy.threshold, holders: holders)
        }
        let binding = try VersionBinding(
            storeID: state.storeID,
            vaultID: vault.id,
            vaultName: vaultName,
            entry: entry,
            versionID: Sodium.randomBytes(16),
            kind: kind.rawValue
        )
        return DepositPlan(
            job: DealJob(value: value, binding: binding, generation: vault.generation, recipients: recipients),
            vault: vault.reference,
            entry: entry,
            kind: kind,
            metadata: metadata
        )
    }

    /// The vault named `name`, or an error that suggests the closest name.
    ///
    /// - Parameter name: A vault name.
    /// - Returns: The vault.
    /// - Throws: ``EscrowError/Code/notFound``.
    public func vault(named name: String) throws(EscrowError) -> VaultState {
        if let vault = state.vault(named: name) { return vault }
        let suggestion = NameSuggestion.closest(to: name, among: Array(state.vaultNames.keys))
        throw EscrowError(
            .notFound,
            "no vault named '\(NameRules.printable(name))' in this store"
                + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        )
    }
}

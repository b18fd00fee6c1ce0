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
        let body = try depositRecord(
            value,
            into: vaultName,
            entry: entry,
            kind: kind,
            metadata: metadata,
            by: depositor,
            random: &random
        )
        return try event(.deposit, body: body, by: depositor, at: time)
    }

    /// The record of one deposit (the body of a `deposit` event, or an item of a `deposit.batch`), checked against
    /// the current state.
    func depositRecord(
        _ value: SecureBytes,
        into vaultName: String,
        entry: String,
        kind: EntryKind,
        metadata: [String: String],
        by depositor: CustodianIdentity,
        random: inout some RandomSource
    ) throws(EscrowError) -> DepositBody {
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
        var holders: [DealHolder] = []
        for custodian in vault.policy.custodians {
            guard let member = state.members[custodian.key.bytes] else {
                throw EscrowError(.notAuthorized, "custodian \(custodian.name) of '\(vaultName)' left the roster")
            }
            holders.append(DealHolder(x: custodian.x, boxPublicKey: try member.identity.boxPublicKey()))
        }
        let versionID = Sodium.randomBytes(16)
        let binding = try VersionBinding(
            storeID: state.storeID,
            vaultID: vault.id,
            vaultName: vaultName,
            entry: entry,
            versionID: versionID,
            kind: kind.rawValue
        )
        let dealt = try Dealer.deal(
            value: value,
            binding: binding,
            generation: vault.generation,
            threshold: vault.policy.threshold,
            holders: holders,
            using: &random
        )
        return DepositBody(
            vault: vault.reference,
            entry: entry,
            kind: kind,
            version: versionID,
            generation: vault.generation,
            metadata: metadata,
            sealedValue: dealt.sealedValue,
            commitment: dealt.commitment,
            threshold: vault.policy.threshold,
            ephemeralKey: dealt.ephemeralPublicKey,
            shares: dealt.shares.map { SealedComponentRecord(x: $0.x, path: [], sealed: $0.sealed, digest: $0.digest) }
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

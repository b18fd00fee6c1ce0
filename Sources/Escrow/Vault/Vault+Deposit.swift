import Sodium

extension Vault {
    /// Adds a new version of an entry (creating the entry on its first deposit): seals the value to the vault key with
    /// its binding header, signs the version as `depositor`, and marks the previous version superseded. The caller
    /// then re-signs the vault (``sign(by:at:)``) and commits it.
    ///
    /// - Parameters:
    ///   - entry: The entry name.
    ///   - kind: The entry kind (must match an existing entry's).
    ///   - prepared: The value and metadata (see ``EntryInput``).
    ///   - depositor: Who deposits.
    ///   - time: When.
    /// - Returns: The new version.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a bad name or metadata, ``EscrowError/Code/conflict`` if the vault
    ///   is not active or the entry has another kind, ``EscrowError/Code/cryptoFailure``.
    @discardableResult
    public mutating func deposit(
        entry: String,
        kind: EntryKind,
        prepared: EntryInput.Prepared,
        depositor: CustodianIdentity,
        at time: UTCTime
    ) throws(EscrowError) -> EntryVersion {
        try NameRules.validateEntryName(entry)
        guard state == .active else {
            throw EscrowError(.conflict, "vault '\(name)' is \(state.rawValue): deposits are refused")
        }
        var existing = entries[entry] ?? VaultEntry(kind: kind, versions: [])
        guard existing.kind == kind else {
            throw EscrowError(
                .conflict,
                "entry '\(entry)' of vault '\(name)' holds a \(existing.kind.rawValue), not a \(kind.rawValue); use another entry name"
            )
        }
        let number = existing.versions.count + 1
        let sealed = try EntryPlaintext.seal(
            prepared.value,
            vaultID: id.bytes,
            entry: entry,
            kind: kind,
            version: number,
            to: publicKey.bytes
        )
        var version = EntryVersion(
            version: number,
            state: .current,
            createdAt: time,
            depositor: SignerReference(depositor.publicIdentity),
            sealedValue: Base64Bytes(sealed),
            metadata: prepared.metadata,
            signature: Base64Bytes([])
        )
        version.signature = Base64Bytes(
            depositor.sign(try version.signedMessage(vaultID: id.bytes, entry: entry, kind: kind))
        )
        for index in existing.versions.indices { existing.versions[index].state = .superseded }
        existing.versions.append(version)
        entries[entry] = existing
        return version
    }
}

/// Access to a locked store: valid only inside ``Store/withLock(_:)``. Reads verify what they return; ``commit(_:action:vault:reason:details:actor:)``
/// is the only way to change a file.
public struct StoreSession {
    /// The store.
    public let store: Store

    var layout: StoreLayout { store.layout }
    var auditLog: AuditLog { AuditLog(path: layout.path(StoreLayout.auditPath)) }

    init(store: Store) { self.store = store }

    /// Reads and checks the roster.
    ///
    /// - Returns: The roster.
    /// - Throws: ``EscrowError/Code/malformedFile``, ``EscrowError/Code/unsupportedVersion``,
    ///   ``EscrowError/Code/tampered`` or an I/O error, naming `roster.json`.
    public func roster() throws(EscrowError) -> Roster {
        let path = layout.path(StoreLayout.rosterPath)
        return try Roster.decode(try FileSystem.read(path, limit: 64 << 20), source: path)
    }

    /// The names of all vaults, sorted.
    ///
    /// - Returns: The names.
    /// - Throws: An I/O error.
    public func vaultNames() throws(EscrowError) -> [String] {
        try FileSystem.list(layout.path(StoreLayout.vaultsPath)).compactMap { file in
            guard !file.hasPrefix("."), file.hasSuffix(".json") else { return nil }
            return String(file.dropLast(5))
        }
    }

    /// Reads a vault and checks it completely: format, structure, the last writer's and depositors' signatures, and
    /// that every signer and custodian is known to the roster.
    ///
    /// - Parameters:
    ///   - name: The vault name.
    ///   - roster: The roster to check against.
    /// - Returns: The vault.
    /// - Throws: ``EscrowError/Code/notFound`` (no such vault, or a custodian missing from the roster),
    ///   ``EscrowError/Code/tampered`` (a signature or fingerprint mismatch), ``EscrowError/Code/notAuthorized`` (a
    ///   signer unknown to the roster), ``EscrowError/Code/malformedFile``.
    public func vault(named name: String, roster: Roster) throws(EscrowError) -> Vault {
        try NameRules.validateVaultName(name)
        let path = layout.path(Vault.relativePath(name: name))
        guard FileSystem.exists(path) else { throw EscrowError(.notFound, "vault '\(name)' does not exist") }
        let vault = try Vault.decode(try FileSystem.read(path, limit: 256 << 20), source: path)
        guard vault.name == name else {
            throw EscrowError(.tampered, "\(path) holds vault '\(vault.name)' (renamed by hand?)")
        }
        func requireKnown(_ signer: SignerReference, _ role: String) throws(EscrowError) {
            guard let known = roster.knownIdentity(fingerprint: signer.fingerprint),
                known.signingKey == signer.signingKey.bytes
            else {
                throw EscrowError(
                    .notAuthorized,
                    "\(path): \(role) '\(signer.name)' (\(signer.fingerprint)) is not in the roster of this store"
                )
            }
        }
        try requireKnown(vault.lastWriter, "last writer")
        for custodian in vault.policy.custodians {
            guard let member = roster.member(fingerprint: custodian.fingerprint),
                member.identity.signingKey == custodian.signingKey.bytes
            else {
                throw EscrowError(
                    .notFound,
                    "\(path): custodian '\(custodian.name)' (\(custodian.fingerprint)) is not in the roster of this store"
                )
            }
        }
        for entryName in vault.entries.keys.sorted() {
            for version in vault.entries[entryName]?.versions ?? [] {
                try requireKnown(version.depositor, "depositor of '\(entryName)' version \(version.version)")
            }
        }
        return vault
    }

    /// Refuses an actor who is not an active roster member.
    ///
    /// - Parameters:
    ///   - actor: The acting identity.
    ///   - roster: The current roster.
    /// - Throws: ``EscrowError/Code/notAuthorized``.
    public func requireMember(_ actor: CustodianIdentity, in roster: Roster) throws(EscrowError) {
        guard roster.isActive(actor.publicIdentity) else {
            throw EscrowError(
                .notAuthorized,
                "\(actor.publicIdentity.name) (\(actor.publicIdentity.fingerprint)) is not in the roster of this store"
            )
        }
    }

    /// The last audit record, or `nil` for an empty log.
    ///
    /// - Returns: The record and its line bytes.
    /// - Throws: An I/O or parse error.
    func lastRecord() throws(EscrowError) -> (record: AuditRecord, line: [UInt8])? {
        guard let line = try auditLog.tail().lastLine else { return nil }
        return (try AuditRecord.parse(line, lineNumber: nil), line)
    }

    /// Commits new contents for one or more store files together with their signed audit record (see ``Store``).
    ///
    /// - Parameters:
    ///   - changes: The files and their complete new contents.
    ///   - action: The audited action.
    ///   - vault: The vault concerned, if any.
    ///   - reason: The reason given, if any.
    ///   - details: Public details for the record.
    ///   - actor: Who acts and signs.
    /// - Returns: The appended record.
    /// - Throws: An I/O error; before the commit point nothing is left changed.
    @discardableResult
    public func commit(
        _ changes: [FileChange],
        action: AuditAction,
        vault: AuditRecord.VaultReference?,
        reason: String?,
        details: [String: String],
        actor: CustodianIdentity
    ) throws(EscrowError) -> AuditRecord {
        try NameRules.validateReason(reason)
        let previous = try lastRecord()
        let directories = Set(changes.map { FileSystem.directory(of: layout.path($0.path)) })
        var pending: [String] = []
        let record: AuditRecord
        do throws(EscrowError) {
            for change in changes {
                let path = layout.path(StoreLayout.pendingPath(for: change.path))
                pending.append(path)
                try DurableFile.writeDurably(change.contents, to: path)
            }
            for directory in directories.sorted() { try DurableFile.syncDirectory(directory) }
            try crash(after: .pendingWritten)
            var draft = AuditRecord(
                seq: (previous?.record.seq ?? 0) + 1,
                time: store.clock.now,
                action: action,
                vault: vault,
                actor: actor.publicIdentity,
                reason: reason,
                details: details,
                files: changes.map {
                    AuditRecord.FileHash(path: $0.path, hash: HexBytes(AuditChain.hash(ofFile: $0.contents)))
                },
                prev: previous.map { AuditChain.hash(ofLine: $0.line) } ?? AuditChain.genesis
            )
            try draft.sign(by: actor)
            let line = try draft.line()
            try auditLog.append(line, tornAfter: store.crashPoint == .recordTorn ? line.count / 2 : nil)
            record = draft
        } catch {
            if error.code != .simulatedCrash {
                for path in pending { try? FileSystem.remove(path) }
            }
            throw error
        }
        // Committed: from here on, recovery completes the change if we stop.
        try crash(after: .recordAppended)
        for change in changes {
            try DurableFile.rename(
                layout.path(StoreLayout.pendingPath(for: change.path)),
                over: layout.path(change.path)
            )
        }
        try crash(after: .renamed)
        for directory in directories.sorted() { try DurableFile.syncDirectory(directory) }
        return record
    }

    private func crash(after step: CommitStep) throws(EscrowError) {
        if store.crashPoint == step { throw EscrowError(.simulatedCrash, "simulated crash after \(step)") }
    }
}

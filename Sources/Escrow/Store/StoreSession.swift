import Sodium

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

    /// Commits new contents for one or more store files together with their signed audit record (see ``Store``): a
    /// batch of one (``commitBatch(_:actor:)``).
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
        vault: AuditRecord.AuditVaultReference?,
        reason: String?,
        details: [String: String],
        actor: CustodianIdentity
    ) throws(EscrowError) -> AuditRecord {
        let records = try commitBatch(
            [AuditedChange(changes, action: action, vault: vault, reason: reason, details: details)],
            actor: actor
        )
        guard let record = records.first else { throw EscrowError(.ioFailure, "the commit produced no record") }
        return record
    }

    /// Commits many audited changes together: thousands of vault files cost one commit, not thousands.
    ///
    /// 1. every new file is written as `.NAME.pending` beside its target, then all are made durable together
    ///    (``BatchDurability``: one `syncfs`, or an `fsync` per file and directory);
    /// 2. all the audit records (one per change, chained, each signed by `actor` and, for more than one, marked with
    ///    ``AuditBatch``) are appended with ONE `write` and ONE `fsync` — **the commit point** of the whole batch;
    /// 3. every pending file is renamed over its target, then each directory is flushed once.
    ///
    /// A crash at any instant leaves every file either old or new: recovery (``Store/withLock(_:)``) cuts a torn
    /// batch of records off entirely and discards its pending files, or rolls a committed batch forward.
    ///
    /// - Parameters:
    ///   - items: The changes, in record order (at least one); no file may appear twice.
    ///   - actor: Who acts and signs every record.
    /// - Returns: The appended records, in order.
    /// - Throws: ``EscrowError/Code/invalidInput`` for an empty batch or a file changed twice; an I/O error. Before
    ///   the commit point nothing is left changed.
    /// - Complexity: O(total bytes) writes, one file-system flush (or one per file), one log flush, one rename per
    ///   file, one flush per directory.
    @discardableResult
    public func commitBatch(_ items: [AuditedChange], actor: CustodianIdentity) throws(EscrowError) -> [AuditRecord] {
        guard !items.isEmpty else { throw EscrowError(.invalidInput, "a commit needs at least one change") }
        var paths = Set<String>()
        for item in items {
            try NameRules.validateReason(item.reason)
            for change in item.changes where !paths.insert(change.path).inserted {
                throw EscrowError(.invalidInput, "\(change.path) is changed twice in one commit")
            }
        }
        let changes = items.flatMap(\.changes)
        let previous = try lastRecord()
        let directories = Set(changes.map { FileSystem.directory(of: layout.path($0.path)) }).sorted()
        let durability = store.batchDurability.resolved(fileCount: changes.count)
        var pending: [String] = []
        let records: [AuditRecord]
        do throws(EscrowError) {
            pending.reserveCapacity(changes.count)
            for change in changes {
                let path = layout.path(StoreLayout.pendingPath(for: change.path))
                pending.append(path)
                if durability == .fileSystem {
                    try DurableFile.writeUnflushed(change.contents, to: path)
                } else {
                    try DurableFile.writeDurably(change.contents, to: path)
                }
            }
            if durability == .fileSystem {
                try DurableFile.syncFileSystem(of: layout.root)
            } else {
                for directory in directories { try DurableFile.syncDirectory(directory) }
            }
            try crash(after: .pendingWritten)
            let batchID = items.count > 1 ? Hex.encode(Sodium.randomBytes(AuditBatch.idCount)) : nil
            let time = store.clock.now
            var seq = previous?.record.seq ?? 0
            var prev = previous.map { AuditChain.hash(ofLine: $0.line) } ?? AuditChain.genesis
            var drafts: [AuditRecord] = []
            var lines: [[UInt8]] = []
            drafts.reserveCapacity(items.count)
            lines.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                seq += 1
                var details = item.details
                if let batchID { AuditBatch(id: batchID, index: index + 1, size: items.count).mark(&details) }
                var draft = AuditRecord(
                    seq: seq,
                    time: time,
                    action: item.action,
                    vault: item.vault,
                    actor: actor.publicIdentity,
                    reason: item.reason,
                    details: details,
                    files: item.changes.map {
                        AuditRecord.FileHash(path: $0.path, hash: HexBytes(AuditChain.hash(ofFile: $0.contents)))
                    },
                    prev: prev
                )
                try draft.sign(by: actor)
                let line = try draft.line()
                prev = AuditChain.hash(ofLine: line)
                drafts.append(draft)
                lines.append(line)
            }
            try auditLog.append(lines: lines, tornAfter: tornAppend(of: lines))
            records = drafts
        } catch {
            if error.code != .simulatedCrash {
                for path in pending { try? FileSystem.remove(path) }
            }
            throw error
        }
        // Committed: from here on, recovery completes the change if we stop.
        try crash(after: .recordAppended)
        for (index, change) in changes.enumerated() {
            if store.crashPoint == .renamedPartly, index == changes.count / 2 {
                throw EscrowError(.simulatedCrash, "simulated crash after renaming \(index) of \(changes.count) files")
            }
            try DurableFile.rename(
                layout.path(StoreLayout.pendingPath(for: change.path)),
                over: layout.path(change.path)
            )
        }
        try crash(after: .renamed)
        for directory in directories { try DurableFile.syncDirectory(directory) }
        return records
    }

    /// Test hook: how many bytes of the append a simulated crash lets through.
    private func tornAppend(of lines: [[UInt8]]) -> Int? {
        switch store.crashPoint {
        case .recordTorn:
            return lines.reduce(0) { $0 + $1.count + 1 } / 2
        case .recordTornAtLine:
            return lines.prefix(lines.count / 2).reduce(0) { $0 + $1.count + 1 }
        default:
            return nil
        }
    }

    private func crash(after step: CommitStep) throws(EscrowError) {
        if store.crashPoint == step { throw EscrowError(.simulatedCrash, "simulated crash after \(step)") }
    }
}

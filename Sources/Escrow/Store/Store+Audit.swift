extension Store {
    /// Every audit record, oldest first (each line parsed, not yet verified).
    ///
    /// - Returns: The records.
    /// - Throws: A parse error naming the line.
    public func auditRecords() throws(EscrowError) -> [AuditRecord] {
        try withLock { (session) throws(EscrowError) in
            var records: [AuditRecord] = []
            for (index, line) in try session.auditLog.lines().lines.enumerated() {
                records.append(try AuditRecord.parse(line, lineNumber: index + 1))
            }
            return records
        }
    }

    /// Verifies the audit log (``AuditVerifier``) and that the store's files are exactly what the log says: each
    /// file's hash equals the one its last record gave it, no store file exists that no record wrote, the roster file
    /// matches the replayed roster, and the descriptor's id matches the genesis record.
    ///
    /// - Parameter anchor: An earlier head hash that must occur in the chain, if any.
    /// - Returns: The report (head hash, record count).
    /// - Throws: ``EscrowError/Code/auditBroken`` naming the first problem.
    public func verifyAudit(anchor: [UInt8]? = nil) throws(EscrowError) -> AuditReport {
        try withLock { (session) throws(EscrowError) in
            let report = try AuditVerifier.verify(lines: try session.auditLog.lines().lines, anchor: anchor)
            let layout = session.layout
            guard report.recordCount > 0 else {
                throw EscrowError(.auditBroken, "audit.log is empty: the store.init record is missing")
            }
            guard report.storeID == descriptor.id.description else {
                throw EscrowError(
                    .auditBroken,
                    "the audit log belongs to another store (its store.init names another store id)"
                )
            }
            var onDisk = [StoreLayout.descriptorPath, StoreLayout.rosterPath]
            onDisk += try session.vaultNames().map { Vault.relativePath(name: $0) }
            for path in onDisk where report.fileHashes[path] == nil {
                throw EscrowError(.auditBroken, "\(path) is not in the audit log (added outside escrow)")
            }
            for path in report.fileHashes.keys.sorted() {
                guard let expected = report.fileHashes[path] else { continue }
                let absolute = layout.path(path)
                guard FileSystem.exists(absolute) else {
                    throw EscrowError(.auditBroken, "\(path) is missing, but audit record \(expected.seq) wrote it")
                }
                let hash = AuditChain.hash(ofFile: try FileSystem.read(absolute, limit: Int.max))
                guard hash == expected.hash.bytes else {
                    throw EscrowError(
                        .auditBroken,
                        "\(path) does not match audit record \(expected.seq) (changed outside escrow, or the log was truncated)"
                    )
                }
            }
            let roster = try session.roster()
            let replayed = report.roster.members.map { [$0.identity.name: $0.identity.signingKey] }
            guard roster.members.map({ [$0.identity.name: $0.identity.signingKey] }) == replayed else {
                throw EscrowError(.auditBroken, "roster.json does not match the roster replayed from the audit log")
            }
            return report
        }
    }
}

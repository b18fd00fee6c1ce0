/// Verifies an audit log: the hash chain, every record's sequence number, every signature against the roster as of
/// that record (the roster is replayed from the `store.init`, `custodian.add` and `custodian.remove` records), and that
/// every file path is a store file. The first problem is reported with its line number and what it means.
///
/// Detected: an edited record (its signature fails), a deleted, inserted or reordered record (sequence or `prev`
/// mismatch), a record signed by someone who was not a member at the time, a batch of records (``AuditBatch``) cut
/// short or interleaved, and a log rewritten before an anchored head hash. Truncation at the end is only detectable against an anchor or the files (see ``Store/verifyAudit(anchor:)``).
public enum AuditVerifier {
    /// Verifies the log's lines.
    ///
    /// - Parameters:
    ///   - lines: The lines, without newlines.
    ///   - anchor: An earlier head hash that must occur in the chain, if any.
    /// - Returns: The report.
    /// - Throws: ``EscrowError/Code/auditBroken`` naming the first bad line and why.
    public static func verify(lines: [[UInt8]], anchor: [UInt8]? = nil) throws(EscrowError) -> AuditReport {
        var roster = Roster()
        var previousHash = AuditChain.genesis
        var fileHashes: [String: (hash: HexBytes, seq: Int64)] = [:]
        var anchorLine: Int? = anchor == AuditChain.genesis ? 0 : nil
        var storeID: String?
        var openBatch: AuditBatch?
        for (index, line) in lines.enumerated() {
            let number = index + 1
            func broken(_ what: String) -> EscrowError {
                EscrowError(.auditBroken, "audit.log line \(number): \(what)")
            }
            let record: AuditRecord
            do {
                record = try AuditRecord.parse(line, lineNumber: number)
            } catch {
                throw EscrowError(.auditBroken, error.message)
            }
            guard record.seq == Int64(number) else {
                throw broken(
                    "sequence number \(record.seq) where \(number) was expected (a record was deleted, inserted or moved)"
                )
            }
            guard record.prev.bytes == previousHash else {
                throw broken(
                    number == 1
                        ? "does not start the chain (its 'prev' is not the genesis hash)"
                        : "does not follow line \(number - 1) (its 'prev' hash differs: a record was edited, deleted, inserted or moved)"
                )
            }
            // Who may sign this record: the founder for line 1, an active member for every other line.
            let signer: PublicIdentity
            if number == 1 {
                guard record.action == .storeInit, let line = record.details["identity"] else {
                    throw broken("the first record must be store.init with the founder's identity")
                }
                do {
                    signer = try PublicIdentity(line: line)
                } catch {
                    throw broken("the founder's identity is unreadable: \(error.message)")
                }
                guard signer.fingerprint == record.actor else {
                    throw broken("store.init is not signed by the founder")
                }
                storeID = record.details["store_id"]
            } else {
                guard record.action != .storeInit else { throw broken("a second store.init record") }
                guard let member = roster.member(fingerprint: record.actor) else {
                    throw broken("actor \(record.actorName) (\(record.actor)) was not in the roster at that point")
                }
                signer = member.identity
            }
            guard record.isSigned(by: signer) else {
                throw broken(
                    "the signature of \(signer.name) (\(signer.fingerprint)) does not verify (the record was edited)"
                )
            }
            let mark: AuditBatch?
            do {
                mark = try AuditBatch.of(record)
            } catch {
                throw broken("has a malformed batch mark")
            }
            if let open = openBatch {
                guard let mark, mark.id == open.id, mark.size == open.size, mark.index == open.index + 1 else {
                    throw broken(
                        "interrupts batch \(open.id), whose record \(open.index + 1) of \(open.size) was expected here (a batch record was deleted, inserted or moved)"
                    )
                }
            } else if let mark, mark.index != 1 {
                throw broken("is record \(mark.index) of batch \(mark.id), whose first records are missing")
            }
            openBatch = mark.flatMap { $0.isLast ? nil : $0 }
            do {
                try apply(record, signer: signer, to: &roster)
            } catch {
                throw broken(error.message)
            }
            for file in record.files {
                guard isStorePath(file.path) else {
                    throw broken("names '\(NameRules.printable(file.path))', which is not a store file")
                }
                fileHashes[file.path] = (file.hash, record.seq)
            }
            previousHash = AuditChain.hash(ofLine: line)
            if let anchor, anchor == previousHash { anchorLine = number }
        }
        if let open = openBatch {
            throw EscrowError(
                .auditBroken,
                "audit.log line \(lines.count): the log ends inside batch \(open.id), after record \(open.index) of \(open.size) (the log was truncated)"
            )
        }
        if let anchor, anchorLine == nil {
            throw EscrowError(
                .auditBroken,
                "the anchored head hash \(Hex.encode(anchor)) is not in this log: it was rewritten or truncated since"
            )
        }
        return AuditReport(
            recordCount: lines.count,
            headHash: previousHash,
            roster: roster,
            fileHashes: fileHashes,
            storeID: storeID,
            anchorLine: anchorLine
        )
    }

    /// Applies a roster-changing record to the replayed roster.
    private static func apply(_ record: AuditRecord, signer: PublicIdentity, to roster: inout Roster)
        throws(EscrowError)
    {
        switch record.action {
        case .storeInit:
            try roster.add(signer, at: record.time, by: signer.fingerprint)
        case .custodianAdd:
            guard let line = record.details["identity"] else {
                throw EscrowError(.auditBroken, "custodian.add without an identity")
            }
            let identity: PublicIdentity
            do {
                identity = try PublicIdentity(line: line)
            } catch {
                throw EscrowError(.auditBroken, "custodian.add with an unreadable identity: \(error.message)")
            }
            try roster.add(identity, at: record.time, by: record.actor)
        case .custodianRemove:
            guard let text = record.details["fingerprint"], let fingerprint = Fingerprint(text),
                let member = roster.member(fingerprint: fingerprint)
            else { throw EscrowError(.auditBroken, "custodian.remove of a custodian who is not in the roster") }
            try roster.remove(named: member.identity.name, at: record.time, by: record.actor)
        default:
            break
        }
    }

    private static func isStorePath(_ path: String) -> Bool {
        if path == StoreLayout.descriptorPath || path == StoreLayout.rosterPath { return true }
        let prefix = StoreLayout.vaultsPath + "/"
        guard path.hasPrefix(prefix), path.hasSuffix(".json") else { return false }
        let name = String(path.dropFirst(prefix.count).dropLast(5))
        return (try? NameRules.validateVaultName(name)) != nil
    }
}

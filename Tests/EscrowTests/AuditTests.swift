import Sodium
import Testing

@testable import Escrow

@Suite struct AuditTests {
    init() throws { try Sodium.initialize() }

    /// A store with 8 records (init, 4 adds, vault init, 2 deposits) and its audit lines.
    func fixture() throws -> (Fixture, [[UInt8]]) {
        let fixture = try Fixture()
        for text in ["first-value-123", "second-value-456"] {
            let prepared = try EntryInput.prepare(secure(text), kind: .password, entryName: "root")
            _ = try fixture.store.deposit(
                into: "acme",
                entry: "root",
                kind: .password,
                prepared: prepared,
                by: fixture.custodians[1]
            )
        }
        let lines = try AuditLog(path: fixture.auditPath).lines().lines
        #expect(lines.count == 8)
        return (fixture, lines)
    }

    func verify(_ lines: [[UInt8]]) throws { _ = try AuditVerifier.verify(lines: lines) }

    func expectBroken(_ lines: [[UInt8]], _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = expectEscrowError(.auditBroken, sourceLocation: sourceLocation) { try verify(lines) }
        #expect(error?.message.hasPrefix(prefix) == true, "\(error?.message ?? "")", sourceLocation: sourceLocation)
    }

    @Test func genesisHashIsPinned() {
        // BLAKE2b-256("escrow-audit-genesis-v1"), computed independently with Python's hashlib.
        #expect(Hex.encode(AuditChain.genesis) == "799a0f2a844f451b227c622ca7de8a803b5bc99eabe25fd4f5659ddfcfc911c5")
    }

    @Test func intactLogVerifies() throws {
        let (fixture, lines) = try fixture()
        let report = try AuditVerifier.verify(lines: lines)
        #expect(report.recordCount == 8)
        #expect(report.headHash == AuditChain.hash(ofLine: lines[7]))
        #expect(report.roster.members.map(\.identity.name) == Fixture.names)
        #expect(report.fileHashes["vaults/acme.json"]?.seq == 8)
        #expect(try fixture.store.verifyAudit().headHash == report.headHash)
    }

    @Test func editedRecord() throws {
        let (_, lines) = try fixture()
        var edited = lines
        edited[6] = Array(
            String(decoding: lines[6], as: UTF8.self).replacingFirst("\"kind\":\"password\"", with: "\"kind\":\"note\"")
                .utf8
        )
        #expect(edited[6] != lines[6])
        expectBroken(edited, "audit.log line 7: the signature of bob")
    }

    @Test func reorderedRecords() throws {
        let (_, lines) = try fixture()
        var reordered = lines
        reordered.swapAt(6, 7)
        expectBroken(reordered, "audit.log line 7: sequence number 8 where 7 was expected")
    }

    @Test func deletedRecordInTheMiddle() throws {
        let (_, lines) = try fixture()
        var deleted = lines
        deleted.remove(at: 3)
        expectBroken(deleted, "audit.log line 4: sequence number 5 where 4 was expected")
    }

    @Test func insertedRecord() throws {
        let (fixture, lines) = try fixture()
        // A replayed (copied) record.
        var replayed = lines
        replayed.insert(lines[3], at: 6)
        expectBroken(replayed, "audit.log line 7: sequence number 4 where 7 was expected")
        // A forged record, correctly chained after line 7 and signed with a member's key, inserted before line 8.
        var forged = try AuditRecord.parse(lines[6], lineNumber: 7)
        forged.reason = "forged"
        forged.seq = 8
        forged.prev = HexBytes(AuditChain.hash(ofLine: lines[6]))
        try forged.sign(by: fixture.custodians[1])
        let inserted = Array(lines.prefix(7)) + [try forged.line(), lines[7]]
        expectBroken(inserted, "audit.log line 9: sequence number 8 where 9 was expected")
        // Renumbering the successor does not help: its signed 'prev' still names the original line 7.
        var successor = try AuditRecord.parse(lines[7], lineNumber: 8)
        successor.seq = 9
        try successor.sign(by: fixture.custodians[1])
        expectBroken(
            Array(lines.prefix(7)) + [try forged.line(), try successor.line()],
            "audit.log line 9: does not follow line 8"
        )
    }

    @Test func truncatedMiddleAndForeignSigner() throws {
        let (fixture, lines) = try fixture()
        expectBroken(Array(lines[2...]), "audit.log line 1: sequence number 3")
        // A record by someone who is not in the roster, correctly chained.
        let mallory = try identity("mallory")
        var record = AuditRecord(
            seq: 9,
            time: UTCTime(secondsSinceEpoch: 1),
            action: .entryPut,
            vault: nil,
            actor: mallory.publicIdentity,
            reason: nil,
            details: [:],
            files: [],
            prev: AuditChain.hash(ofLine: lines[7])
        )
        try record.sign(by: mallory)
        expectBroken(lines + [try record.line()], "audit.log line 9: actor mallory")
        // A member signing with a forged actor name still verifies by key; a bad file path does not.
        var badPath = AuditRecord(
            seq: 9,
            time: UTCTime(secondsSinceEpoch: 1),
            action: .entryPut,
            vault: nil,
            actor: fixture.alice.publicIdentity,
            reason: nil,
            details: [:],
            files: [AuditRecord.FileHash(path: "../etc/passwd", hash: HexBytes([0]))],
            prev: AuditChain.hash(ofLine: lines[7])
        )
        try badPath.sign(by: fixture.alice)
        expectBroken(lines + [try badPath.line()], "audit.log line 9: names '../etc/passwd'")
    }

    @Test func nonCanonicalLine() throws {
        let (_, lines) = try fixture()
        var spaced = lines
        spaced[2] = Array(String(decoding: lines[2], as: UTF8.self).replacingFirst(",", with: ", ").utf8)
        expectBroken(spaced, "audit.log line 3: not in canonical form")
    }

    @Test func anchors() throws {
        let (_, lines) = try fixture()
        let anchor = AuditChain.hash(ofLine: lines[4])
        #expect(try AuditVerifier.verify(lines: lines, anchor: anchor).anchorLine == 5)
        // Truncating the end goes unnoticed by the chain alone, but not against an anchor beyond the cut.
        let headAnchor = AuditChain.hash(ofLine: lines[7])
        let error = expectEscrowError(.auditBroken) {
            _ = try AuditVerifier.verify(lines: Array(lines.prefix(6)), anchor: headAnchor)
        }
        #expect(error?.message.contains("is not in this log") == true)
    }

    @Test func filesMustMatchTheLog() throws {
        let (fixture, lines) = try fixture()
        // Truncating the log's last record: the vault file is now newer than the log says.
        try DurableFile.write(Array(lines.prefix(7).map { $0 + [UInt8(ascii: "\n")] }.joined()), to: fixture.auditPath)
        let error = expectEscrowError(.auditBroken) { _ = try fixture.store.verifyAudit() }
        #expect(
            error?.message
                == "vaults/acme.json does not match audit record 7 (changed outside escrow, or the log was truncated)"
        )
        try DurableFile.write(Array(lines.map { $0 + [UInt8(ascii: "\n")] }.joined()), to: fixture.auditPath)
        #expect(try fixture.store.verifyAudit().recordCount == 8)
        // A vault file nobody recorded.
        try DurableFile.write(
            try FileSystem.read(fixture.vaultPath),
            to: fixture.store.layout.path("vaults/ghost.json")
        )
        let ghost = expectEscrowError(.auditBroken) { _ = try fixture.store.verifyAudit() }
        #expect(ghost?.message == "vaults/ghost.json is not in the audit log (added outside escrow)")
    }
}

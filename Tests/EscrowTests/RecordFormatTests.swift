import Foundation
import Sodium
import Testing

@testable import Escrow

/// The audit record and store descriptor formats: round trip, canonical spelling, versions, tampering.
@Suite struct RecordFormatTests {
    init() throws { try Sodium.initialize() }

    func record() throws -> (AuditRecord, CustodianIdentity) {
        let alice = try identity("alice")
        var record = AuditRecord(
            seq: 3,
            time: UTCTime(secondsSinceEpoch: 1_700_000_000),
            action: .entryPut,
            vault: AuditRecord.AuditVaultReference(id: HexBytes([UInt8](repeating: 0xAB, count: 16)), name: "acme"),
            actor: alice.publicIdentity,
            reason: "rotation \"Q3\"",
            details: ["entry": "root", "kind": "password", "version": "2"],
            files: [AuditRecord.FileHash(path: "vaults/acme.json", hash: HexBytes([UInt8](repeating: 1, count: 32)))],
            prev: [UInt8](repeating: 2, count: 32)
        )
        try record.sign(by: alice)
        return (record, alice)
    }

    @Test func auditRecordRoundTrip() throws {
        let (record, alice) = try record()
        let line = try record.line()
        let text = String(decoding: line, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"action":"entry.put","actor":""# + alice.publicIdentity.fingerprint.description
                    + #"","actor_name":"alice","details":{"entry":"root""#
            )
        )
        #expect(text.contains(#""reason":"rotation \"Q3\"""#))
        #expect(!text.contains("\n"))
        let parsed = try AuditRecord.parse(line, lineNumber: 1)
        #expect(parsed == record)
        #expect(parsed.isSigned(by: alice.publicIdentity))
        #expect(!parsed.isSigned(by: try identity("bob").publicIdentity))
        // Without a vault or a reason those members are absent, not null.
        var bare = AuditRecord(
            seq: 1,
            time: UTCTime(secondsSinceEpoch: 0),
            action: .storeInit,
            vault: nil,
            actor: alice.publicIdentity,
            reason: nil,
            details: [:],
            files: [],
            prev: AuditChain.genesis
        )
        try bare.sign(by: alice)
        let bareText = String(decoding: try bare.line(), as: UTF8.self)
        #expect(!bareText.contains("\"vault\"") && !bareText.contains("\"reason\"") && !bareText.contains("null"))
    }

    @Test func auditRecordTampering() throws {
        let (record, alice) = try record()
        let line = String(decoding: try record.line(), as: UTF8.self)
        for (from, to) in [
            ("\"seq\":3", "\"seq\":4"), ("\"kind\":\"password\"", "\"kind\":\"note\""), ("rotation", "rotatio"),
            ("\"name\":\"acme\"", "\"name\":\"acmf\""),
        ] {
            let edited = try AuditRecord.parse(Array(line.replacingFirst(from, with: to).utf8), lineNumber: 1)
            #expect(!edited.isSigned(by: alice.publicIdentity), "\(from)")
        }
        expectEscrowError(.unsupportedVersion) {
            _ = try AuditRecord.parse(
                Array(line.replacingFirst("\"version\":1", with: "\"version\":2").utf8),
                lineNumber: 5
            )
        }
        expectEscrowError(.malformedFile) {
            _ = try AuditRecord.parse(Array(line.replacingFirst("{", with: "{\"extra\":1,").utf8), lineNumber: 5)
        }
        let spaced = expectEscrowError(.malformedFile) {
            _ = try AuditRecord.parse(Array(line.replacingFirst(",", with: ", ").utf8), lineNumber: 5)
        }
        #expect(spaced?.message == "audit.log line 5: not in canonical form (edited by hand?)")
        let missing = expectEscrowError(.malformedFile) {
            _ = try AuditRecord.parse(Array(line.replacingFirst("\"seq\":3,", with: "").utf8), lineNumber: 5)
        }
        #expect(missing?.message == "audit.log line 5: field 'seq' is missing")
        var stranger = record
        expectEscrowError(.notAuthorized) { try stranger.sign(by: try identity("bob")) }
    }

    @Test func storeDescriptor() throws {
        let descriptor = StoreDescriptor(id: [UInt8](repeating: 9, count: 16), createdAt: UTCTime(secondsSinceEpoch: 1))
        let bytes = try descriptor.encoded()
        #expect(
            String(decoding: bytes, as: UTF8.self) == """
                {
                  "created_at": "1970-01-01T00:00:01Z",
                  "format": "escrow-store",
                  "id": "09090909090909090909090909090909",
                  "version": 1
                }

                """
        )
        #expect(try StoreDescriptor.decode(bytes, source: "s") == descriptor)
        let text = String(decoding: bytes, as: UTF8.self)
        expectEscrowError(.unsupportedVersion) {
            _ = try StoreDescriptor.decode(
                Array(text.replacingFirst("\"version\": 1", with: "\"version\": 3").utf8),
                source: "s"
            )
        }
        expectEscrowError(.malformedFile) {
            _ = try StoreDescriptor.decode(Array(text.replacingFirst("0909\"", with: "09\"").utf8), source: "s")
        }
        expectEscrowError(.malformedFile) {
            _ = try StoreDescriptor.decode(Array(text.replacingFirst("{", with: "{\"x\": 1,").utf8), source: "s")
        }
    }

    @Test func reasonsAreValidated() throws {
        let fixture = try Fixture(withVault: false)
        let before = try snapshot(fixture.root)
        let zed = try identity("zed")
        expectEscrowError(.invalidInput) {
            try fixture.store.addCustodian(zed.publicIdentity, by: fixture.alice, reason: "bad\u{1B}[2J")
        }
        expectEscrowError(.invalidInput) {
            try fixture.store.addCustodian(zed.publicIdentity, by: fixture.alice, reason: "")
        }
        expectEscrowError(.invalidInput) {
            try fixture.store.addCustodian(
                zed.publicIdentity,
                by: fixture.alice,
                reason: String(repeating: "x", count: 1001)
            )
        }
        #expect(try snapshot(fixture.root) == before)
        #expect(NameRules.terminalSafe("a\u{1B}[2Jb\u{9B}c") == "a?[2Jb?c")
    }
}

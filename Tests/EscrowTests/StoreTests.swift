import Foundation
import Sodium
import Testing

@testable import Escrow

@Suite struct StoreTests {
    init() throws { try Sodium.initialize() }

    @Test func createLaysOutTheStore() throws {
        let directory = try TemporaryDirectory()
        let alice = try identity("alice")
        let (store, record) = try Store.create(
            at: directory.file("a/b/store"),
            founder: alice,
            reason: "new team",
            clock: steppingClock()
        )
        let files = try snapshot(store.layout.root)
        #expect(Set(files.keys) == [".lock", "store.json", "roster.json", "audit.log"])
        #expect(FileSystem.isDirectory(store.layout.path("vaults")))
        #expect(record.seq == 1)
        #expect(record.action == .storeInit)
        #expect(record.reason == "new team")
        #expect(record.prev.bytes == AuditChain.genesis)
        #expect(try store.roster().members.map(\.identity) == [alice.publicIdentity])
        let report = try store.verifyAudit()
        #expect(report.recordCount == 1)
        #expect(report.headHash == AuditChain.hash(ofLine: try record.line()))
        // Nothing is left of the staging directory.
        #expect(try FileSystem.list(directory.file("a/b")) == ["store"])
        // A second init refuses a non-empty directory; an empty one is fine.
        expectEscrowError(.alreadyExists) { _ = try Store.create(at: store.layout.root, founder: alice) }
        try FileSystem.makeDirectory(directory.file("empty"))
        #expect(throws: Never.self) { _ = try Store.create(at: directory.file("empty"), founder: alice) }
    }

    /// Recovery looks only at hidden names (pending files are `.NAME.pending`); `list` sees everything.
    @Test func directoryListingsAllAndHidden() throws {
        let directory = try TemporaryDirectory()
        for name in ["b.json", ".a.json.pending", "a.json", ".lock", "..x", "é.json"] {
            try writeFile(directory.file(name), "x")
        }
        #expect(
            try FileSystem.list(directory.path) == ["..x", ".a.json.pending", ".lock", "a.json", "b.json", "é.json"]
        )
        #expect(try FileSystem.hiddenNames(in: directory.path) == ["..x", ".a.json.pending", ".lock"])
        expectEscrowError(.notFound) { _ = try FileSystem.hiddenNames(in: directory.file("missing")) }
    }

    @Test func openRefusesNonStores() throws {
        let directory = try TemporaryDirectory()
        expectEscrowError(.notFound) { _ = try Store.open(at: directory.path) }
        expectEscrowError(.notFound) { _ = try Store.open(at: directory.file("missing")) }
        try writeFile(directory.file("store.json"), #"{"format":"escrow-store","version":2}"#)
        expectEscrowError(.unsupportedVersion) { _ = try Store.open(at: directory.path) }
    }

    @Test func rosterChangesAreAudited() throws {
        let fixture = try Fixture(withVault: false)
        let roster = try fixture.store.roster()
        #expect(roster.members.map(\.identity.name) == Fixture.names)
        let records = try fixture.store.auditRecords()
        #expect(records.map(\.action) == [.storeInit] + Array(repeating: .custodianAdd, count: 4))
        #expect(records.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(records[1].details["name"] == "bob")
        #expect(try fixture.store.verifyAudit().recordCount == 5)
    }

    @Test func outsidersCannotAct() throws {
        let fixture = try Fixture()
        let mallory = try identity("mallory")
        let before = try snapshot(fixture.root)
        expectEscrowError(.notAuthorized) { try fixture.store.addCustodian(mallory.publicIdentity, by: mallory) }
        let prepared = try EntryInput.prepare(secure("pw-pw-pw-pw"), kind: .password, entryName: "root")
        expectEscrowError(.notAuthorized) {
            _ = try fixture.store.deposit(into: "acme", entry: "root", kind: .password, prepared: prepared, by: mallory)
        }
        var rng = try deterministicRandom()
        expectEscrowError(.notAuthorized) {
            _ = try fixture.store.createVault(
                name: "v2",
                threshold: 2,
                custodianNames: ["alice", "bob"],
                metadata: [:],
                by: mallory,
                using: &rng
            )
        }
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func createVaultRefusals() throws {
        let fixture = try Fixture()
        let before = try snapshot(fixture.root)
        var rng = try deterministicRandom()
        let unknown = expectEscrowError(.notFound) {
            _ = try fixture.store.createVault(
                name: "v2",
                threshold: 2,
                custodianNames: ["alice", "zoe"],
                metadata: [:],
                by: fixture.alice,
                using: &rng
            )
        }
        #expect(unknown?.message.contains("'zoe' is not in the roster") == true)
        expectEscrowError(.alreadyExists) {
            _ = try fixture.store.createVault(
                name: "acme",
                threshold: 2,
                custodianNames: ["alice", "bob"],
                metadata: [:],
                by: fixture.alice,
                using: &rng
            )
        }
        expectEscrowError(.invalidInput) {
            _ = try fixture.store.createVault(
                name: "v2",
                threshold: 3,
                custodianNames: ["alice", "bob"],
                metadata: [:],
                by: fixture.alice,
                using: &rng
            )
        }
        expectEscrowError(.invalidInput) {
            _ = try fixture.store.createVault(
                name: "v2",
                threshold: 2,
                custodianNames: ["alice", "alice"],
                metadata: [:],
                by: fixture.alice,
                using: &rng
            )
        }
        expectEscrowError(.invalidInput) {
            _ = try fixture.store.createVault(
                name: "V2",
                threshold: 2,
                custodianNames: ["alice", "bob"],
                metadata: [:],
                by: fixture.alice,
                using: &rng
            )
        }
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func depositsKeepHistory() throws {
        let fixture = try Fixture()
        for text in ["first-root-password", "second-root-password"] {
            let prepared = try EntryInput.prepare(secure(text), kind: .password, entryName: "root")
            _ = try fixture.store.deposit(
                into: "acme",
                entry: "root",
                kind: .password,
                prepared: prepared,
                by: fixture.custodians[3],
                reason: "rotation"
            )
        }
        let vault = try fixture.store.vault(named: "acme")
        #expect(vault.entries["root"]?.versions.map(\.state) == [.superseded, .current])
        #expect(vault.lastWriter.name == "dave")
        let last = try #require(try fixture.store.auditRecords().last)
        #expect(last.action == .entryPut)
        #expect(last.details == ["entry": "root", "kind": "password", "version": "2"])
        #expect(last.reason == "rotation")
        #expect(last.vault?.name == "acme")
        #expect(try fixture.store.verifyAudit().recordCount == 8)
    }

    @Test func removeCustodianRefusedWhileHoldingShares() throws {
        let fixture = try Fixture()
        let before = try snapshot(fixture.root)
        let error = expectEscrowError(.conflict) { try fixture.store.removeCustodian(named: "bob", by: fixture.alice) }
        #expect(error?.message == "custodian 'bob' still holds shares of vault acme: re-split it first")
        #expect(try snapshot(fixture.root) == before)
        // A roster member without shares can go, and their old signatures still verify.
        let bot = try identity("ci-bot")
        try fixture.store.addCustodian(bot.publicIdentity, by: fixture.alice)
        let prepared = try EntryInput.prepare(secure("rotated-by-bot-123"), kind: .password, entryName: "root")
        _ = try fixture.store.deposit(into: "acme", entry: "root", kind: .password, prepared: prepared, by: bot)
        try fixture.store.removeCustodian(named: "ci-bot", by: fixture.alice, reason: "decommissioned")
        #expect(try fixture.store.roster().former.map(\.identity.name) == ["ci-bot"])
        #expect(try fixture.store.vault(named: "acme").lastWriter.name == "ci-bot")
        #expect(try fixture.store.verifyAudit().recordCount == 9)
        // …but a removed member can no longer act.
        expectEscrowError(.notAuthorized) {
            _ = try fixture.store.deposit(into: "acme", entry: "root", kind: .password, prepared: prepared, by: bot)
        }
    }

    @Test func handEditedVaultIsRefusedAndNothingChanges() throws {
        let fixture = try Fixture()
        var text = try readText(fixture.vaultPath)
        text = text.replacingFirst("\"threshold\": 3", with: "\"threshold\": 2")
        try writeFile(fixture.vaultPath, text)
        let before = try snapshot(fixture.root)
        let error = expectEscrowError(.tampered) { _ = try fixture.store.vault(named: "acme") }
        #expect(error?.message.contains("vaults/acme.json: the signature of 'alice'") == true)
        let prepared = try EntryInput.prepare(secure("a-password-value"), kind: .password, entryName: "root")
        expectEscrowError(.tampered) {
            _ = try fixture.store.deposit(
                into: "acme",
                entry: "root",
                kind: .password,
                prepared: prepared,
                by: fixture.alice
            )
        }
        expectEscrowError(.tampered) { try fixture.store.removeCustodian(named: "bob", by: fixture.alice) }
        #expect(try snapshot(fixture.root) == before)
        expectEscrowError(.auditBroken) { _ = try fixture.store.verifyAudit() }
    }

    @Test func vaultSignedByAStrangerIsRefused() throws {
        let fixture = try Fixture()
        var vault = try fixture.store.vault(named: "acme")
        try vault.sign(by: try identity("mallory"), at: UTCTime(secondsSinceEpoch: 1_800_000_000))
        try DurableFile.write(try vault.encoded(), to: fixture.vaultPath)
        let before = try snapshot(fixture.root)
        let error = expectEscrowError(.notAuthorized) { _ = try fixture.store.vault(named: "acme") }
        #expect(error?.message.contains("last writer 'mallory'") == true)
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func vaultNamingACustodianOutsideTheRosterIsRefused() throws {
        let fixture = try Fixture()
        // Remove bob from roster.json by hand (bypassing the share check).
        var roster = try fixture.store.roster()
        try roster.remove(named: "bob", at: UTCTime(secondsSinceEpoch: 1), by: fixture.alice.publicIdentity.fingerprint)
        try DurableFile.write(try roster.encoded(), to: fixture.store.layout.path("roster.json"))
        let before = try snapshot(fixture.root)
        let error = expectEscrowError(.notFound) { _ = try fixture.store.vault(named: "acme") }
        #expect(error?.message.contains("custodian 'bob'") == true)
        #expect(try snapshot(fixture.root) == before)
        expectEscrowError(.auditBroken) { _ = try fixture.store.verifyAudit() }
    }

    @Test func truncatedAndUnknownVersionFilesAreRefused() throws {
        let fixture = try Fixture()
        let rosterPath = fixture.store.layout.path("roster.json")
        let rosterBytes = try FileSystem.read(rosterPath)
        try DurableFile.write(Array(rosterBytes.prefix(40)), to: rosterPath)
        let before = try snapshot(fixture.root)
        expectEscrowError(.malformedFile) { _ = try fixture.store.roster() }
        expectEscrowError(.malformedFile) {
            try fixture.store.addCustodian(try identity("zed").publicIdentity, by: fixture.alice)
        }
        #expect(try snapshot(fixture.root) == before)
        try DurableFile.write(rosterBytes, to: rosterPath)
        let text = try readText(fixture.vaultPath).replacingFirst("\"version\": 1\n}", with: "\"version\": 2\n}")
        try writeFile(fixture.vaultPath, text)
        expectEscrowError(.unsupportedVersion) { _ = try fixture.store.vault(named: "acme") }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

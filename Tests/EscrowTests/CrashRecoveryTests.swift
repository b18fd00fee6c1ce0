import Sodium
import Testing

@testable import Escrow

@Suite struct CrashRecoveryTests {
    init() throws { try Sodium.initialize() }

    func deposit(_ store: Store, _ by: CustodianIdentity) throws {
        let prepared = try EntryInput.prepare(secure("fresh-root-password-1"), kind: .password, entryName: "root")
        _ = try store.deposit(into: "acme", entry: "root", kind: .password, prepared: prepared, by: by)
    }

    func pendingFiles(_ root: String) throws -> [String] {
        try snapshot(root).keys.filter { $0.hasSuffix(".pending") }.sorted()
    }

    @Test(arguments: [CommitStep.pendingWritten, .recordTorn])
    func crashBeforeTheCommitPointLeavesTheOldState(step: CommitStep) throws {
        let fixture = try Fixture()
        let before = try snapshot(fixture.root)
        fixture.store.crashPoint = step
        expectEscrowError(.simulatedCrash) { try deposit(fixture.store, fixture.alice) }
        #expect(try snapshot(fixture.root) != before)  // the crash left debris
        let reopened = try Store.open(at: fixture.root, clock: steppingClock())
        let vault = try reopened.vault(named: "acme")
        #expect(vault.entries["root"] == nil)
        #expect(reopened.recoveryNotes.isEmpty == false)
        #expect(try snapshot(fixture.root) == before)  // byte for byte the old store
        #expect(try reopened.verifyAudit().recordCount == 6)
    }

    @Test(arguments: [CommitStep.recordAppended, .renamed])
    func crashAfterTheCommitPointCompletesTheChange(step: CommitStep) throws {
        let fixture = try Fixture()
        fixture.store.crashPoint = step
        expectEscrowError(.simulatedCrash) { try deposit(fixture.store, fixture.alice) }
        let reopened = try Store.open(at: fixture.root, clock: steppingClock())
        let vault = try reopened.vault(named: "acme")
        #expect(vault.entries["root"]?.versions.count == 1)
        #expect(try pendingFiles(fixture.root).isEmpty)
        if step == .recordAppended {
            #expect(reopened.recoveryNotes == ["completed the change of vaults/acme.json committed by audit record 7"])
        } else {
            #expect(reopened.recoveryNotes.isEmpty)
        }
        #expect(try reopened.verifyAudit().recordCount == 7)
        // The store keeps working afterwards.
        try deposit(reopened, fixture.alice)
        #expect(try reopened.verifyAudit().recordCount == 8)
    }

    @Test(arguments: [CommitStep.pendingWritten, .recordTorn, .recordAppended, .renamed])
    func rosterChangesRecoverToo(step: CommitStep) throws {
        let fixture = try Fixture(withVault: false)
        fixture.store.crashPoint = step
        let zed = try identity("zed")
        expectEscrowError(.simulatedCrash) { try fixture.store.addCustodian(zed.publicIdentity, by: fixture.alice) }
        let reopened = try Store.open(at: fixture.root)
        let committed = step == .recordAppended || step == .renamed
        #expect((try reopened.roster().member(named: "zed") != nil) == committed)
        #expect(try pendingFiles(fixture.root).isEmpty)
        #expect(try reopened.verifyAudit().recordCount == (committed ? 6 : 5))
    }

    @Test func aFailureBeforeTheCommitPointCleansUp() throws {
        let fixture = try Fixture()
        let before = try snapshot(fixture.root)
        // Make the audit log unwritable: the append fails, the pending file must be removed.
        try DurableFile.write([], to: fixture.store.layout.path("audit.log.keep"))
        let audit = fixture.store.layout.path("audit.log")
        let saved = try FileSystem.read(audit)
        try FileSystem.remove(audit)
        try FileSystem.makeDirectory(audit)  // a directory cannot be opened for appending
        defer {
            try? FileSystem.removeTree(audit)
            try? DurableFile.write(saved, to: audit)
            try? FileSystem.remove(fixture.store.layout.path("audit.log.keep"))
        }
        expectEscrowError(.ioFailure) { try deposit(fixture.store, fixture.alice) }
        #expect(try pendingFiles(fixture.root).isEmpty)
        try FileSystem.removeTree(audit)
        try DurableFile.write(saved, to: audit)
        try FileSystem.remove(fixture.store.layout.path("audit.log.keep"))
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func incompleteLastLinesAreCut() throws {
        let fixture = try Fixture()
        let before = try snapshot(fixture.root)
        let audit = fixture.store.layout.path("audit.log")
        // A complete line that is not JSON (e.g. zeros after a crash).
        try DurableFile.write(try FileSystem.read(audit) + Array("\u{0}\u{0}\u{0}\n".utf8), to: audit)
        #expect(try fixture.store.vault(named: "acme").name == "acme")
        #expect(fixture.store.recoveryNotes == ["removed a torn audit record (an incomplete last line)"])
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func recoveryNeverDeletesARecordItDoesNotUnderstand() throws {
        let fixture = try Fixture()
        let audit = fixture.store.layout.path("audit.log")
        let future = Array(#"{"seq":7,"version":2}"#.utf8) + [UInt8(ascii: "\n")]
        try DurableFile.write(try FileSystem.read(audit) + future, to: audit)
        let before = try snapshot(fixture.root)
        expectEscrowError(.unsupportedVersion) { _ = try fixture.store.vault(named: "acme") }
        #expect(try snapshot(fixture.root) == before)
    }

    @Test func strayPendingFilesAreDiscarded() throws {
        let fixture = try Fixture()
        let before = try snapshot(fixture.root)
        try DurableFile.write(Array("junk".utf8), to: fixture.store.layout.path("vaults/.acme.json.pending"))
        try DurableFile.write(Array("junk".utf8), to: fixture.store.layout.path(".roster.json.pending"))
        _ = try fixture.store.vaultNames()
        #expect(
            fixture.store.recoveryNotes.sorted() == [
                "discarded an uncommitted change of roster.json", "discarded an uncommitted change of vaults/acme.json",
            ]
        )
        #expect(try snapshot(fixture.root) == before)
    }
}

import Escrow
import Foundation
import Testing

/// Files readable by others, and requests dated in the future.
@Suite struct PermissionsCLITests {
    static func chmod(_ fixture: StoreCLIFixture, _ name: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: fixture.cli.path(name))
    }

    static func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// An identity file readable by its group or others is refused, naming the file (like ssh).
    @Test(arguments: [0o640, 0o644, 0o604])
    func identityReadableByOthersIsRefused(mode: Int) throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice"])
        try Self.chmod(fixture, "alice.id", mode)
        let path = fixture.cli.path("alice.id")
        let initialize = ["init", "--name", "acme-msp", "--roster-quorum", "2"] + fixture.acting("alice")
        try fixture.refuse(initialize, "error: \(path) is readable by others (mode 0\(String(mode, radix: 8)))")
        #expect(!FileManager.default.fileExists(atPath: fixture.store + "/events"))
        try Self.chmod(fixture, "alice.id", 0o600)
        try fixture.succeed(initialize)
    }

    /// A passphrase file readable by others draws one warning naming it; the command still runs.
    @Test func passphraseFileReadableByOthersWarns() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice"])
        try Self.chmod(fixture, "alice.pass", 0o644)
        let path = fixture.cli.path("alice.pass")
        let result = try fixture.succeed(
            ["init", "--name", "acme-msp", "--roster-quorum", "2"] + fixture.acting("alice")
        )
        #expect(result.stderr.contains("warning: \(path) is readable by others: chmod 600 \(path)"), "\(result.stderr)")
        let quiet = try fixture.succeed([
            "custodian", "new", "bob", "--email", "bob@example.com", "--identity", fixture.cli.path("bob.id"),
            "--passphrase-file", fixture.cli.path("bob.pass"), "--kdf", "minimal",
        ])
        #expect(!quiet.stderr.contains("readable by others"), "\(quiet.stderr)")
        #expect(try Self.mode(fixture.cli.path("bob.id")) == 0o600)
    }

    /// Trust records and request keys are 0600 in 0700 directories.
    @Test func stateFilesArePrivate() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        try fixture.succeed(
            ["unlock", "request", "acme", "--entry", "root-password", "--reason", "audit"] + support.acting("alice")
        )
        let state = fixture.cli.path("state")
        for directory in [state + "/trust", state + "/requests"] {
            #expect(try Self.mode(directory) == 0o700, "\(directory)")
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                #expect(try Self.mode(directory + "/" + name) == 0o600, "\(directory)/\(name)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: state + "/requests").count == 1)
    }

    /// A request dated more than 5 minutes after the approver's clock is refused, naming it; one 4 minutes ahead
    /// is approved (clock skew).
    @Test func approvalRefusesRequestsFromTheFuture() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let now = support.now().secondsSinceEpoch
        let future = try support.request(
            .close,
            madeAt: UTCTime(secondsSinceEpoch: now + 365 * 86_400),
            expiresAt: UTCTime(secondsSinceEpoch: now + 366 * 86_400)
        )
        let short = String(future.id.description.prefix(12))
        let before = try support.eventCount()
        try support.fixture.refuse(
            ["unlock", "approve", short, "--yes", "--offline"] + support.acting("bob"),
            "request \(short) is dated "
        )
        #expect(try support.eventCount() == before)
        let skewed = try support.request(.open, madeAt: UTCTime(secondsSinceEpoch: now + 240))
        try support.fixture.succeed(
            ["unlock", "approve", String(skewed.id.description.prefix(12)), "--yes", "--offline"]
                + support.acting("bob")
        )
    }

    /// Regression: a command killed between `git add` and `git commit` (or before `git add`) left an event the fold
    /// accepts but git lacks; the next command refused ("other changes are staged") or never committed it. The next
    /// append now commits such events with its own (never `.tmp-` files).
    @Test(arguments: [true, false])
    func interruptedCommitIsCompletedByTheNextCommand(staged: Bool) throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster(git: true)
        let ledger = try Ledger.open(at: fixture.store)
        let orphan = try ledger.createVault(
            named: "orphan",
            metadata: [:],
            threshold: 2,
            custodians: ["alice", "bob"],
            by: try fixture.unlockedIdentity("alice"),
            at: EscrowClock.system.now
        )
        let path = try #require(try ledger.append([orphan]).first)
        if staged { _ = try fixture.git(["add", "--", path]) }
        let directory = String(orphan.id.description.prefix(2))
        try fixture.write("partial", to: "store/events/\(directory)/.\(orphan.id).json.tmp-0123456789ab")
        try fixture.succeed(
            ["vault", "init", "acme", "-t", "2", "--custodians", "alice,bob"] + fixture.acting("alice")
        )
        let tracked = try fixture.git(["ls-files"])
        #expect(tracked.contains(path))
        #expect(!tracked.contains(".tmp-"))
        let status = try fixture.git(["status", "--porcelain", "--untracked-files=all"])
        #expect(status.split(separator: "\n").allSatisfy { $0.contains(".tmp-") }, "\(status)")
    }
}

import Escrow
import Foundation
import Sodium
import Testing

@Suite("unlock request/approve/status/open through the binary")
struct UnlockFlowCLITests {
    @Test func requestApproveStatusOpen() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let made = try fixture.succeed(
            ["unlock", "request", "acme", "--entry", "root-password", "--reason", "billing dispute", "--json"]
                + support.acting("alice")
        )
        let id = try requestID(made)
        let short = String(id.prefix(12))
        let key = fixture.cli.path("state/requests/\(id).key")
        #expect(FileManager.default.fileExists(atPath: key))
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!(try Data(contentsOf: URL(fileURLWithPath: key))).isEmpty)

        let before = try fixture.run(["unlock", "status", short, "--store", fixture.store])
        #expect(before.status == 2)
        #expect(before.stdoutText.contains("waiting: 0 approvals of 3 needed (3 more)"), "\(before.stdoutText)")

        try support.approve(short, by: ["bob"])
        let one = try fixture.run(["unlock", "status", short, "--store", fixture.store])
        #expect(one.status == 2)
        #expect(one.stdoutText.contains("waiting: 1 approval of 3 needed (2 more)"), "\(one.stdoutText)")

        // Not ready: open is refused with exit 2 before any passphrase.
        try fixture.refuse(
            ["unlock", "open", short, "--identity", fixture.cli.path("alice.id"), "--store", fixture.store],
            "is not approved yet",
            status: 2
        )

        try support.approve(short, by: ["carol", "dave"])
        let after = try fixture.run(["unlock", "status", short, "--store", fixture.store])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdoutText.contains("approved (3 of 3 needed)"), "\(after.stdoutText)")
        #expect(after.stdoutText.contains("ready: the requester runs 'escrow unlock open \(short)'"))

        let opened = try fixture.succeed(["unlock", "open", short] + support.acting("alice"))
        #expect(opened.stdoutText.contains(UnlockCLISupport.password))
        #expect(opened.stdoutText.contains("root-password (password, deposited by alice at "))
        #expect(!opened.stdoutText.contains("root-mfa"))
        #expect(!opened.stdoutText.contains(UnlockCLISupport.seed))
        #expect(!FileManager.default.fileExists(atPath: key))
        let request = try #require(try support.reload().state.requests[try EventID(hex: id)])
        #expect(request.execution != nil)

        try fixture.refuse(["unlock", "open", short] + support.acting("alice"), "request \(short) was already opened")
        let executed = try fixture.run(["unlock", "status", short, "--store", fixture.store])
        #expect(executed.status == 0)
        #expect(executed.stdoutText.contains("executed (event "))
    }

    @Test func openNamesAnApproverWhoseShareFails() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let id = try support.request(reason: "audit")
        let request = try EventID(hex: id)
        let forged = try support.forgedApproval(of: request, by: "bob")
        try support.ledger.append([forged])
        try support.approve(request.short, by: ["carol", "dave"])
        // Three approvals, one with a bad share: refused naming bob's approval; nothing is written.
        let events = try support.eventCount()
        try fixture.refuse(
            ["unlock", "open", request.short] + support.acting("alice"),
            "bob's approval of root-password (acme)"
        )
        try fixture.refuse(
            ["unlock", "open", request.short] + support.acting("alice"),
            "that approval is left out; ask another custodian to approve ('escrow unlock approve \(request.short)')"
        )
        #expect(try support.eventCount() == events)
        try support.approve(request.short, by: ["erin"])
        let opened = try fixture.succeed(["unlock", "open", request.short] + support.acting("alice"))
        #expect(opened.stdoutText.contains(UnlockCLISupport.password))
        // The rebuild stops at the threshold, so bob's approval is named only when it was tried.
        let warnings = opened.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
        #expect(warnings.allSatisfy { $0.contains("bob's approval") }, "\(opened.stderr)")
    }

    @Test func nonHolderIsRefusedBeforeThePassphrase() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let id = try support.request(nil, reason: "audit")
        let events = try support.eventCount()
        // No passphrase file and no terminal: any passphrase prompt would fail differently.
        try fixture.refuse(
            [
                "unlock", "approve", String(id.prefix(8)), "--yes", "--identity", fixture.cli.path("frank.id"),
                "--store", fixture.store,
            ],
            "frank holds no share of what request \(id.prefix(12)) asks for"
        )
        try fixture.refuse(
            ["unlock", "approve", "0000", "--yes"] + support.acting("bob"),
            "no request 0000 in your copy of the store: run 'escrow sync' — your copy may be behind"
        )
        #expect(try support.eventCount() == events)

        // Pending: bob sees it, frank does not.
        let bob = try fixture.succeed(["unlock", "pending"] + support.acting("bob"))
        #expect(bob.stdoutText.contains(String(id.prefix(12))))
        let frank = try fixture.succeed(["unlock", "pending"] + support.acting("frank"))
        #expect(frank.stdoutText.contains("Nothing waits for frank"))

        // Approving twice is refused before the passphrase.
        try support.approve(String(id.prefix(12)), by: ["bob"])
        try fixture.refuse(
            [
                "unlock", "approve", String(id.prefix(12)), "--yes", "--identity", fixture.cli.path("bob.id"),
                "--store", fixture.store,
            ],
            "bob already approved request \(id.prefix(12))"
        )
    }

    @Test func expiredRequestIsRefused() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let now = Int64(Date().timeIntervalSince1970)
        let request = try support.request(
            .open,
            madeAt: UTCTime(secondsSinceEpoch: now - 7200),
            expiresAt: UTCTime(secondsSinceEpoch: now - 3600)
        )
        let short = request.id.short
        let status = try fixture.run(["unlock", "status", short, "--store", fixture.store])
        #expect(status.status == 2)
        #expect(status.stdoutText.contains("expired at "), "\(status.stdoutText)")
        let events = try support.eventCount()
        try fixture.refuse(
            ["unlock", "approve", short, "--yes", "--identity", fixture.cli.path("bob.id"), "--store", fixture.store],
            "request \(short) expired at "
        )
        #expect(try support.eventCount() == events)
    }

    @Test func approveOnATerminal() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let id = try support.request(reason: "billing dispute")
        let short = String(id.prefix(12))
        let events = try support.eventCount()
        let arguments = [
            "unlock", "approve", short, "--identity", fixture.cli.path("bob.id"), "--store", fixture.store,
        ]
        let declined = try fixture.cli.runOnTerminal(
            arguments,
            answering: [("Type yes to approve: ", "no\n")],
            environment: fixture.environment
        )
        #expect(declined.contains("alice will learn root-password of acme (version "), "\(declined)")
        #expect(declined.contains("and nothing else."))
        #expect(declined.contains("reason:    billing dispute"))
        #expect(declined.contains("heads:     "))
        #expect(declined.contains("recipient: alice (request key), key "))
        #expect(declined.contains("error: not approved: nothing was written"), "\(declined)")
        #expect(try support.eventCount() == events)

        let passphrase = "correct horse battery staple bob"
        let approved = try fixture.cli.runOnTerminal(
            arguments,
            answering: [("Type yes to approve: ", "yes\n"), ("Passphrase for bob", passphrase + "\n")],
            environment: fixture.environment
        )
        #expect(approved.contains("Approved request \(short) as bob"), "\(approved)")
        #expect(!approved.contains(passphrase))
        #expect(try support.eventCount() == events + 1)
    }

    @Test func approvingAGitStoreNeedsARecentSync() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = [
            "sh", "-c",
            "git init -q && git add -A && git commit -qm setup && git init -q --bare ../remote.git "
                + "&& git remote add origin ../remote.git && git push -q -u origin HEAD",
        ]
        git.currentDirectoryURL = URL(fileURLWithPath: fixture.store)
        git.environment = fixture.environment
        try git.run()
        git.waitUntilExit()
        #expect(git.terminationStatus == 0)
        let id = try support.request(nil, reason: "audit")
        let short = String(id.prefix(12))
        let events = try support.eventCount()
        try fixture.refuse(
            ["unlock", "approve", short, "--yes", "--identity", fixture.cli.path("bob.id"), "--store", fixture.store],
            "your copy of the store was last synced never on this machine: run 'escrow sync' first"
        )
        #expect(try support.eventCount() == events)
        let offline = try fixture.succeed(["unlock", "approve", short, "--yes", "--offline"] + support.acting("bob"))
        #expect(offline.stderr.contains("warning: --offline: not checking that this copy was synced recently"))
        #expect(try support.eventCount() == events + 1)
        // After a successful sync, approving needs no --offline.
        try fixture.succeed(["sync", "--store", fixture.store])
        try fixture.succeed(["unlock", "approve", short, "--yes"] + support.acting("carol"))
        #expect(try support.eventCount() == events + 2)
    }

    @Test func requestOnWithheldParentIsRefused() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        // The requester's store, and the approver's copy made from it before the withheld event.
        let support = try UnlockCLISupport(fixture: fixture)
        let copy = fixture.cli.path("copy")
        try FileManager.default.copyItem(atPath: fixture.store, toPath: copy)
        try support.pin(copy)
        let withheld = try support.deposit("another-password", entry: "billing-password", kind: .password)
        let request = try support.request(.open)
        #expect(request.parents.contains(withheld.id))
        let file = UnlockCLISupport.file(of: request)
        let target = URL(fileURLWithPath: copy).appendingPathComponent(file)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try FileManager.default.copyItem(atPath: fixture.store + "/" + file, toPath: target.path)
        try fixture.refuse(
            [
                "unlock", "approve", request.id.short, "--yes", "--identity", fixture.cli.path("bob.id"), "--store",
                copy,
            ],
            "names parent \(withheld.id.short), which is not in the store"
        )
        try fixture.refuse(
            [
                "unlock", "approve", request.id.short, "--yes", "--identity", fixture.cli.path("bob.id"), "--store",
                copy,
            ],
            "run 'escrow sync' — your copy may be behind"
        )
    }
}

@Suite("unlock ceremony through the binary")
struct UnlockCeremonyCLITests {
    @Test func openInTheRoom() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let names = ["alice", "bob", "carol"]
        let arguments =
            [
                "unlock", "ceremony", "acme", "--entry", "root-password", "--reason", "in the room", "--yes", "--store",
                fixture.store,
            ]
            + names.flatMap { ["--identity", fixture.cli.path("\($0).id")] }
            + names.flatMap { ["--passphrase-file", fixture.cli.path("\($0).pass")] }
        let events = try support.eventCount()
        // Too few custodians present: refused before any passphrase, nothing written.
        try fixture.refuse(
            Array(arguments.prefix(10)) + ["--identity", fixture.cli.path("bob.id")],
            "the custodians present hold 1 share of root-password, which needs 3",
            status: 2
        )
        let done = try fixture.succeed(arguments + ["--json"])
        let document = try JSONSerialization.jsonObject(with: Data(done.stdout)) as? [String: Any]
        let entries = try #require(document?["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["entry"] as? String == "root-password")
        #expect(entries.first?["value"] as? String == UnlockCLISupport.password)
        #expect(!done.stdoutText.contains(UnlockCLISupport.seed))
        #expect(done.stderr.contains("combines the shares here"))
        // Request, three approvals, the execution, and the attempt event of bob's refusal above (recorded in his
        // journal, published with his approval).
        #expect(try support.eventCount() == events + 6)
        #expect(done.stderr.contains("published 1 earlier refused attempt(s)"), "\(done.stderr)")
        let requests = try support.reload().state.requests.values
        #expect(requests.count == 1)
        #expect(requests.first?.execution != nil)
        #expect(requests.first?.approvals.count == 3)
    }
}

extension UnlockCeremonyCLITests {
    @Test func closeInTheRoom() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let close = try support.request(.close)
        let names = ["bob", "carol", "dave"]
        let done = try fixture.succeed(
            ["unlock", "ceremony", close.id.short, "--yes", "--store", fixture.store]
                + names.flatMap { ["--identity", fixture.cli.path("\($0).id")] }
                + names.flatMap { ["--passphrase-file", fixture.cli.path("\($0).pass")] }
        )
        #expect(done.stdoutText.contains("Executed close request \(close.id.short)"), "\(done.stderr)")
        #expect(done.stdoutText.contains("vault acme is now closed"))
        let state = try support.reload().state
        #expect(state.vault(named: "acme")?.status == .closed)
        #expect(state.requests[close.id]?.approvals.count == 3)
    }

    @Test func openInTheRoomOnATerminal() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let names = ["alice", "bob", "carol"]
        let arguments =
            [
                "unlock", "ceremony", "acme", "--entry", "root-password", "--reason", "in the room", "--store",
                fixture.store,
            ]
            + names.flatMap { ["--identity", fixture.cli.path("\($0).id")] }
        func passphrase(_ name: String) -> String { "correct horse battery staple \(name)" }
        let screen = try fixture.cli.runOnTerminal(
            arguments,
            answering: [
                ("Passphrase for alice", passphrase("alice") + "\n"),
                ("alice, approve request", "yes\n"),
                ("bob, approve request", "yes\n"),
                ("Passphrase for bob", passphrase("bob") + "\n"),
                ("carol, approve request", "yes\n"),
                ("Passphrase for carol", passphrase("carol") + "\n"),
            ],
            environment: fixture.environment
        )
        #expect(screen.contains("--- bob ("), "\(screen)")
        #expect(screen.contains("alice will learn root-password of acme"))
        #expect(screen.contains(UnlockCLISupport.password))
        for name in names { #expect(!screen.contains(passphrase(name))) }
        #expect(try support.reload().state.requests.values.first?.execution != nil)
    }
}

@Suite("unlock execute through the binary")
struct UnlockExecuteCLITests {
    @Test func closeAndReopen() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let close = try support.request(.close)
        let short = close.id.short
        try fixture.refuse(["unlock", "execute", short] + support.acting("alice"), "is not ready", status: 2)
        try support.approve(short, by: ["alice", "bob", "carol"])
        let done = try fixture.succeed(["unlock", "execute", short] + support.acting("alice"))
        #expect(done.stdoutText.contains("Executed close request \(short)"))
        #expect(done.stdoutText.contains("vault acme is now closed"))
        #expect(try support.reload().state.vault(named: "acme")?.status == .closed)
        try fixture.refuse(
            ["unlock", "request", "acme", "--reason", "look"] + support.acting("alice"),
            "vault 'acme' is closed: pass --force"
        )
        try fixture.refuse(["unlock", "execute", short] + support.acting("alice"), "was already executed")

        let reopen = try support.request(.reopen)
        try support.approve(reopen.id.short, by: ["bob", "carol", "dave"])
        let reopened = try fixture.succeed(["unlock", "execute", reopen.id.short] + support.acting("bob"))
        #expect(reopened.stdoutText.contains("vault acme is now reopened"))
        #expect(try support.reload().state.vault(named: "acme")?.status == .active)
    }

    @Test func resplitWaitsForApprovalsAndAcknowledgements() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let resplit = try support.request(.resplit)
        let short = resplit.id.short
        let pending = try fixture.succeed(["unlock", "pending"] + support.acting("frank"))
        #expect(pending.stdoutText.contains("Re-splits waiting for frank's custody acknowledgement (1):"))
        #expect(
            pending.stdoutText.contains(
                "acme: 3 of alice, bob, carol, dave, erin -> 3 of alice, bob, carol, dave, frank"
            )
        )
        try support.approve(short, by: ["alice", "bob", "carol"])
        let waiting = try fixture.run(["unlock", "status", short, "--store", fixture.store])
        #expect(waiting.status == 2)
        #expect(
            waiting.stdoutText.contains("vault acme: approved (3 of 3 needed); custody not yet acknowledged by frank"),
            "\(waiting.stdoutText)"
        )
        try fixture.refuse(
            ["unlock", "execute", short] + support.acting("alice"),
            "custody not yet acknowledged",
            status: 2
        )
        try support.reload()
        try support.ledger.append([
            try support.ledger.acknowledgeCustody(of: resplit.id, by: support.person("frank"), at: support.now())
        ])
        let ready = try fixture.run(["unlock", "status", short, "--store", fixture.store])
        #expect(ready.status == 0, "\(ready.stdoutText)")
        let done = try fixture.succeed(["unlock", "execute", short] + support.acting("alice"))
        #expect(
            done.stdoutText.contains("acme: 3 of alice, bob, carol, dave, erin -> 3 of alice, bob, carol, dave, frank")
        )
        let policy = try #require(try support.reload().state.vault(named: "acme")?.policy)
        #expect(policy.custodians.map(\.name).sorted() == ["alice", "bob", "carol", "dave", "frank"])
    }

    @Test func releaseWritesABundleOnlyTheCustomerOpens() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let release = try support.request(.release)
        let short = release.id.short
        try fixture.refuse(
            ["unlock", "execute", short, "--identity", fixture.cli.path("alice.id"), "--store", fixture.store],
            "pass --bundle FILE"
        )
        try fixture.write("occupied\n", to: "exists.bundle")
        try fixture.refuse(
            [
                "unlock", "execute", short, "--bundle", fixture.cli.path("exists.bundle"), "--identity",
                fixture.cli.path("alice.id"), "--store", fixture.store,
            ],
            "already exists"
        )
        let approve = try fixture.run(["unlock", "approve", short, "--yes"] + support.acting("bob"))
        #expect(approve.stdoutText.contains("customer acme will learn "), "\(approve.stdoutText)")
        try support.approve(short, by: ["carol", "dave"])
        let path = fixture.cli.path("acme.bundle")
        let done = try fixture.succeed(["unlock", "execute", short, "--bundle", path] + support.acting("erin"))
        #expect(done.stdoutText.contains("Customer bundle written to \(path)"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains(UnlockCLISupport.password))
        #expect(!text.contains(UnlockCLISupport.seed))
        let bundle = try CustomerBundle.decode([UInt8](bytes), source: path)
        let opened = try bundle.open(with: support.customer)
        let values = Dictionary(
            uniqueKeysWithValues: opened.map { version in
                (version.entry, version.value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) })
            }
        )
        #expect(values["root-password"] == UnlockCLISupport.password)
        #expect(values["root-mfa"] == UnlockCLISupport.seed)
        #expect(try support.reload().state.vault(named: "acme")?.status == .released)
    }
}

@Suite("unlock command line")
struct UnlockUsageCLITests {
    @Test func bareUnlockPrintsHelpAndTyposAreNamed() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let bare = try cli.run(["unlock"])
        #expect(bare.status == 0)
        #expect(bare.stdoutText.contains("SUBCOMMANDS:"))
        #expect(bare.stdoutText.contains("approve"))
        let ttl = try cli.run(["unlock", "request", "acme", "--reason", "r", "--ttl", "5x"])
        #expect(ttl.status == 64)
        #expect(ttl.stderr.contains("--ttl '5x' must be a number and a unit"), "\(ttl.stderr)")
        let typo = try cli.run(["unlock", "aprove", "3f2a"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("unknown subcommand 'aprove'"), "\(typo.stderr)")
        #expect(typo.stderr.contains("did you mean 'approve'?"), "\(typo.stderr)")
    }
}

import Escrow
import Foundation
import Sodium
import Testing

/// `escrow custodian show/list/add/remove/propose/endorse/apply` through the binary.
@Suite("Custodian roster (CLI)")
struct CustodianRosterCLITests {
    /// alice's store with bob and carol added (quorum 2).
    static func threeCustodians(_ fixture: StoreCLIFixture) throws {
        try fixture.initStore()
        try fixture.newIdentities(["bob", "carol", "dave", "robot"])
        try fixture.succeed(["custodian", "add", try fixture.publicLine("bob")] + fixture.acting("alice"))
        try fixture.succeed(
            ["custodian", "add", try fixture.publicLine("carol")] + fixture.acting("alice")
                + ["--endorse", fixture.cli.path("bob.id"), "--passphrase-file", fixture.cli.path("bob.pass")]
        )
    }

    /// Runs a command argument-parser must refuse (exit 64) with `fragment` in its message.
    static func usage(
        _ fixture: StoreCLIFixture,
        _ arguments: [String],
        _ fragment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try fixture.run(arguments)
        #expect(result.status == 64, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    /// `--endorse X.id --passphrase-file X.pass`.
    static func endorse(_ fixture: StoreCLIFixture, _ name: String) -> [String] {
        ["--endorse", fixture.cli.path("\(name).id"), "--passphrase-file", fixture.cli.path("\(name).pass")]
    }

    @Test func showIdentityPrintsThePublicLine() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice"])
        let line = try fixture.publicLine("alice")
        #expect(line.hasPrefix("escrow-custodian-v1 alice <alice@example.com> "))
        #expect(try PublicIdentity(line: line).name == "alice")
        let json = try jsonObject(
            try fixture.succeed(["custodian", "show", "--identity", fixture.cli.path("alice.id"), "--json"]).stdout
        )
        #expect(json["line"] as? String == line)
        #expect(json["name"] as? String == "alice")
        try Self.usage(fixture, ["custodian", "show"], "give a member NAME or --identity FILE")
    }

    @Test func addCollectsTheQuorumAndListShowsIt() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try Self.threeCustodians(fixture)
        // A roster of 3 with quorum 2: alice alone is refused before any passphrase is asked (no terminal here).
        try fixture.refuse(
            [
                "custodian", "add", try fixture.publicLine("dave"), "--identity", fixture.cli.path("alice.id"),
                "--store", fixture.store,
            ],
            "the change needs 2 custodian endorsements (roster quorum 2, 3 custodians), 1 given",
            status: 2
        )
        let added = try fixture.succeed(
            ["custodian", "add", "--public", fixture.cli.path("dave.id"), "--role", "depositor", "--json"]
                + fixture.acting("carol") + Self.endorse(fixture, "alice")
        )
        let result = try jsonObject(added.stdout)
        #expect(result["endorsers"] as? [String] == ["carol", "alice"])
        #expect(result["members"] as? Int == 4)
        #expect(added.stderr.contains("carol, check the change to store 'acme-msp' before endorsing it:"))
        #expect(added.stderr.contains("  add dave <dave@example.com> "))
        let list = try fixture.succeed(["custodian", "list", "--store", fixture.store])
        #expect(list.stdoutText.contains("dave   depositor  "))
        #expect(list.stdoutText.contains("Roster quorum 2: a roster change needs 2 of 3 custodians."))
        let json = try jsonObject(
            try fixture.succeed(["custodian", "list", "--json", "--store", fixture.store]).stdout
        )
        let members = json["members"] as? [[String: Any]] ?? []
        #expect(members.map { $0["name"] as? String } == ["alice", "bob", "carol", "dave"])
        #expect(members.last?["role"] as? String == "depositor")
        #expect(json["roster_quorum"] as? Int == 2)
        let show = try jsonObject(
            try fixture.succeed(["custodian", "show", "dave", "--json", "--store", fixture.store]).stdout
        )
        #expect(show["role"] as? String == "depositor")
        #expect((show["line"] as? String)?.hasPrefix("escrow-custodian-v1 dave ") == true)
    }

    @Test func addRefusesBadInputBeforeAnyPrompt() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try Self.threeCustodians(fixture)
        // No passphrase files: a prompt would fail with "no terminal"; each refusal comes first.
        let acting = ["--identity", fixture.cli.path("alice.id"), "--store", fixture.store]
        try fixture.refuse(["custodian", "add", "hello world"] + acting, "not a public identity line")
        let bob = try fixture.publicLine("bob")
        try fixture.refuse(["custodian", "add", bob] + acting, "the name 'bob' is taken in this store")
        let damaged = bob.replacingOccurrences(of: " bob ", with: " bib ")
        try fixture.refuse(["custodian", "add", damaged] + acting, "public identity line is damaged")
        try Self.usage(
            fixture,
            ["custodian", "add", try fixture.publicLine("dave"), "--role", "auditor"] + acting,
            "auditor"
        )
        try fixture.refuse(
            [
                "custodian", "add", try fixture.publicLine("dave"), "--identity", fixture.cli.path("dave.id"),
                "--store", fixture.store,
            ],
            "dave (",
            status: 1
        )
    }

    @Test func addAsksEachSignerOnTheTerminal() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStore()
        try fixture.newIdentities(["bob"])
        let screen = try fixture.cli.runOnTerminal(
            [
                "custodian", "add", try fixture.publicLine("bob"), "--identity", fixture.cli.path("alice.id"),
                "--store", fixture.store,
            ],
            answering: [("to endorse: ", "correct horse battery staple alice\n")],
            environment: fixture.environment
        )
        #expect(screen.contains("alice, check the change to store 'acme-msp' before endorsing it:"))
        #expect(screen.contains("  add bob <bob@example.com> "))
        #expect(!screen.contains("correct horse"), "the passphrase must not echo")
        #expect(screen.contains("Added bob (custodian, "))
    }

    @Test func proposeEndorseApply() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try Self.threeCustodians(fixture)
        let change = fixture.cli.path("change.json")
        try fixture.succeed(
            ["custodian", "propose", "add", try fixture.publicLine("dave"), "--out", change, "--store", fixture.store]
        )
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: change))) as? [String: Any]
        )
        #expect(document["format"] as? String == "escrow-roster-change")
        let endorsement = fixture.cli.path("bob.endorsement")
        try fixture.succeed(["custodian", "endorse", change, "--out", endorsement] + fixture.acting("bob"))
        try fixture.refuse(
            ["custodian", "endorse", change, "--out", endorsement] + fixture.acting("bob"),
            "already exists"
        )
        let applied = try fixture.succeed(
            ["custodian", "apply", change, "--endorsement", endorsement, "--json"] + fixture.acting("alice")
        )
        #expect(try jsonObject(applied.stdout)["endorsers"] as? [String] == ["bob", "alice"])
        // The change is applied: the roster moved on, so the same file cannot be applied again.
        try fixture.refuse(
            ["custodian", "apply", change, "--endorsement", endorsement] + fixture.acting("carol"),
            "was proposed against another roster"
        )
    }

    @Test func removeIsRefusedWhileTheMemberHoldsAnActiveVault() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try Self.threeCustodians(fixture)
        try Sodium.initialize()
        let ledger = try Ledger.open(at: fixture.store)
        let people = try ["alice", "bob", "carol"].map { name in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture.cli.path("\(name).id"))))
            return try IdentityFile.decode(bytes, source: name)
                .unseal(
                    passphrase: SecureBytes(copying: Array("correct horse battery staple \(name)".utf8)),
                    allowTestProfile: true
                )
        }
        for vault in ["acme", "globex"] {
            let create = try ledger.createVault(
                named: vault,
                metadata: [:],
                threshold: 2,
                custodians: ["alice", "bob", "carol"],
                by: people[0],
                at: EscrowClock.system.now
            )
            try ledger.append([create])
            for person in people {
                try ledger.append([try ledger.acknowledgeCustody(of: create.id, by: person, at: EscrowClock.system.now)]
                )
            }
        }
        try fixture.refuse(
            ["custodian", "remove", "bob", "--identity", fixture.cli.path("alice.id"), "--store", fixture.store],
            "bob is a custodian of vaults acme, globex: re-split them first: escrow vault reshare --all --remove bob"
        )
        // Closing globex: it no longer blocks, and the dry run says where bob's shares stay.
        let globex = try #require(ledger.state.vault(named: "globex"))
        let close = try ledger.request(
            .close,
            targets: [RequestTarget(vault: globex.reference, generation: globex.generation)],
            recipient: nil,
            reason: "customer left",
            expiresAt: UTCTime(secondsSinceEpoch: EscrowClock.system.now.secondsSinceEpoch + 3600),
            by: people[0],
            at: EscrowClock.system.now
        )
        try ledger.append([close])
        var random = StreamRandom()
        for person in people.prefix(2) {
            try ledger.append([try ledger.approve(close.id, by: person, at: EscrowClock.system.now, random: &random)])
        }
        try ledger.append([try ledger.execute(close.id, by: people[0], at: EscrowClock.system.now)])
        try fixture.refuse(
            ["custodian", "remove", "bob", "--identity", fixture.cli.path("alice.id"), "--store", fixture.store],
            "bob is a custodian of vault acme: re-split them first: escrow vault reshare --all --remove bob"
        )
        let dry = try fixture.succeed(["custodian", "remove", "bob", "--dry-run", "--store", fixture.store])
        #expect(dry.stdoutText.contains("Removing bob is refused until acme is re-split; nothing was written."))
        #expect(
            dry.stdoutText.contains("  globex (closed): bob's shares stay with the policy until a re-split or release")
        )
        #expect(dry.stdoutText.contains("  acme (active): bob is one of its custodians"))
        let json = try jsonObject(
            try fixture.succeed(["custodian", "remove", "bob", "--dry-run", "--json", "--store", fixture.store]).stdout
        )
        #expect(json["blocked"] as? Bool == true)
        try fixture.refuse(
            ["custodian", "remove", "mallory", "--identity", fixture.cli.path("alice.id"), "--store", fixture.store],
            "'mallory' is not a member of this store"
        )
        // A depositor holds no vault: removed with two endorsements.
        try fixture.succeed(
            ["custodian", "add", try fixture.publicLine("robot"), "--role", "depositor"] + fixture.acting("alice")
                + Self.endorse(fixture, "bob")
        )
        let removed = try fixture.succeed(
            ["custodian", "remove", "robot"] + fixture.acting("alice") + Self.endorse(fixture, "carol")
        )
        #expect(removed.stdoutText.hasPrefix("Removed robot ("))
        let list = try jsonObject(
            try fixture.succeed(["custodian", "list", "--json", "--store", fixture.store]).stdout
        )
        #expect((list["removed"] as? [[String: Any]])?.first?["name"] as? String == "robot")
        try fixture.refuse(
            ["custodian", "add", try fixture.publicLine("robot")] + fixture.acting("alice"),
            "robot's key is (or was) a member of this store"
        )
    }
}

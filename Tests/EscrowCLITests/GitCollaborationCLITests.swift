import Escrow
import Foundation
import Sodium
import Testing

/// Git collaboration: a bare remote and three clones, concurrent writes on each, `escrow sync` everywhere.
@Suite("Git collaboration (CLI)", .serialized)
struct GitCollaborationCLITests {
    /// Concurrent deposits, roster changes, requests, approvals and executions on three clones merge without
    /// conflict; every clone folds to the same heads and verifies.
    @Test func concurrentWritesConverge() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let git = GitCLISupport(fixture: fixture)
        try git.setUp(clones: ["one", "two", "three"])
        try git.createVault("acme", on: "one")
        try git.succeed("one", ["sync"])
        for clone in ["two", "three"] { try git.succeed(clone, ["sync"]) }
        // Concurrently, each clone's writers distinct: alice deposits on one, bob requests and approves on two,
        // carol adds dave on three (alice endorsing in the room: an endorsement is not an event of hers).
        try git.deposit("s3cret", into: "acme", entry: "root-password", by: "alice", on: "one")
        let request = try git.approvedClose("acme", by: "bob", approvers: ["bob"], on: "two")
        try git.succeed(
            "three",
            ["custodian", "add", try fixture.publicLine("dave")] + git.signer("carol") + git.endorser("alice")
        )
        for clone in ["one", "two", "three", "one", "two"] { try git.succeed(clone, ["sync"]) }
        // Then carol approves on three and bob executes on two.
        let three = try git.ledger("three")
        let carol = try git.identity("carol")
        var random = StreamRandom()
        try git.commit(
            "three",
            three,
            "approval",
            [
                { try three.approve(request, by: carol, at: EscrowClock.system.now, random: &random) }
            ]
        )
        try git.succeed("three", ["sync"])
        try git.succeed("two", ["sync"])
        try git.execute(request, by: "bob", on: "two")
        for clone in ["two", "one", "three"] { try git.succeed(clone, ["sync"]) }
        let heads = try git.heads("one")
        #expect(heads.count == 1)
        for clone in ["one", "two", "three"] {
            #expect(try git.heads(clone) == heads, "clone \(clone)")
            #expect(try git.git(["status", "--porcelain"], in: git.path(clone)).isEmpty)
            let verify = try git.succeed(clone, ["audit", "verify", "--json"])
            let report = try jsonObject(verify.stdout)
            #expect(report["ok"] as? Bool == true)
            #expect(report["events"] as? Int == 13)
            let list = try jsonObject(try git.succeed(clone, ["custodian", "list", "--json"]).stdout)
            let names = (list["members"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["alice", "bob", "carol", "dave"])
        }
        // Git merged without conflict: the merge commits exist and no conflict marker is anywhere.
        #expect(try git.git(["log", "--merges", "--oneline"], in: git.path("one")).isEmpty == false)
    }

    /// An open and a re-split made on different clones, interleaved with syncs: the open returns the deposited
    /// value, the re-split takes effect, and every clone ends on the same heads and verifies.
    @Test func opensAndResplitsConverge() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let git = GitCLISupport(fixture: fixture)
        let clones = ["one", "two", "three"]
        try git.setUp(clones: clones)
        try git.createVault("acme", on: "one")
        try git.deposit("s3cret", into: "acme", entry: "root-password", by: "alice", on: "one")
        func syncAll() throws { for clone in clones + ["one", "two"] { try git.succeed(clone, ["sync"]) } }
        try syncAll()
        // alice asks to open on one and approves; concurrently bob asks for a re-split removing carol on two.
        let one = try git.ledger("one")
        let alice = try git.identity("alice")
        let keys = BoxKeyPair()
        let expiry = UTCTime(secondsSinceEpoch: EscrowClock.system.now.secondsSinceEpoch + 3600)
        var random = StreamRandom()
        let open = try one.request(
            .open,
            targets: [try one.versionsTarget(vault: "acme", entries: ["root-password"])],
            recipient: RequestRecipient(name: "alice (request key)", key: keys.publicKey),
            reason: "billing dispute",
            expiresAt: expiry,
            by: alice,
            at: EscrowClock.system.now
        )
        try git.commit(
            "one",
            one,
            "open request",
            [{ open }, { try one.approve(open.id, by: alice, at: EscrowClock.system.now, random: &random) }]
        )
        let two = try git.ledger("two")
        let bob = try git.identity("bob")
        let resplit = try two.request(
            .resplit,
            targets: [try two.resplitTarget(vault: "acme", remove: ["carol"], add: [], threshold: nil)],
            recipient: nil,
            reason: "carol leaves",
            expiresAt: expiry,
            by: bob,
            at: EscrowClock.system.now
        )
        try git.commit("two", two, "re-split request", [{ resplit }])
        try syncAll()
        // carol approves the open on three; alice approves the re-split on one.
        let three = try git.ledger("three")
        let carol = try git.identity("carol")
        try git.commit(
            "three",
            three,
            "approval",
            [{ try three.approve(open.id, by: carol, at: EscrowClock.system.now, random: &random) }]
        )
        let oneAgain = try git.ledger("one")
        try git.commit(
            "one",
            oneAgain,
            "approval",
            [{ try oneAgain.approve(resplit.id, by: alice, at: EscrowClock.system.now, random: &random) }]
        )
        try syncAll()
        // alice opens on one; bob approves and executes the re-split on two.
        let opener = try git.ledger("one")
        let (versions, execution) = try opener.open(open.id, requestKeys: keys, by: alice, at: EscrowClock.system.now)
        #expect(
            versions.first.map { String(decoding: $0.value.withUnsafeBytes { Array($0) }, as: UTF8.self) } == "s3cret"
        )
        try git.commit("one", opener, "open", [{ execution }])
        let executor = try git.ledger("two")
        try git.commit(
            "two",
            executor,
            "re-split",
            [
                { try executor.approve(resplit.id, by: bob, at: EscrowClock.system.now, random: &random) },
                { try executor.execute(resplit.id, by: bob, at: EscrowClock.system.now) },
            ]
        )
        try syncAll()
        let heads = try git.heads("one")
        for clone in clones {
            #expect(try git.heads(clone) == heads, "clone \(clone)")
            let report = try jsonObject(try git.succeed(clone, ["audit", "verify", "--json"]).stdout)
            #expect(report["ok"] as? Bool == true)
            let ledger = try git.ledger(clone)
            #expect(ledger.state.vault(named: "acme")?.generation == 2)
            #expect(ledger.state.vault(named: "acme")?.policy.custodians.map(\.name) == ["alice", "bob"])
            #expect(ledger.state.requests[open.id]?.execution != nil)
        }
        let holder = try jsonObject(try git.succeed("three", ["custodian", "show", "alice", "--json"]).stdout)
        #expect((holder["versions"] as? [[String: Any]])?.map { $0["entry"] as? String } == ["root-password"])
        let text = try git.succeed("three", ["custodian", "show", "alice"]).stdoutText
        #expect(text.contains("custodian of: acme (active)\nholds shares: 1 version(s)\n  acme/root-password "))
        let show = try git.succeed("three", ["custodian", "show", "carol", "--json"])
        #expect((try jsonObject(show.stdout)["vaults"] as? [Any])?.isEmpty == true)
        let removal = try git.run("three", ["custodian", "remove", "carol", "--dry-run"])
        #expect(removal.stdoutText.hasPrefix("Removing carol (custodian) is possible; nothing was written."))
    }

    /// A request executed on two clones: after sync exactly one execution counts, the other is a note, and verify
    /// passes (a note is not a violation).
    @Test func doubleExecutionCountsOnce() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let git = GitCLISupport(fixture: fixture)
        try git.setUp(clones: ["one", "two"])
        try git.createVault("acme", on: "one")
        let request = try git.approvedClose("acme", by: "alice", approvers: ["alice", "bob"], on: "one")
        try git.succeed("one", ["sync"])
        try git.succeed("two", ["sync"])
        try git.execute(request, by: "alice", on: "one")
        try git.execute(request, by: "bob", on: "two")
        for clone in ["one", "two", "one"] { try git.succeed(clone, ["sync"]) }
        #expect(try git.heads("one") == git.heads("two"))
        let ledger = try git.ledger("one")
        let executions = ledger.graph.events.filter { $0.type == "execution" }
        #expect(executions.count == 2)
        let notes = ledger.state.findings.filter { $0.message.contains("was already executed") }
        #expect(notes.count == 1)
        #expect(notes.first?.isViolation == false)
        #expect(ledger.state.vault(named: "acme")?.status == .closed)
        for clone in ["one", "two"] {
            let verify = try git.succeed(clone, ["audit", "verify"])
            #expect(verify.stdoutText.contains("0 violation(s), 1 note(s)"))
            #expect(verify.stdoutText.contains("this one counts for nothing"))
        }
    }

    /// One member signs two conflicting events on two clones (same `previous`): after sync `audit verify` names
    /// the member and fails.
    @Test func equivocationIsNamed() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let git = GitCLISupport(fixture: fixture)
        try git.setUp(clones: ["one", "two"])
        try git.createVault("acme", on: "one")
        try git.succeed("one", ["sync"])
        try git.succeed("two", ["sync"])
        try git.deposit("first value", into: "acme", entry: "root-password", by: "bob", on: "one")
        try git.deposit("second value", into: "acme", entry: "root-password", by: "bob", on: "two")
        let one = try git.ledger("one")
        let two = try git.ledger("two")
        let bob = try git.identity("bob").publicIdentity.signingKey
        #expect(one.state.latestByAuthor[bob] != two.state.latestByAuthor[bob])
        try git.succeed("one", ["sync"])
        try git.succeed("two", ["sync"])
        let verify = try git.run("two", ["audit", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stdoutText.contains("equivocation: bob signed"))
        #expect(verify.stderr.contains("error: 1 event(s) without authority or equivocating"))
    }

    /// A remote that rewrites an existing event file, or adds a symbolic link: sync refuses naming the path and
    /// merges nothing.
    @Test func syncRefusesRewritesAndLinks() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let git = GitCLISupport(fixture: fixture)
        try git.setUp(clones: ["one", "two"])
        try git.succeed("two", ["sync"])
        let before = try git.headCommit("two")
        // Rewrite the last roster event on one and push it with plain git.
        let roster = try #require(try git.ledger("one").graph.events.last { $0.type == "roster" })
        let file = git.path("one") + "/" + roster.relativePath
        try Data(roster.bytes + [0x20, 0x0A]).write(to: URL(fileURLWithPath: file))
        try git.git(["commit", "--quiet", "-am", "rewrite"], in: git.path("one"))
        try git.git(["push", "--quiet"], in: git.path("one"))
        let rewrite = try git.run("two", ["sync"])
        #expect(rewrite.status == 1)
        #expect(rewrite.stderr.contains("error: the remote changes \(roster.relativePath) (modified)"))
        #expect(rewrite.stderr.contains("nothing was merged"))
        #expect(try git.headCommit("two") == before)
        // Undo on the remote, then add a symbolic link instead.
        try git.git(["reset", "--quiet", "--hard", "HEAD~1"], in: git.path("one"))
        try FileManager.default.createSymbolicLink(
            atPath: git.path("one") + "/events/link.json",
            withDestinationPath: "/etc/passwd"
        )
        try git.git(["add", "events/link.json"], in: git.path("one"))
        try git.git(["commit", "--quiet", "-m", "link"], in: git.path("one"))
        try git.git(["push", "--quiet", "--force"], in: git.path("one"))
        let link = try git.run("two", ["sync"])
        #expect(link.status == 1)
        #expect(link.stderr.contains("events/link.json"))
        #expect(link.stderr.contains("nothing was merged"))
        #expect(try git.headCommit("two") == before)
        #expect(!FileManager.default.fileExists(atPath: git.path("two") + "/events/link.json"))
    }

    /// After a clone saw events, its store is replaced by an older copy: every command refuses, naming the
    /// missing events.
    @Test func rollbackIsRefusedEverywhere() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let git = GitCLISupport(fixture: fixture)
        try git.setUp(clones: ["one"])
        try git.git(["clone", "--quiet", git.remote, git.path("old")], in: fixture.cli.directory.path)
        try git.succeed(
            "one",
            ["custodian", "add", try fixture.publicLine("dave")] + git.signer("alice")
                + git.endorser("bob")
        )
        let newest = try #require(try git.heads("one").first)
        try FileManager.default.removeItem(atPath: git.path("one"))
        try FileManager.default.moveItem(atPath: git.path("old"), toPath: git.path("one"))
        let commands: [[String]] = [
            ["custodian", "list"], ["custodian", "show", "alice"], ["audit", "show"], ["audit", "verify"],
            ["store", "show"], ["sync"],
            ["custodian", "add", try fixture.publicLine("erin")] + git.signer("alice") + git.endorser("bob"),
        ]
        for command in commands {
            let result = try git.run("one", command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stdout.isEmpty, "\(command)")
            #expect(
                result.stderr.contains("error: the store lacks 1 event(s) this machine has seen: \(newest.prefix(12))"),
                "\(command): \(result.stderr)"
            )
        }
    }

    /// A roster change with fewer endorsements than the quorum, planted as a file: ignored by every command and
    /// reported by verify (exit 1).
    @Test func underEndorsedRosterChangeIsIgnored() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let git = GitCLISupport(fixture: fixture)
        try git.setUp(clones: ["one", "two"])
        let ledger = try git.ledger("one")
        let alice = try git.identity("alice")
        let dave = try git.identity("dave")
        var change = try ledger.rosterChange(
            add: [MemberRecord(dave.publicIdentity, role: .custodian)],
            remove: [],
            quorum: nil
        )
        change.approvals = [try ledger.endorse(change, by: alice)]
        let planted = try ledger.event(.roster, body: change, by: alice, at: EscrowClock.system.now)
        #expect(ledger.dryRun(planted) != nil)
        try git.plant(planted, in: "one")
        try git.succeed("one", ["sync"])
        try git.succeed("two", ["sync"])
        for clone in ["one", "two"] {
            let list = try git.succeed(clone, ["custodian", "list", "--json"])
            let names = (try jsonObject(list.stdout)["members"] as? [[String: Any]] ?? []).compactMap {
                $0["name"] as? String
            }
            #expect(names == ["alice", "bob", "carol"])
            #expect(list.stderr.contains("warning: the store holds 1 event(s) without authority"))
            #expect(try git.run(clone, ["custodian", "show", "dave"]).status == 1)
            let verify = try git.run(clone, ["audit", "verify", "--json"])
            #expect(verify.status == 1)
            let report = try jsonObject(verify.stdout)
            #expect(report["ok"] as? Bool == false)
            let findings = report["findings"] as? [[String: Any]] ?? []
            #expect(findings.count == 1)
            #expect(findings.first?["event"] as? String == planted.id.description)
            #expect(findings.first?["author"] as? String == "alice")
            #expect(findings.first?["violation"] as? Bool == true)
        }
    }
}

import Escrow
import Foundation
import Sodium
import Testing

/// `escrow vault reshare` (dry run and request), and `vault close`, `vault release` and `vault reopen` requests.
@Suite(.serialized) struct VaultReshareCLITests {
    /// A store with acme (active, bob), beta (closed, bob), gamma (released, bob) and delta (active, no bob).
    private func fourVaults(_ fixture: StoreCLIFixture) throws {
        try fixture.initStoreWithRoster()
        try fixture.newIdentities(["customer"])
        try fixture.activeVault("acme", custodians: ["alice", "bob", "carol"])
        try fixture.activeVault("beta", custodians: ["alice", "bob", "carol"])
        try fixture.activeVault("gamma", custodians: ["alice", "bob", "carol"])
        try fixture.activeVault("delta", custodians: ["alice", "carol", "dave"])
        try fixture.put("gamma-root", into: "gamma", entry: "root-password")
        let close = try fixture.object(
            try fixture.succeed(
                ["vault", "close", "beta", "--reason", "account frozen", "--json"] + fixture.acting("alice")
            )
        )
        try fixture.approveAndExecute(try #require(close["request"] as? String), approvers: ["alice", "bob"])
        try fixture.write(try fixture.publicIdentity("customer").line + "\n", to: "customer.line")
        let release = try fixture.object(
            try fixture.succeed(
                [
                    "vault", "release", "gamma", "--to", fixture.cli.path("customer.line"), "--reason",
                    "contract ended", "--json",
                ]
                    + fixture.acting("alice")
            )
        )
        try fixture.approveAndExecute(try #require(release["request"] as? String), approvers: ["bob", "carol"])
    }

    /// The dry run says per vault what happens; released vaults are skipped, not refused; nothing is written.
    @Test func dryRunSkipsReleasedAndKeepsClosed() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fourVaults(fixture)
        let before = try fixture.eventCount()
        let noPassphrase = [
            "--identity", fixture.cli.path("alice.id"), "--passphrase-file", fixture.cli.path("missing.pass"),
            "--store", fixture.store,
        ]
        let plan = try fixture.succeed(["vault", "reshare", "--all", "--remove", "bob", "--dry-run"] + noPassphrase)
        let rows = plan.stdoutText.split(separator: "\n").map {
            $0.split(separator: " ", omittingEmptySubsequences: true)
        }
        #expect(
            rows.map { $0.prefix(2).joined(separator: " ") } == [
                "VAULT OUTCOME", "acme re-split", "beta re-split", "delta unaffected", "gamma skipped",
            ]
        )
        #expect(plan.stdoutText.contains("2-of-3 -> 2-of-2, removes bob (closed vault)"))
        #expect(plan.stdoutText.contains("released: never re-split"))
        #expect(try fixture.eventCount() == before)
        try fixture.put("acme-root", into: "acme", entry: "root-password")
        let request = try fixture.object(
            try fixture.succeed(
                ["vault", "reshare", "--all", "--remove", "bob", "--add", "dave", "--reason", "bob left", "--json"]
                    + fixture.acting("alice")
            )
        )
        #expect(request["vaults"] as? [String] == ["acme", "beta"])
        let next = try #require(request["next"] as? [String])
        let id = try #require(request["request"] as? String)
        #expect(next.first == "new custodians (dave) acknowledge custody: escrow vault ack --request \(id.prefix(12))")
        #expect(try fixture.eventCount() == before + 2)
        try fixture.succeed(["vault", "ack", "--request", String(id.prefix(12)), "--yes"] + fixture.acting("dave"))
        try fixture.refuse(
            ["vault", "reshare", "gamma", "--remove", "bob", "--reason", "bob left"] + fixture.acting("alice"),
            "nothing to re-split: no chosen vault is affected"
        )
        // Executed (library stand-in for the unlock commands): acme is generation 2, its version has one level.
        try fixture.approveAndExecute(id, approvers: ["alice", "carol"])
        let acme = try fixture.object(
            try fixture.succeed(["vault", "show", "acme", "--json", "--store", fixture.store])
        )
        #expect(acme["generation"] as? Int == 2)
        let policy = try #require(acme["policy"] as? [String: Any])
        #expect(
            (policy["custodians"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == [
                "alice", "dave", "carol",
            ]
        )
        let entry = try #require((acme["entries"] as? [[String: Any]])?.first)
        #expect((entry["current"] as? [String: Any])?["unresolved_levels"] as? Int == 1)
        let text = try fixture.succeed(["vault", "show", "acme", "--store", fixture.store]).stdoutText
        #expect(text.contains("generation 2, 2 of 3, 1 unresolved re-split level(s), current"))
        // Closed and released vaults take no deposits; only a closed vault is reopened.
        try fixture.refuse(
            ["vault", "put", "beta", "x"] + fixture.acting("alice"),
            "vault 'beta' is closed: reopen it first ('escrow vault reopen beta --reason R')"
        )
        try fixture.refuse(
            ["vault", "put", "gamma", "x"] + fixture.acting("alice"),
            "vault 'gamma' was released to the customer: nothing more goes into it"
        )
        try fixture.refuse(
            ["vault", "reopen", "acme", "--reason", "x"] + fixture.acting("alice"),
            "vault 'acme' is active, not closed: nothing to reopen"
        )
        let reopen = try fixture.succeed(
            ["vault", "reopen", "beta", "--reason", "account back"] + fixture.acting("carol")
        )
        #expect(reopen.stdoutText.contains("(reopen of beta) created"))
    }

    /// A re-split heavier than --shares-per-request is cut into requests (each vault whole in one), each
    /// acknowledged, approved and executed on its own; every credential then opens for the new custodians.
    @Test func aLargeReshareIsCutIntoRequests() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        for name in ["acme", "beta", "delta"] {
            try fixture.activeVault(
                name,
                custodians: name == "delta" ? ["alice", "carol", "dave"] : ["alice", "bob", "carol"]
            )
        }
        try fixture.put("acme-1", into: "acme", entry: "root-password")
        try fixture.put("acme-2", into: "acme", entry: "root-password")
        try fixture.put("beta-1", into: "beta", entry: "root-password")
        try CustodianRosterCLITests.usage(
            fixture,
            ["vault", "reshare", "--all", "--remove", "bob", "--reason", "x", "--shares-per-request", "0"]
                + fixture.acting("alice"),
            "--shares-per-request must be at least 1"
        )
        // acme: 2 versions × 3 new custodians = 6; beta: 1 × 3 = 3; delta is unaffected.
        let made = try fixture.object(
            try fixture.succeed(
                [
                    "vault", "reshare", "--all", "--remove", "bob", "--add", "dave", "--reason", "bob left",
                    "--shares-per-request", "6", "--json",
                ] + fixture.acting("alice")
            )
        )
        let requests = try #require(made["requests"] as? [[String: Any]])
        #expect(requests.map { $0["vaults"] as? [String] ?? [] } == [["acme"], ["beta"]])
        let ids = try requests.map { try #require($0["request"] as? String) }
        #expect(Set(ids).count == 2)
        for id in ids {
            try fixture.succeed(["vault", "ack", "--request", String(id.prefix(12)), "--yes"] + fixture.acting("dave"))
        }
        // One command approves both (each checked and shown first); naming one twice, or one already approved, is
        // refused before anything is written.
        let shorts = ids.map { String($0.prefix(12)) }
        let before = try fixture.eventCount()
        try fixture.refuse(
            ["unlock", "approve", shorts[0], shorts[0], "--yes"] + fixture.acting("alice"),
            "request \(shorts[0]) is named twice: nothing was approved"
        )
        let both = try fixture.object(
            try fixture.succeed(["unlock", "approve"] + shorts + ["--yes", "--json"] + fixture.acting("alice"))
        )
        let approvals = try #require(both["approvals"] as? [[String: Any]])
        #expect(approvals.compactMap { $0["id"] as? String } == ids)
        #expect(try fixture.eventCount() == before + 2)
        try fixture.refuse(
            ["unlock", "approve", shorts[1], shorts[0], "--yes"] + fixture.acting("alice"),
            "alice already approved request \(shorts[1])"
        )
        #expect(try fixture.eventCount() == before + 2)
        // At the prompt: both screens and both questions come before anything is written; a "no" to the second
        // writes nothing, not even the first.
        let declined = try fixture.onTerminal(
            ["unlock", "approve"] + shorts + fixture.acting("carol"),
            answering: [
                ("Approve request \(shorts[0])? Type yes to approve: ", "yes\n"),
                ("Approve request \(shorts[1])? Type yes to approve: ", "no\n"),
            ]
        )
        #expect(declined.contains("not approved: nothing was written"))
        #expect(
            declined.contains("Request \(shorts[0]): resplit") && declined.contains("Request \(shorts[1]): resplit")
        )
        #expect(try fixture.eventCount() == before + 2)
        let carol = try fixture.onTerminal(
            ["unlock", "approve"] + shorts + fixture.acting("carol"),
            answering: [
                ("Approve request \(shorts[0])? Type yes to approve: ", "yes\n"),
                ("Approve request \(shorts[1])? Type yes to approve: ", "yes\n"),
            ]
        )
        for short in shorts { #expect(carol.contains("Approved request \(short) as carol")) }
        #expect(try fixture.eventCount() == before + 4)
        for short in shorts { try fixture.succeed(["unlock", "execute", short] + fixture.acting("alice")) }
        let ledger = try Ledger.open(at: fixture.store)
        for (vault, values) in [("acme", ["acme-1", "acme-2"]), ("beta", ["beta-1"])] {
            let state = try ledger.vault(named: vault)
            #expect(state.generation == 2)
            #expect(state.policy.custodians.map(\.name) == ["alice", "dave", "carol"])
            // Every version opens with the new custodians dave and carol.
            let keys = BoxKeyPair()
            let alice = try fixture.unlockedIdentity("alice")
            var random = StreamRandom()
            let versions = state.entries["root-password"]?.map(\.id) ?? []
            let request = try ledger.request(
                .open,
                targets: [RequestTarget(vault: state.reference, generation: state.generation, versions: versions)],
                recipient: RequestRecipient(name: "alice (request key)", key: keys.publicKey),
                reason: "check",
                expiresAt: UTCTime(secondsSinceEpoch: EscrowClock.system.now.secondsSinceEpoch + 3_600),
                by: alice,
                at: EscrowClock.system.now
            )
            try ledger.append([request])
            for name in ["dave", "carol"] {
                try ledger.append([
                    try ledger.approve(
                        request.id,
                        by: try fixture.unlockedIdentity(name),
                        at: EscrowClock.system.now,
                        random: &random
                    )
                ])
            }
            let (opened, _) = try ledger.open(request.id, requestKeys: keys, by: alice, at: EscrowClock.system.now)
            #expect(opened.map { $0.value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } } == values)
        }
        // The text form says the re-split was cut, and lists each request with its next steps.
        let text = try fixture.succeed(
            [
                "vault", "reshare", "acme", "beta", "--remove", "dave", "--add", "bob", "--reason", "dave left",
                "--shares-per-request", "1",
            ] + fixture.acting("alice")
        ).stdoutText
        #expect(
            text.contains(
                "The resplit is cut into 2 requests (each approval stays bounded in size): approve and execute each "
                    + "(approvers may name them all at once: escrow unlock approve "
            )
        )
        #expect(text.components(separatedBy: "escrow unlock approve ").count == 4)  // both requests, then all at once
    }
}

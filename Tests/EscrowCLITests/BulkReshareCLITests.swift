import Escrow
import Foundation
import Platform
import Sodium
import Testing

/// `escrow vault reshare --all …`, `unlock approve|status|open` of a bulk request, end to end through the binary.
@Suite struct BulkReshareCLITests {
    init() throws { try Sodium.initialize() }

    /// The standard store (alice founded it; bob, carol, dave, erin, frank in the roster) plus, made through the
    /// library to keep the test fast: `v01`…`vNN` 3 of 5 (alice…erin), `tight` 3 of 3 (alice, bob, carol) and `solo`
    /// 2 of 3 (alice, carol, dave); `v01` holds a password deposited through the CLI.
    func bulkStore(_ fixture: StoreCLIFixture, vaults count: Int) throws -> [String] {
        try fixture.standardStore(withVault: false)
        try fixture.write("correct horse battery staple frank\n", to: "frank.pass")
        try fixture.newIdentities(["frank"])
        try fixture.succeed(["custodian", "add", fixture.cli.path("frank.id")] + fixture.acting("alice"))
        let store = try Store.open(at: fixture.store)
        let alice = try fixture.unlockedIdentity("alice")
        var rng = StreamRandom()
        let names = (1...count).map { String(format: "v%02d", $0) }
        for name in names {
            _ = try store.createVault(
                name: name,
                threshold: 3,
                custodianNames: ["alice", "bob", "carol", "dave", "erin"],
                metadata: [:],
                by: alice,
                using: &rng
            )
        }
        for (name, threshold, custodians) in [
            ("tight", 3, ["alice", "bob", "carol"]), ("solo", 2, ["alice", "carol", "dave"]),
        ] {
            _ = try store.createVault(
                name: name,
                threshold: threshold,
                custodianNames: custodians,
                metadata: [:],
                by: alice,
                using: &rng
            )
        }
        try fixture.succeed(
            ["vault", "put", "v01", "root-password", "--kind", "password"] + fixture.acting("bob"),
            stdin: Array((StoreCLIFixture.password + "\n").utf8)
        )
        return names
    }

    func code(_ path: String) throws -> String {
        try UnlockRequest.decode(try FileSystem.read(path), source: path).code
    }

    @Test func aDepartingCustodianIsReplacedInEveryVaultWithOneApprovalEach() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let names = try bulkStore(fixture, vaults: 20)
        let before = try fixture.snapshot()

        // Removing bob alone would leave `tight` with 2 custodians for its threshold of 3: refused up front.
        try fixture.refuse(
            ["vault", "reshare", "--all", "--remove", "bob", "--reason", "bob leaves"] + fixture.acting("alice")
                + ["--out", fixture.cli.path("nope.json")],
            "vault 'tight' would keep 2 custodians (alice, carol) for its threshold of 3: add custodians (--add) or lower the threshold (--threshold); nothing was written"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.cli.path("nope.json")))

        let preview = try fixture.succeed(
            [
                "vault", "reshare", "--all", "--remove", "bob", "--add", "frank", "--reason", "bob leaves", "--dry-run",
                "--store", fixture.store,
            ]
        ).stdoutText
        #expect(preview.hasPrefix("Would re-split 21 vaults (nothing written):\n"))

        let request = fixture.cli.path("leave.json")
        let made = try fixture.succeed(
            ["vault", "reshare", "--all", "--remove", "bob", "--add", "frank", "--reason", "bob leaves"]
                + fixture.acting("alice") + ["--out", request]
        ).stdoutText
        let code = try code(request)
        #expect(made.hasPrefix("Request \(code) written to \(request): re-split 21 vaults.\n"))
        #expect(made.contains("\n  20 vaults: 3 of 5 → 3 of 5: remove bob; add frank\n"))
        #expect(made.contains("\n  1 vault: 3 of 3 → 3 of 3: remove bob; add frank\n"))
        #expect(made.contains("\nLeft out: 1 holds no share of bob (--list names them).\n"))
        #expect(made.contains("Custodians (vaults held): alice (21), bob (21), carol (21), dave (20), erin (20)"))
        #expect(try fixture.snapshot() == before, "a request does not touch the store")

        // One approval per custodian; the summary counts the vaults, --list names them.
        let carol = fixture.cli.path("carol.approval")
        let shown = try fixture.succeed(
            ["unlock", "approve", request, "--yes", "--list", "--out", carol] + fixture.acting("carol")
        ).stdoutText
        #expect(shown.hasPrefix("Request \(code) from alice ("))
        #expect(shown.contains("\n  action:     re-split 21 vaults\n"))
        #expect(shown.contains("\n  changes:    20 vaults: 3 of 5 → 3 of 5: remove bob; add frank\n"))
        #expect(shown.contains("\n  reason:     bob leaves\n"))
        #expect(shown.contains("holding a share of 21 of the 21 vaults\n"))
        #expect(
            shown.split(separator: "\n").filter {
                $0.contains(" x=3  3 of 5 (alice, bob, carol, dave, erin) → 3 of 5 (alice, carol, dave, erin, frank)")
            }.count == 20
        )
        #expect(
            shown.hasSuffix(
                "Approved request \(code) as carol: 21 vaults in one approval written to \(carol); send it to alice (\(try fixture.unlockedIdentity("alice").publicIdentity.fingerprint)).\n"
            )
        )
        let approval = try UnlockApproval.decode(try FileSystem.read(carol), source: carol)
        #expect(approval.shares.map(\.vaultName) == (names + ["tight"]).sorted())
        let dave = try fixture.approve(request, by: "dave")
        let erin = try fixture.approve(request, by: "erin")
        let waiting = try fixture.succeed(["unlock", "status", request, carol, dave, erin, "--store", fixture.store])
            .stdoutText
        #expect(waiting.contains("\nReady: 20 of 21 vaults.\nNot ready (1):\n  tight "))
        #expect(waiting.contains("needs: 2 more needed, from any of alice, bob\n"))
        #expect(
            waiting.hasSuffix(
                "'escrow unlock open --partial' would re-split the 20 vaults that are ready and leave the others unchanged.\n"
            )
        )
        let alice = try fixture.approve(request, by: "alice")
        let bob = try fixture.approve(request, by: "bob")
        let status = try fixture.succeed([
            "unlock", "status", request, carol, dave, erin, alice, bob, "--store", fixture.store,
        ])
        #expect(
            status.stdoutText.hasSuffix(
                "Ready: 21 of 21 vaults.\nReady: alice can run 'escrow unlock open' with these approvals.\n"
            )
        )

        let records = try fixture.auditLines().count
        let opened = try fixture.succeed(
            ["unlock", "open", request, carol, dave, erin, alice, bob] + fixture.acting("alice")
        )
        #expect(
            opened.stdoutText
                == """
                Re-split 21 vaults (request \(code), approved by alice, bob, carol, dave, erin) in one commit; audit records \(records + 1)–\(records + 21).
                  20 vaults now 3 of 5 (alice, carol, dave, erin, frank)
                  1 vault now 3 of 3 (alice, carol, frank)
                Same keys, new shares: the shares of the previous generation no longer count.

                """
        )
        let lines = try fixture.auditLines()
        #expect(lines.count == records + 21)
        #expect(
            lines.suffix(21).allSatisfy {
                $0.contains("\"action\":\"vault.reshare\"") && $0.contains("\"batch_size\":\"21\"")
            }
        )
        let v07 = try fixture.succeed(["vault", "show", "v07", "--store", fixture.store]).stdoutText
        #expect(v07.contains("Generation:   2\n"))
        #expect(v07.contains("  x=5  frank "))
        #expect(!v07.contains(" bob "))

        // The old set cannot approve; frank can, and opens with two others.
        let open = fixture.cli.path("open.json")
        try fixture.succeed(
            ["unlock", "request", "v01", "--entry", "root-password", "--reason", "billing dispute"]
                + fixture.acting("alice") + ["--out", open]
        )
        try fixture.refuse(
            ["unlock", "approve", open, "--yes"] + fixture.acting("bob"),
            "is not a custodian of vault 'v01' (generation 2)"
        )
        let approvals = try ["frank", "carol", "erin"].map {
            try fixture.approve(open, by: $0, as: "\($0)-open.approval")
        }
        let password = try fixture.succeed(["unlock", "open", open] + approvals + fixture.acting("alice"))
        #expect(password.stdoutText.contains("root-password (password, version 1):\n\(StoreCLIFixture.password)\n"))

        // bob holds no share any more: he can leave; the log verifies.
        try fixture.succeed(["custodian", "remove", "bob"] + fixture.acting("alice"))
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func aBulkRequestIsAllOrNothingUnlessPartial() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        _ = try bulkStore(fixture, vaults: 6)
        let request = fixture.cli.path("leave.json")
        try fixture.succeed(
            ["vault", "reshare", "--all", "--remove", "bob", "--add", "frank", "--reason", "bob leaves"]
                + fixture.acting("alice") + ["--out", request]
        )
        let code = try code(request)
        let approvals = try ["alice", "bob", "carol"].map { try fixture.approve(request, by: $0) }

        // v03 is re-split on its own meanwhile (the single-vault form still works).
        let single = fixture.cli.path("v03.json")
        try fixture.succeed(
            ["vault", "reshare", "v03", "--threshold", "2", "--custodians", "carol,dave,erin", "--reason", "rotate"]
                + fixture.acting("alice") + ["--out", single]
        )
        let singleApprovals = try ["carol", "dave", "erin"].map {
            try fixture.approve(single, by: $0, as: "\($0)-v03.approval")
        }
        try fixture.succeed(["unlock", "open", single] + singleApprovals + fixture.acting("alice"))
        try fixture.refuse(
            ["unlock", "open", single, "--partial"] + singleApprovals + fixture.acting("alice"),
            "--partial is for bulk re-split requests (many vaults)"
        )

        let before = try fixture.snapshot()
        try fixture.refuse(
            ["unlock", "open", request] + approvals + fixture.acting("alice"),
            "request \(code) was made for generation 1 of vault 'v03', which was re-split since (now generation 2): make a new request (1 of the 7 vaults); nothing was changed; --partial re-splits the vaults that are ready and leaves the others"
        )
        #expect(try fixture.snapshot() == before, "nothing written")

        let partial = try fixture.succeed(
            ["unlock", "open", request, "--partial", "--json"] + approvals + fixture.acting("alice")
        )
        let json = try JSONParser.parse(partial.stdout, source: "stdout")
        guard case .array(let reshared)? = json["reshared"], case .array(let left)? = json["not_reshared"] else {
            Issue.record("unexpected JSON: \(partial.stdoutText)")
            return
        }
        #expect(reshared.count == 6)
        #expect(left.map { $0["vault"]?.stringValue } == ["v03"])
        let v03 = try fixture.succeed(["vault", "show", "v03", "--store", fixture.store]).stdoutText
        #expect(v03.contains("Policy:       2 of 3 custodians\n"))
        try fixture.refuse(
            ["unlock", "open", request, "--partial"] + approvals + fixture.acting("alice"),
            "request \(code) was already executed"
        )
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func helpShowsTheBulkOptions() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let reshare = try cli.run(["vault", "reshare", "--help"]).stdoutText
        for option in [
            "--all", "--vaults <names>", "--remove <name>", "--add <name>", "--threshold <threshold>",
            "--custodians <names>", "--dry-run", "--list", "--out <file>",
        ] {
            #expect(reshare.contains(option), "vault reshare --help lacks \(option)")
        }
        #expect(reshare.contains("Many vaults at once (when a custodian leaves)"))
        #expect(try cli.run(["unlock", "open", "--help"]).stdoutText.contains("--partial"))
        #expect(try cli.run(["unlock", "approve", "--help"]).stdoutText.contains("--list"))
        #expect(try cli.run(["unlock", "status", "--help"]).stdoutText.contains("--list"))
    }
}

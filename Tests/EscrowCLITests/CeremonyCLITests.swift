import Escrow
import Foundation
import Sodium
import Testing

/// The in-room ceremony (`escrow unlock VAULT --identity A --identity B …`), release and its bundle, close and forced
/// unlocks, end to end.
@Suite struct CeremonyCLITests {
    init() throws { try Sodium.initialize() }

    /// `--identity NAME.id` and `--passphrase-file NAME=NAME.pass` for each custodian present.
    func present(_ fixture: StoreCLIFixture, _ names: [String]) -> [String] {
        names.flatMap { ["--identity", fixture.cli.path("\($0).id")] }
            + names.flatMap { ["--passphrase-file", "\($0)=\(fixture.cli.path("\($0).pass"))"] }
            + ["--store", fixture.store]
    }

    @Test func ceremonyOpensInTheRoom() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore(withMallory: true)
        let result = try fixture.succeed(
            ["unlock", "acme", "--entry", "root-password", "--entry", "root-mfa", "--reason", "in the room"]
                + present(fixture, ["erin", "carol", "alice"])
        )
        #expect(
            result.stdoutText.hasPrefix(
                "Opened 2 entries of vault 'acme' (in-room ceremony with erin, carol, alice); audit record 10.\n"
            )
        )
        #expect(result.stdoutText.contains("root-password (password, version 1):\n\(StoreCLIFixture.password)\n"))
        #expect(result.stderr.contains("In-room ceremony: open root-mfa, root-password of vault 'acme'."))
        let record = try #require(try fixture.auditLines().last)
        #expect(record.contains("\"action\":\"unlock.ceremony\""))
        #expect(record.contains("\"actor_name\":\"erin\""))
        #expect(record.contains("\"approvers\":\"erin,carol,alice\""))
        // The explicit subcommand name works too.
        try fixture.succeed(
            ["unlock", "ceremony", "acme", "--entry", "root-mfa", "--reason", "again"]
                + present(fixture, ["alice", "bob", "dave"])
        )

        let before = try fixture.snapshot()
        let open = ["unlock", "acme", "--entry", "root-password", "--reason", "r"]
        try fixture.refuse(
            open + present(fixture, ["alice", "bob"]),
            "vault 'acme' needs 3 custodians and 2 are present: 1 more needed, from any of carol, dave, erin"
        )
        try fixture.refuse(
            open + present(fixture, ["alice", "bob", "mallory"]),
            "is not a custodian of vault 'acme' (generation 1)"
        )
        try fixture.refuse(
            open + [
                "--identity", fixture.cli.path("alice.id"), "--identity", fixture.cli.path("bob.id"),
                "--passphrase-file", fixture.cli.path("alice.pass"), "--store", fixture.store,
            ],
            "must be NAME=FILE naming one of the identities given (alice, bob)"
        )
        try fixture.refuse(
            open + [
                "--identity", fixture.cli.path("alice.id"), "--identity", fixture.cli.path("alice.id"),
                "--store", fixture.store,
            ],
            "are the same identity"
        )
        // A wrong passphrase for one custodian stops the ceremony before anything is decrypted.
        try fixture.write("not carol's passphrase\n", to: "wrong.pass")
        let wrong = try fixture.run(
            open + [
                "--identity", fixture.cli.path("alice.id"), "--identity", fixture.cli.path("bob.id"),
                "--identity", fixture.cli.path("carol.id"), "--passphrase-file",
                "alice=\(fixture.cli.path("alice.pass"))",
                "--passphrase-file", "bob=\(fixture.cli.path("bob.pass"))",
                "--passphrase-file", "carol=\(fixture.cli.path("wrong.pass"))", "--store", fixture.store,
            ]
        )
        // The ceremony's narration (on the terminal, here standard error) comes first; the error is the last line.
        #expect(wrong.status == 1)
        #expect(wrong.stdout.isEmpty)
        #expect(
            wrong.stderr.split(separator: "\n").last
                == "error: cannot open the identity of 'carol': wrong passphrase, or the file was altered"
        )
        #expect(try fixture.snapshot() == before)
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func releaseBundleOpensForTheCustomerOnly() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore()
        try fixture.write("correct horse battery staple acme-corp\n", to: "acme-corp.pass")
        let customerLine = try fixture.succeed([
            "custodian", "new", "acme-corp", "--identity", fixture.cli.path("acme-corp.id"), "--passphrase-file",
            fixture.cli.path("acme-corp.pass"), "--kdf", "minimal",
        ]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        try fixture.write(customerLine + "\n", to: "acme-corp.pub")

        let request = fixture.cli.path("release.json")
        let made = try fixture.succeed(
            ["vault", "release", "acme", "--to", fixture.cli.path("acme-corp.pub"), "--reason", "contract ended"]
                + fixture.acting("alice") + ["--out", request]
        )
        #expect(made.stdoutText.contains("release every entry of vault 'acme' to the customer acme-corp ("))
        let approvals = try ["bob", "dave", "erin"].map { try fixture.approve(request, by: $0) }
        let approveText = try fixture.succeed(
            ["unlock", "approve", request, "--yes", "--out", fixture.cli.path("carol.approval")]
                + fixture.acting("carol")
        ).stdoutText
        #expect(approveText.contains("  action:     release every entry of vault 'acme' to the customer acme-corp ("))
        try fixture.refuse(
            ["unlock", "open", request] + approvals + fixture.acting("alice"),
            "releases a vault: give --bundle FILE for the export bundle"
        )
        let bundle = fixture.cli.path("acme.bundle")
        let released = try fixture.succeed(
            ["unlock", "open", request] + approvals + fixture.acting("alice") + ["--bundle", bundle]
        ).stdoutText
        #expect(released.hasPrefix("Vault 'acme' released to acme-corp ("))
        #expect(released.contains("2 entries sealed to the customer in \(bundle); the vault is now released"))
        #expect(try fixture.read("acme.bundle").contains("\"format\": \"escrow-release-bundle\""))
        #expect(!(try fixture.read("acme.bundle").contains(StoreCLIFixture.password)))

        let opened = try fixture.succeed([
            "bundle", "open", bundle, "--identity", fixture.cli.path("acme-corp.id"), "--passphrase-file",
            fixture.cli.path("acme-corp.pass"),
        ]).stdoutText
        #expect(opened.hasPrefix("Bundle of vault 'acme' (account_id=123456789012 org_role=management), released "))
        #expect(opened.contains("with the approvals of bob, dave, erin; signature verified. Reason: contract ended\n"))
        #expect(opened.contains("root-password (password, version 1):\n\(StoreCLIFixture.password)\n"))
        #expect(opened.contains("  seed (base32): \(StoreCLIFixture.seed)\n"))
        try fixture.refuse(
            [
                "bundle", "open", bundle, "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("alice.pass"),
            ],
            "this bundle is sealed to acme-corp ("
        )
        let json = try fixture.succeed([
            "bundle", "open", bundle, "--json", "--identity", fixture.cli.path("acme-corp.id"), "--passphrase-file",
            fixture.cli.path("acme-corp.pass"),
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(
            entries.first { $0["name"] as? String == "root-password" }?["value"] as? String == StoreCLIFixture.password
        )

        // The vault is released: every later unlock is refused, forced or not.
        let shown = try fixture.succeed(["vault", "show", "acme", "--store", fixture.store]).stdoutText
        #expect(shown.contains("State:        released\n"))
        let before = try fixture.snapshot()
        try fixture.refuse(
            ["unlock", "request", "acme", "--entry", "root-password", "--reason", "r"] + fixture.acting("alice"),
            "vault 'acme' was released to its customer: it can no longer be unlocked"
        )
        try fixture.refuse(
            ["unlock", "acme", "--entry", "root-password", "--reason", "r", "--force", "--force-reason", "x"]
                + present(fixture, ["alice", "bob", "carol"]),
            "vault 'acme' was released to its customer"
        )
        try fixture.refuse(
            ["unlock", "open", request] + approvals + fixture.acting("alice") + [
                "--bundle", fixture.cli.path("again.bundle"),
            ],
            "vault 'acme' was released to its customer"
        )
        try fixture.refuse(
            ["vault", "put", "acme", "note", "--kind", "note"] + fixture.acting("alice"),
            "vault 'acme' is released: deposits are refused",
            stdin: Array("x".utf8)
        )
        #expect(try fixture.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: fixture.cli.path("again.bundle")))
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func inRoomReleaseAndReshare() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore(withMallory: true)
        let reshared = try fixture.succeed(
            [
                "vault", "reshare", "acme", "--threshold", "2", "--custodians", "carol,mallory,erin", "--reason",
                "rotation",
            ]
                + present(fixture, ["alice", "bob", "carol"])
        ).stdoutText
        #expect(
            reshared.hasPrefix(
                "Vault 'acme' re-split to 2 of 3 (carol, mallory, erin), generation 2 (in-room ceremony with alice, bob, carol)"
            )
        )
        try fixture.refuse(
            ["unlock", "acme", "--entry", "root-password", "--reason", "r"] + present(fixture, ["alice", "bob"]),
            "alice ("
        )
        try fixture.write("correct horse battery staple acme-corp\n", to: "acme-corp.pass")
        try fixture.newIdentities(["acme-corp"])
        let bundle = fixture.cli.path("acme.bundle")
        try fixture.refuse(
            ["vault", "release", "acme", "--to", fixture.cli.path("acme-corp.id"), "--reason", "bye"]
                + present(fixture, ["carol", "mallory"]),
            "give --out REQ to request a release from the custodians, or --bundle OUT to release in the room"
        )
        let released = try fixture.succeed(
            [
                "vault", "release", "acme", "--to", fixture.cli.path("acme-corp.id"), "--reason", "bye", "--bundle",
                bundle,
            ]
                + present(fixture, ["mallory", "erin"])
        ).stdoutText
        #expect(released.contains("(in-room ceremony with mallory, erin)"))
        let opened = try fixture.succeed([
            "bundle", "open", bundle, "--identity", fixture.cli.path("acme-corp.id"), "--passphrase-file",
            fixture.cli.path("acme-corp.pass"),
        ]).stdoutText
        #expect(opened.contains("\(StoreCLIFixture.password)\n"))
        #expect(opened.contains("released ") && opened.contains(" by mallory ("))
        let lines = try fixture.auditLines()
        #expect(lines.suffix(2).first?.contains("\"action\":\"vault.reshare\"") == true)
        #expect(lines.last?.contains("\"action\":\"vault.release\"") == true)
        #expect(lines.last?.contains("\"mode\":\"ceremony\"") == true)
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }

    @Test func closedVaultsOpenOnlyWhenForcedAndAudited() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.unlockStore()
        let usage = try fixture.run(["vault", "close", "acme"] + fixture.acting("dave"))
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("Missing expected argument '--reason <reason>'"))
        let closed = try fixture.succeed(
            ["vault", "close", "acme", "--reason", "account closed"] + fixture.acting("dave")
        )
        #expect(
            closed.stdoutText
                == "Vault 'acme' closed: everything is kept; deposits are refused and unlocking it needs --force with a reason. Audit record 9.\n"
        )
        let before = try fixture.snapshot()
        try fixture.refuse(
            ["vault", "close", "acme", "--reason", "again"] + fixture.acting("dave"),
            "vault 'acme' is closed: only an active vault can be closed"
        )
        try fixture.refuse(
            ["unlock", "request", "acme", "--entry", "root-password", "--reason", "r"] + fixture.acting("alice"),
            "vault 'acme' is closed: unlocking it needs --force with --force-reason"
        )
        try fixture.refuse(
            ["unlock", "acme", "--entry", "root-password", "--reason", "r"]
                + present(fixture, ["alice", "bob", "carol"]),
            "vault 'acme' is closed: unlocking it needs --force with --force-reason"
        )
        #expect(try fixture.snapshot() == before)

        let request = try fixture.request("forced.json", extra: ["--force", "--force-reason", "court order 17"])
        let approval = try fixture.succeed(
            ["unlock", "approve", request, "--yes", "--out", fixture.cli.path("bob.approval")] + fixture.acting("bob")
        ).stdoutText
        #expect(approval.contains("  FORCED:     vault 'acme' is closed; force reason: court order 17\n"))
        let approvals =
            [fixture.cli.path("bob.approval")] + (try ["carol", "erin"].map { try fixture.approve(request, by: $0) })
        let opened = try fixture.succeed(["unlock", "open", request] + approvals + fixture.acting("alice"))
        #expect(opened.stdoutText.contains("\(StoreCLIFixture.password)\n"))
        let record = try #require(try fixture.auditLines().last)
        #expect(record.contains("\"forced\":\"true\""))
        #expect(record.contains("\"force_reason\":\"court order 17\""))
        let shown = try fixture.succeed(["audit", "show", "--vault", "acme", "--store", fixture.store]).stdoutText
        #expect(shown.contains("vault.close"))
        #expect(shown.contains("force_reason=court order 17"))

        let ceremony = try fixture.succeed(
            ["unlock", "acme", "--entry", "root-mfa", "--reason", "r", "--force", "--force-reason", "audit request"]
                + present(fixture, ["alice", "dave", "erin"])
        )
        #expect(ceremony.stderr.contains("FORCED (vault is closed): audit request"))
        #expect(try fixture.auditLines().last?.contains("\"forced\":\"true\"") == true)
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }
}

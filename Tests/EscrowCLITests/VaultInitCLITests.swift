import Escrow
import Foundation
import Testing

/// `escrow vault init` and `escrow vault ack`: validation before any passphrase, custody ceremony, pending vaults.
@Suite(.serialized) struct VaultInitCLITests {
    /// The vault stays pending until every custodian acknowledged; deposits are refused naming who is missing.
    @Test func initThenAckUntilActive() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        let created = try fixture.succeed(
            [
                "vault", "init", "acme", "-t", "2", "--custodians", "alice,bob,carol", "--meta",
                "account_id=123456789012",
            ]
                + fixture.acting("alice")
        )
        #expect(created.stdoutText.contains("Vault 'acme' created: 2 of 3 custodians"))
        #expect(created.stdoutText.contains("  carol: escrow vault ack acme"))
        try fixture.refuse(
            ["vault", "put", "acme", "root-password"] + fixture.acting("alice"),
            "vault 'acme' is not active yet: custody not acknowledged by alice, bob, carol",
            status: 2,
            stdin: Array("pw".utf8)
        )
        let ack = try fixture.succeed(["vault", "ack", "acme", "--yes"] + fixture.acting("bob"))
        #expect(ack.stdoutText.contains("Policy: 2 of 3 custodians:"))
        let bobFingerprint = try fixture.publicIdentity("bob").fingerprint.description
        #expect(ack.stdoutText.contains(bobFingerprint))
        #expect(ack.stdoutText.contains("still missing: alice, carol (each runs 'escrow vault ack acme')"))
        try fixture.refuse(
            ["vault", "ack", "acme", "--yes"] + fixture.acting("bob"),
            "bob already acknowledged custody of 'acme'"
        )
        try fixture.refuse(
            ["vault", "ack", "acme", "--yes"] + fixture.acting("dave"),
            "dave is not a custodian of vault 'acme'"
        )
        try fixture.succeed(["vault", "ack", "acme", "--yes"] + fixture.acting("alice"))
        let show = try fixture.succeed(["vault", "show", "acme"] + ["--store", fixture.store])
        #expect(show.stdoutText.contains("Status: pending"))
        #expect(show.stdoutText.contains("Custody not acknowledged by carol (each runs 'escrow vault ack acme')"))
        try fixture.refuse(
            ["vault", "put", "acme", "root-password"] + fixture.acting("alice"),
            "custody not acknowledged by carol (each runs 'escrow vault ack acme')",
            status: 2,
            stdin: Array("pw".utf8)
        )
        let last = try fixture.succeed(["vault", "ack", "acme", "--yes"] + fixture.acting("carol"))
        #expect(last.stdoutText.contains("vault 'acme' is active"))
        try fixture.put("s3cret", into: "acme", entry: "root-password")
        let json = try fixture.object(
            try fixture.succeed(["vault", "show", "acme", "--json", "--store", fixture.store])
        )
        #expect(json["status"] as? String == "active")
        #expect((json["missing_acknowledgements"] as? [Any])?.isEmpty == true)
    }

    /// Without --yes and without a terminal the ceremony refuses before writing anything.
    @Test func ackWithoutTerminalNeedsYes() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.succeed(
            ["vault", "init", "acme", "-t", "2", "--custodians", "alice,bob"] + fixture.acting("alice")
        )
        let before = try fixture.eventCount()
        try fixture.refuse(["vault", "ack", "acme"] + fixture.acting("bob"), "not a terminal: pass --yes")
        #expect(try fixture.eventCount() == before)
    }

    /// Every refusal that needs no secret comes before the passphrase: the passphrase file does not even exist.
    @Test(arguments: [
        (
            ["acme", "-t", "2", "--custodians", "alice,bobb"],
            "'bobb' is not a custodian of this store (did you mean 'bob'?)"
        ),
        (
            ["Acme", "-t", "2", "--custodians", "alice,bob"],
            "vault name 'Acme' has upper-case letters: vault names are lowercase (try 'acme')"
        ),
        (["acme", "-t", "4", "--custodians", "alice,bob,carol"], "-t 4 is more than the 3 custodians named"),
        (["acme", "-t", "1", "--custodians", "alice,bob"], "the threshold must be at least 2"),
        (["taken", "-t", "2", "--custodians", "alice,bob"], "a vault named 'taken' exists or existed in this store"),
        (
            ["acme", "-t", "2", "--custodians", "alice,bob", "--meta", "acount_id=1"],
            "metadata key 'acount_id' is unknown"
        ),
        (
            ["acme", "-t", "2", "--custodians", "alice,bob", "--meta", "account_id=12"],
            "an AWS account id is 12 digits"
        ),
        (["acme", "-t", "2", "--custodians", "alice,alice"], "custodian 'alice' is named twice"),
    ])
    func refusedBeforeThePassphrase(_ arguments: [String], _ message: String) throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.succeed(
            ["vault", "init", "taken", "-t", "2", "--custodians", "alice,bob"] + fixture.acting("alice")
        )
        let before = try fixture.eventCount()
        let noPassphrase = [
            "--identity", fixture.cli.path("alice.id"), "--passphrase-file", fixture.cli.path("missing.pass"),
            "--store", fixture.store,
        ]
        try fixture.refuse(["vault", "init"] + arguments + noPassphrase, message)
        #expect(try fixture.eventCount() == before)
    }
}

import Foundation
import Testing

/// `escrow vault init|list|show|put` end to end.
@Suite struct VaultCLITests {
    func json(_ result: CLIHarness.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
    }

    @Test func keyCeremonySummary() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore(withVault: false)
        let result = try fixture.succeed(
            [
                "vault", "init", "acme-prod", "--threshold", "3", "--custodians", "alice, bob,carol,dave,erin",
                "--metadata", "account_id=123456789012",
                "--metadata", "root_email=root@acme.example", "--reason", "onboarding",
            ] + fixture.acting("alice")
        )
        let text = result.stdoutText
        #expect(text.hasPrefix("Key ceremony for vault 'acme-prod'\n  vault id:    "))
        #expect(text.contains("  policy:      3 of 5 custodians must agree to open it\n"))
        #expect(text.contains("    x=1  alice   "))
        #expect(text.contains("    x=5  erin    "))
        #expect(text.contains("  metadata:    account_id=123456789012 root_email=root@acme.example\n"))
        #expect(text.contains("Audit record 6; audit head "))
        let file = try fixture.read("store/vaults/acme-prod.json")
        #expect(file.contains("\"format\": \"escrow-vault\""))
        let shown = try json(try fixture.succeed(["vault", "show", "acme-prod", "--json", "--store", fixture.store]))
        #expect(shown["threshold"] as? Int == 3)
        #expect(
            (shown["custodians"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == [
                "alice", "bob", "carol", "dave", "erin",
            ]
        )
        #expect((shown["metadata"] as? [String: String])?["account_id"] == "123456789012")
        let ceremonyJSON = try json(
            try fixture.succeed(
                ["vault", "init", "globex", "--threshold", "2", "--custodians", "bob,carol", "--json"]
                    + fixture.acting("bob")
            )
        )
        #expect(ceremonyJSON["audit_seq"] as? Int == 7)
        #expect((ceremonyJSON["custodians"] as? [[String: Any]])?.compactMap { $0["x"] as? Int } == [1, 2])
    }

    @Test func ceremonyRefusalsChangeNothing() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore()
        let before = try fixture.snapshot()
        let cases: [([String], String)] = [
            (
                ["vault", "init", "v2", "--threshold", "3", "--custodians", "alice,bob,zoe"],
                "custodian 'zoe' is not in the roster"
            ),
            (
                ["vault", "init", "v2", "--threshold", "4", "--custodians", "alice,bob,carol"],
                "threshold 4 is larger than the 3 custodians"
            ),
            (["vault", "init", "v2", "--threshold", "1", "--custodians", "alice,bob"], "threshold must be at least 2"),
            (
                ["vault", "init", "v2", "--threshold", "2", "--custodians", "alice,alice"],
                "custodian 'alice' is named twice"
            ),
            (
                ["vault", "init", "v2", "--threshold", "2", "--custodians", "alice,,bob"],
                "--custodians has an empty name"
            ),
            (
                ["vault", "init", "acme", "--threshold", "2", "--custodians", "alice,bob"],
                "vault 'acme' already exists"
            ),
            (
                ["vault", "init", "Acme", "--threshold", "2", "--custodians", "alice,bob"],
                "use lower case: 'Acme' → 'acme'"
            ),
            (
                [
                    "vault", "init", "v2", "--threshold", "2", "--custodians", "alice,bob", "--metadata",
                    "account_id=12",
                ], "account_id='12'"
            ),
            (
                ["vault", "init", "v2", "--threshold", "2", "--custodians", "alice,bob", "--metadata", "acount_id=1"],
                "metadata key 'acount_id' is unknown"
            ),
            (
                ["vault", "init", "v2", "--threshold", "2", "--custodians", "alice,bob", "--metadata", "org_id=x"],
                "o-abc123def4"
            ),
        ]
        for (arguments, fragment) in cases {
            try fixture.refuse(arguments + fixture.acting("alice"), fragment)
        }
        try fixture.refuse(
            ["vault", "init", "v2", "--threshold", "2", "--custodians", "alice,bob"] + fixture.acting("mallory"),
            "mallory.id"
        )
        #expect(try fixture.snapshot() == before)
    }

    @Test func depositsAndHistory() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore()
        // From stdin.
        let first = try fixture.succeed(
            ["vault", "put", "acme", "root-password", "--kind", "password"] + fixture.acting("bob"),
            stdin: Array("Tr0ub4dor&3-but-longer\n".utf8)
        )
        #expect(first.stdoutText == "Deposited acme/root-password version 1 (password). Audit record 7.\n")
        // Generated and printed: the only stdout line is the password.
        let generated = try fixture.succeed(
            [
                "vault", "put", "acme", "root-password", "--kind", "password", "--generate", "--print", "--reason",
                "rotation",
            ] + fixture.acting("carol")
        )
        let password = generated.stdoutText.trimmingCharacters(in: .newlines)
        #expect(password.count == 24)
        #expect(
            password.contains { $0.isUppercase } && password.contains { $0.isLowercase }
                && password.contains { $0.isNumber }
        )
        #expect(
            generated.stderr.contains("version 2 (password, generated, 24 characters); version 1 is now superseded")
        )
        // Generated, not printed.
        let quiet = try fixture.succeed(
            ["vault", "put", "acme", "backup-password", "--kind", "password", "--generate", "--length", "32"]
                + fixture.acting("dave")
        )
        #expect(quiet.stdoutText.contains("(password, generated, 32 characters)"))
        #expect(quiet.stdoutText.contains("sealed without being shown"))
        // TOTP from a file, a note from stdin.
        try fixture.write(
            "otpauth://totp/AWS:root@123456789012?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Amazon%20Web%20Services\n",
            to: "mfa.uri"
        )
        try fixture.succeed(
            ["vault", "put", "acme", "root-mfa", "--kind", "totp", "--in", fixture.cli.path("mfa.uri")]
                + fixture.acting("erin")
        )
        try fixture.succeed(
            ["vault", "put", "acme", "recovery", "--kind", "note"] + fixture.acting("alice"),
            stdin: Array("call +1 555 0100\nask for the CFO\n".utf8)
        )

        let show = try fixture.succeed(["vault", "show", "acme", "--store", fixture.store]).stdoutText
        #expect(show.contains("  root-password         password  v2 "))
        #expect(show.contains("by carol, 1 superseded"))
        #expect(
            show.contains("algorithm=SHA1 digits=6 issuer=Amazon Web Services label=AWS:root@123456789012 period=30")
        )
        #expect(show.contains("  account_id                123456789012"))
        // No secret anywhere in the outputs or the store.
        let everything =
            show + (try fixture.succeed(["vault", "show", "acme", "--json", "--store", fixture.store]).stdoutText)
            + (try fixture.succeed(["audit", "show", "--json", "--store", fixture.store]).stdoutText)
            + (try fixture.snapshot().values.map { String(decoding: $0, as: UTF8.self) }.joined())
        for secret in [
            password, "Tr0ub4dor&3-but-longer", "GEZDGNBVGY3TQOJQ", "12345678901234567890", "ask for the CFO",
        ] {
            #expect(!everything.contains(secret), "\(secret) leaked")
        }
        let list = try fixture.succeed(["vault", "list", "--store", fixture.store]).stdoutText.split(separator: "\n")
        #expect(list.count == 2)
        #expect(list[1].hasPrefix("acme  active  3 of 5  1           4        "))
        let listJSON = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try fixture.succeed(["vault", "list", "--json", "--store", fixture.store]).stdout)
            ) as? [[String: Any]]
        )
        #expect(
            listJSON.first?["entries"] as? [String] == ["backup-password", "recovery", "root-mfa", "root-password"]
        )
    }

    @Test func depositRefusalsChangeNothing() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore()
        try fixture.succeed(
            ["vault", "put", "acme", "root", "--kind", "password"] + fixture.acting("bob"),
            stdin: Array("first-password-123\n".utf8)
        )
        let before = try fixture.snapshot()
        try fixture.write("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=3", to: "hotp.uri")
        let cases: [([String], [UInt8], String)] = [
            (
                ["vault", "put", "acme", "root", "--kind", "note"], Array("x".utf8),
                "entry 'root' of vault 'acme' holds a password, not a note"
            ),
            (
                ["vault", "put", "nope", "root", "--kind", "password"], Array("pw-pw-pw".utf8),
                "vault 'nope' does not exist"
            ),
            (
                ["vault", "put", "acme", "root", "--kind", "password"], Array("\n".utf8),
                "the password for 'root' is empty"
            ),
            (
                ["vault", "put", "acme", "mfa", "--kind", "totp"], Array("not base32!".utf8),
                "the TOTP seed is not valid base32"
            ),
            (["vault", "put", "acme", "mfa", "--kind", "totp", "--in", fixture.cli.path("hotp.uri")], [], "only totp"),
            (["vault", "put", "acme", "bad name", "--kind", "note"], Array("x".utf8), "entry name 'bad name'"),
            (["vault", "put", "acme", "mfa", "--kind", "totp", "--generate"], [], "--generate makes passwords"),
            (
                ["vault", "put", "acme", "root", "--kind", "password", "--print"], Array("x".utf8),
                "--print shows a generated password"
            ),
            (
                ["vault", "put", "acme", "root", "--kind", "password", "--generate", "--length", "12"], [],
                "password length 12 is outside 20...128"
            ),
            (
                ["vault", "put", "acme", "root", "--kind", "password", "--in", fixture.cli.path("missing")], [],
                "cannot open"
            ),
        ]
        for (arguments, stdin, fragment) in cases {
            try fixture.refuse(arguments + fixture.acting("bob"), fragment, stdin: stdin)
        }
        try fixture.refuse(
            ["vault", "put", "acme", "root", "--kind", "password"] + fixture.acting("mallory"),
            "mallory.id",
            stdin: Array("pw-pw-pw".utf8)
        )
        #expect(try fixture.snapshot() == before)
    }

    @Test func rosterNamingAnUnknownCustodianIsRefused() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore()
        // Drop bob from roster.json by hand: vault acme still names him as a custodian.
        var roster = try #require(
            try JSONSerialization.jsonObject(with: Data(fixture.read("store/roster.json").utf8)) as? [String: Any]
        )
        roster["custodians"] = (roster["custodians"] as? [[String: Any]])?.filter { $0["name"] as? String != "bob" }
        let edited = try JSONSerialization.data(withJSONObject: roster, options: [.prettyPrinted, .sortedKeys])
        try fixture.write(String(decoding: edited, as: UTF8.self) + "\n", to: "store/roster.json")
        let before = try fixture.snapshot()
        try fixture.refuse(["vault", "show", "acme", "--store", fixture.store], "custodian 'bob' (")
        try fixture.refuse(
            ["vault", "put", "acme", "n", "--kind", "note"] + fixture.acting("carol"),
            "is not in the roster of this store",
            stdin: Array("n".utf8)
        )
        try fixture.refuse(["audit", "verify", "--store", fixture.store], "roster.json")
        #expect(try fixture.snapshot() == before)
    }

    @Test func handEditedVaultFileIsRefused() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore()
        let path = "store/vaults/acme.json"
        let original = try fixture.read(path)
        // A changed threshold: the writer's signature no longer verifies.
        try fixture.write(original.replacingOccurrences(of: "\"threshold\": 3", with: "\"threshold\": 2"), to: path)
        let before = try fixture.snapshot()
        try fixture.refuse(
            ["vault", "show", "acme", "--store", fixture.store],
            "vaults/acme.json: the signature of 'alice' ("
        )
        try fixture.refuse(["vault", "list", "--store", fixture.store], "the file was altered")
        try fixture.refuse(
            ["vault", "put", "acme", "x", "--kind", "note"] + fixture.acting("bob"),
            "the file was altered",
            stdin: Array("n".utf8)
        )
        try fixture.refuse(
            ["audit", "verify", "--store", fixture.store],
            "vaults/acme.json does not match audit record 6"
        )
        #expect(try fixture.snapshot() == before)
        // A wrong share digest: also refused (and named by the signature check).
        let digestLine = String(try #require(original.split(separator: "\n").first { $0.contains("\"digest\"") }))
        let marker = try #require(digestLine.range(of: "\"digest\": \""))
        let first = digestLine[marker.upperBound]
        var flipped = digestLine
        flipped.replaceSubrange(marker.upperBound...marker.upperBound, with: first == "0" ? "1" : "0")
        try fixture.write(original.replacingOccurrences(of: digestLine, with: flipped), to: path)
        try fixture.refuse(["vault", "show", "acme", "--store", fixture.store], "the file was altered")
        // Restored: everything works again.
        try fixture.write(original, to: path)
        try fixture.succeed(["vault", "show", "acme", "--store", fixture.store])
        try fixture.succeed(["audit", "verify", "--store", fixture.store])
    }
}

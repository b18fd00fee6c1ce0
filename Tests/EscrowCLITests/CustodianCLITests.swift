import Foundation
import Testing

/// `escrow custodian new|add|list|show|remove|passwd` end to end.
@Suite struct CustodianCLITests {
    @Test func newPrintsOneLineAndWritesAPrivateFile() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let result = try fixture.succeed([
            "custodian", "new", "alice", "--email", "alice@example.com", "--identity", fixture.cli.path("alice.id"),
            "--passphrase-file", fixture.cli.path("alice.pass"), "--kdf", "minimal",
        ])
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count == 1)
        let words = lines[0].split(separator: " ")
        #expect(words.count == 6)
        #expect(words[0] == "escrow-custodian-v1" && words[1] == "alice" && words[2] == "<alice@example.com>")
        #expect(result.stderr.contains("written to \(fixture.cli.path("alice.id"))"))
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.cli.path("alice.id"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let file = try fixture.read("alice.id")
        #expect(file.contains("\"format\": \"escrow-identity\""))
        #expect(!file.contains("correct horse"))
        // show --identity prints the same line, no passphrase needed.
        let shown = try fixture.succeed(["custodian", "show", "--identity", fixture.cli.path("alice.id")])
        #expect(shown.stdoutText == result.stdoutText)
        // Never overwritten.
        try fixture.refuse(
            [
                "custodian", "new", "alice", "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("alice.pass"),
            ],
            "already exists"
        )
    }

    @Test func weakPassphrasesAndBadNames() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.write("password1234\n", to: "weak.pass")
        let base = [
            "--identity", fixture.cli.path("w.id"), "--passphrase-file", fixture.cli.path("weak.pass"), "--kdf",
            "minimal",
        ]
        try fixture.refuse(
            ["custodian", "new", "walter"] + base,
            "error: passphrase is too easy to guess: a common password with digits appended (about 10^4 guesses, "
                + "at least 10^10 needed); use four or more random words instead, or --force"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.cli.path("w.id")))
        try fixture.write("short\n", to: "short.pass")
        try fixture.refuse(
            [
                "custodian", "new", "walter", "--identity", fixture.cli.path("w.id"), "--passphrase-file",
                fixture.cli.path("short.pass"),
            ],
            "passphrase is too short"
        )
        try fixture.succeed(["custodian", "new", "walter"] + base + ["--force"])
        try fixture.refuse(
            [
                "custodian", "new", "Walter", "--identity", fixture.cli.path("x.id"), "--passphrase-file",
                fixture.cli.path("alice.pass"),
            ],
            "error: custodian name has capital letters: use lower case: 'Walter' → 'walter'"
        )
        try fixture.refuse(
            [
                "custodian", "new", "wendy", "--email", "nope", "--identity", fixture.cli.path("x.id"),
                "--passphrase-file", fixture.cli.path("alice.pass"),
            ],
            "'nope' is not a valid e-mail address"
        )
        // No terminal and no passphrase file: a clear refusal, not a hang (only checkable without a controlling terminal).
        let tty = open("/dev/tty", O_RDONLY | O_NOCTTY)
        if tty >= 0 {
            close(tty)
        } else {
            try fixture.refuse(["custodian", "new", "wendy", "--identity", fixture.cli.path("x.id")], "no terminal")
        }
    }

    @Test func addListShowRemove() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice", "bob", "carol", "mallory"])
        try fixture.succeed(["init"] + fixture.acting("alice"))
        // By public line (as pasted), by .pub file, by identity file.
        let bobLine = try fixture.succeed(["custodian", "show", "--identity", fixture.cli.path("bob.id")]).stdoutText
        let added = try fixture.succeed(
            ["custodian", "add", bobLine] + fixture.acting("alice") + ["--reason", "joins the team"]
        )
        #expect(added.stdoutText.hasPrefix("Added custodian bob <bob@example.com> "))
        #expect(added.stdoutText.hasSuffix("to the roster (audit record 2).\n"))
        let carolLine = try fixture.succeed(["custodian", "show", "--identity", fixture.cli.path("carol.id")])
            .stdoutText
        try fixture.write("# carol's key\n\n" + carolLine, to: "carol.pub")
        try fixture.refuse(
            ["custodian", "add", fixture.cli.path("carol.pub")] + fixture.acting("alice"),
            "not a public identity line"
        )
        try fixture.write(carolLine, to: "carol.pub")
        try fixture.succeed(["custodian", "add", fixture.cli.path("carol.pub")] + fixture.acting("alice"))

        // Refusals change nothing.
        let before = try fixture.snapshot()
        var mangled = Array(bobLine.utf8)
        mangled[24] = mangled[24] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        try fixture.refuse(
            ["custodian", "add", String(decoding: mangled, as: UTF8.self)] + fixture.acting("alice"),
            "public identity line"
        )
        try fixture.refuse(
            ["custodian", "add", bobLine] + fixture.acting("alice"),
            "custodian 'bob' is already in the roster"
        )
        let malloryLine = try fixture.succeed(["custodian", "show", "--identity", fixture.cli.path("mallory.id")])
            .stdoutText
        try fixture.refuse(["custodian", "add", malloryLine] + fixture.acting("mallory"), "mallory (")
        try fixture.refuse(
            ["custodian", "add", "no-such-file"] + fixture.acting("alice"),
            "neither a public identity line nor a file"
        )
        #expect(try fixture.snapshot() == before)

        let list = try fixture.succeed(["custodian", "list", "--store", fixture.store]).stdoutText
        let rows = list.split(separator: "\n")
        #expect(rows.count == 4)
        #expect(rows[0].hasPrefix("NAME   EMAIL"))
        #expect(rows[1].hasPrefix("alice  alice@example.com"))
        let json =
            try JSONSerialization.jsonObject(
                with: Data(try fixture.succeed(["custodian", "list", "--json", "--store", fixture.store]).stdout)
            ) as? [[String: Any]]
        #expect(json?.compactMap { $0["name"] as? String } == ["alice", "bob", "carol"])

        // remove is refused while bob holds a share, and names the vault.
        try fixture.succeed(
            ["vault", "init", "v1", "--threshold", "2", "--custodians", "alice,bob,carol"] + fixture.acting("alice")
        )
        let show = try fixture.succeed(["custodian", "show", "bob", "--store", fixture.store]).stdoutText
        #expect(show.contains("Shares:       v1 (x=2)"))
        #expect(show.contains("Public line:  escrow-custodian-v1 bob <bob@example.com> "))
        let beforeRemove = try fixture.snapshot()
        try fixture.refuse(
            ["custodian", "remove", "bob"] + fixture.acting("alice"),
            "custodian 'bob' still holds shares of vault v1: re-split it first"
        )
        try fixture.refuse(
            ["custodian", "remove", "zed"] + fixture.acting("alice"),
            "custodian 'zed' is not in the roster"
        )
        #expect(try fixture.snapshot() == beforeRemove)
        // A custodian without shares can be removed; list --former shows them.
        try fixture.succeed(["custodian", "add", malloryLine] + fixture.acting("alice"))
        try fixture.succeed(["custodian", "remove", "mallory"] + fixture.acting("alice") + ["--reason", "left"])
        let former = try fixture.succeed(["custodian", "list", "--former", "--store", fixture.store]).stdoutText
        #expect(former.contains("mallory") && former.contains("removed "))
        #expect(!(try fixture.succeed(["custodian", "list", "--store", fixture.store]).stdoutText.contains("mallory")))
        try fixture.refuse(
            ["custodian", "show", "zed", "--store", fixture.store],
            "custodian 'zed' is not in the roster"
        )
    }

    @Test func passwdChangesOnlyThePassphrase() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.newIdentities(["alice"])
        let line = try fixture.succeed(["custodian", "show", "--identity", fixture.cli.path("alice.id")]).stdoutText
        let original = try fixture.read("alice.id")
        // Wrong current passphrase: refused, file unchanged.
        try fixture.refuse(
            [
                "custodian", "passwd", "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("bob.pass"),
                "--new-passphrase-file", fixture.cli.path("carol.pass"), "--kdf", "minimal",
            ],
            "wrong passphrase"
        )
        try fixture.write("weakweakweak\n", to: "weak.pass")
        try fixture.refuse(
            [
                "custodian", "passwd", "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("alice.pass"),
                "--new-passphrase-file", fixture.cli.path("weak.pass"), "--kdf", "minimal",
            ],
            "passphrase is too"
        )
        #expect(try fixture.read("alice.id") == original)
        try fixture.succeed([
            "custodian", "passwd", "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
            fixture.cli.path("alice.pass"),
            "--new-passphrase-file", fixture.cli.path("carol.pass"), "--kdf", "minimal",
        ])
        #expect(try fixture.read("alice.id") != original)
        #expect(
            try fixture.succeed(["custodian", "show", "--identity", fixture.cli.path("alice.id")]).stdoutText == line
        )
        // The old passphrase no longer opens it; the new one does.
        try fixture.refuse(
            [
                "init", "--store", fixture.store, "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
                fixture.cli.path("alice.pass"),
            ],
            "wrong passphrase"
        )
        try fixture.succeed([
            "init", "--store", fixture.store, "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
            fixture.cli.path("carol.pass"),
        ])
    }

    @Test func truncatedIdentityFileIsRefusedAndNothingChanges() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.standardStore()
        let text = try fixture.read("bob.id")
        try fixture.write(String(text.prefix(text.count / 2)), to: "bob.id")
        let before = try fixture.snapshot()
        try fixture.refuse(
            ["vault", "put", "acme", "root", "--kind", "password"] + fixture.acting("bob"),
            "bob.id: invalid JSON at end of data (truncated?)",
            stdin: Array("a-root-password\n".utf8)
        )
        #expect(try fixture.snapshot() == before)
    }
}

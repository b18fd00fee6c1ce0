import Foundation
import Testing

/// `escrow custodian new`: the identity file's directory is prepared before any passphrase is asked.
@Suite("Custodian new (CLI)")
struct CustodianNewCLITests {
    @Test func createsAMissingParentDirectory() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let path = fixture.cli.path("home/.escrow/alice.id")
        let result = try fixture.succeed([
            "custodian", "new", "alice", "--identity", path, "--passphrase-file", fixture.cli.path("alice.pass"),
            "--kdf", "minimal", "--json",
        ])
        let json = try jsonObject(result.stdout)
        #expect((json["line"] as? String)?.hasPrefix("escrow-custodian-v1 alice <> ") == true)
        #expect(FileManager.default.fileExists(atPath: path))
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.cli.path("home/.escrow"))[.posixPermissions]
        #expect(mode as? Int == 0o700)
    }

    @Test func refusesAnUnwritableTargetBeforeThePassphrase() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.write("not a directory\n", to: "plain")
        // No passphrase file and no terminal: had it asked, the error would be about the terminal.
        try fixture.refuse(
            ["custodian", "new", "alice", "--identity", fixture.cli.path("plain/alice.id"), "--kdf", "minimal"],
            "is not a directory: cannot write"
        )
    }

    @Test func redirectedOutputIsNotCalledTheLineAbove() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        let result = try fixture.succeed([
            "custodian", "new", "alice", "--identity", fixture.cli.path("alice.id"), "--passphrase-file",
            fixture.cli.path("alice.pass"), "--kdf", "minimal",
        ])
        #expect(result.stdoutText.hasPrefix("escrow-custodian-v1 alice <> "))
        #expect(
            result.stderr.contains("Share the line written to standard output (it holds only your public key)"),
            "\(result.stderr)"
        )
        #expect(!result.stderr.contains("line above"))
    }

    @Test func withoutATerminalTheRefusalNamesThePassphraseFileOption() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.refuse(
            ["custodian", "new", "alice", "--identity", fixture.cli.path("alice.id"), "--kdf", "minimal"],
            "no terminal to ask for the passphrase (New passphrase for alice): pass --passphrase-file FILE"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.cli.path("alice.id")))
    }
}

import Escrow
import Foundation
import Testing

/// `escrow vault release` then `escrow bundle open` by the customer (approvals through the library stand-in).
@Suite(.serialized) struct BundleOpenCLITests {
    /// A release request approved by a quorum gives the customer a bundle only the customer opens.
    @Test func releaseThenCustomerOpensBundle() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStoreWithRoster()
        try fixture.newIdentities(["customer"])
        try fixture.activeVault("acme", custodians: ["alice", "bob", "carol"], meta: ["account_id=123456789012"])
        try fixture.put("root-pass-123", into: "acme", entry: "root-password")
        try fixture.succeed(
            ["vault", "put", "acme", "root-mfa", "--kind", "totp"] + fixture.acting("bob"),
            stdin: Array("JBSWY3DPEHPK3PXP\n".utf8)
        )
        try fixture.write(try fixture.publicIdentity("customer").line + "\n", to: "customer.line")
        try fixture.refuse(
            [
                "vault", "release", "acme", "--to", fixture.cli.path("customer.line"), "--reason", "done", "--entry",
                "root-pasword",
            ]
                + fixture.acting("alice"),
            "vault 'acme' has no entry 'root-pasword' (did you mean 'root-password'?)"
        )
        let made = try fixture.succeed(
            ["vault", "release", "acme", "--to", fixture.cli.path("customer.line"), "--reason", "contract ended"]
                + fixture.acting("alice")
        )
        #expect(made.stdoutText.contains("escrow unlock approve "))
        #expect(made.stdoutText.contains("escrow unlock execute "))
        let line = try #require(made.stdoutText.split(separator: "\n").first)
        let short = String(try #require(line.split(separator: " ").dropFirst().first))
        let ledger = try Ledger.open(at: fixture.store)
        let request = try #require(ledger.state.requests.keys.first { $0.short == short })
        let executed = try fixture.approveAndExecute(request.description, approvers: ["bob", "carol"])
        let bundle = try executed.releaseBundle(for: request)
        try Data(try bundle.encoded()).write(to: URL(fileURLWithPath: fixture.cli.path("bundle.json")))
        let opened = try fixture.succeed([
            "bundle", "open", fixture.cli.path("bundle.json"), "--identity", fixture.cli.path("customer.id"),
            "--passphrase-file", fixture.cli.path("customer.pass"),
        ])
        #expect(opened.stdoutText.contains("root-password (password, deposited by alice at "))
        #expect(opened.stdoutText.contains("\nroot-pass-123\n"))
        #expect(opened.stdoutText.contains("root-mfa (totp, SHA1, 6 digits, every 30 s"))
        let json = try fixture.object(
            try fixture.succeed([
                "bundle", "open", fixture.cli.path("bundle.json"), "--json", "--identity",
                fixture.cli.path("customer.id"),
                "--passphrase-file", fixture.cli.path("customer.pass"),
            ])
        )
        #expect(json["vault"] as? String == "acme")
        try fixture.refuse(
            [
                "bundle", "open", fixture.cli.path("bundle.json"), "--identity", fixture.cli.path("bob.id"),
                "--passphrase-file", fixture.cli.path("bob.pass"),
            ],
            "this bundle is not a release of 'acme' to bob"
        )
    }
}

import Foundation
import Testing

/// `escrow demo`'s quorum unlock: request, three approvals, status, open printing the password and the TOTP code.
@Suite struct DemoUnlockCLITests {
    @Test func demoShowsAFullQuorumUnlock() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let temporary = cli.path("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary
        let result = try cli.run(["demo"], environment: environment, allowTestProfile: false)
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdoutText
        for fragment in [
            "$ escrow unlock request acme-prod --entry root-password --entry root-mfa --reason \"Billing dispute with AWS support, ticket 4711\"",
            "$ escrow unlock approve $DEMO/request.json --yes --store $DEMO/store --identity $DEMO/bob.id",
            "$ escrow unlock approve $DEMO/request.json --yes --store $DEMO/store --identity $DEMO/carol.id",
            "$ escrow unlock approve $DEMO/request.json --yes --store $DEMO/store --identity $DEMO/erin.id",
            "  you:        erin (", "Approved (2 of the 3 needed):",
            "1 more approval needed, from any of alice, dave, erin.",
            "Approved (3 of the 3 needed):", "Ready: alice can run 'escrow unlock open' with these approvals.",
            "approved by bob, carol, erin); audit record 10.", "unlock.open", "Audit log verified: 16 records",
        ] {
            #expect(text.contains(fragment), "missing: \(fragment)")
        }
        // The opened password (generated, 24 characters, never shown before) and the current TOTP code.
        #expect(text.firstMatch(of: /\nroot-password \(password, version 2\):\n[!-~]{24}\n/) != nil)
        #expect(
            text.firstMatch(of: /\nroot-mfa \(totp, version 1, SHA1, 6 digits, every 30 s\): \d{6} \(\d{1,2}s left\)\n/)
                != nil
        )
        #expect(!text.contains("GEZDGNBVGY3TQOJQ\n"), "the seed is not printed")
        #expect(!text.contains("error:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
    }
}

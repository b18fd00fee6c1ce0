import Foundation
import Testing

/// `escrow demo`: runs end to end, narrates every step, and leaves nothing behind.
@Suite struct DemoCLITests {
    @Test func demoRunsAndCleansUp() throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let temporary = cli.path("tmp")
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary
        environment["ESCROW_STORE"] = cli.path("must-not-be-created")
        let result = try cli.run(["demo"], environment: environment, allowTestProfile: false)
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdoutText
        for fragment in [
            "Step 1/", "$ escrow custodian new alice", "$ escrow init --store $DEMO/store",
            "$ escrow custodian add $DEMO/bob.pub",
            "$ escrow vault init acme-prod --threshold 3 --custodians alice,bob,carol,dave,erin",
            "policy:      3 of 5 custodians",
            "--generate", "Deposited acme-prod/root-password version 1 (password, generated, 24 characters)",
            "Deposited acme-prod/root-mfa version 1 (totp)", "version 1 is now superseded", "Entries:",
            "$ escrow audit verify",
            // A custodian leaves: every vault re-split by one request, one approval each, one commit.
            "$ escrow vault reshare --all --remove bob --reason \"Bob leaves the company\" --list",
            ": re-split 3 vaults.\n  3 vaults: 3 of 5 → 3 of 4: remove bob\n",
            "holding a share of 3 of the 3 vaults",
            "Re-split 3 vaults (request ", "approved by carol, dave, erin) in one commit; audit records 13–15.",
            "Removed custodian 'bob' from the roster (audit record 16).",
            "Policy:       3 of 4 custodians\nGeneration:   2\n",
            "Audit log verified: 16 records",
            "Done: the temporary store, identities and passphrase files were deleted.",
        ] {
            #expect(text.contains(fragment), "missing: \(fragment)")
        }
        #expect(!text.contains("error:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: cli.path("must-not-be-created")))
    }
}

import Escrow
import Foundation
import Testing

/// Issue #12, item 1: a custodian who held shares of a vault that was since released to its customer can leave; the
/// dry run says what happens to each vault.
@Suite("a custodian of a released vault leaves, through the binary")
struct DepartureCLITests {
    @Test func releasedVaultNeverBlocksARemoval() throws {
        let support = try UnlockCLISupport()
        defer { support.cleanUp() }
        let fixture = support.fixture
        let release = try support.request(.release)
        try support.approve(release.id.short, by: ["bob", "carol", "dave"])
        try fixture.succeed(
            ["unlock", "execute", release.id.short, "--bundle", fixture.cli.path("acme.bundle")]
                + support.acting("alice")
        )
        #expect(try support.reload().state.vault(named: "acme")?.status == .released)

        let dry = try fixture.succeed(["custodian", "remove", "erin", "--dry-run", "--store", fixture.store])
        #expect(dry.stdoutText.contains("  acme (released): nothing to do"), "\(dry.stdoutText)")
        #expect(!dry.stdoutText.contains("refused"))
        let json = try JSONSerialization.jsonObject(
            with: Data(
                try fixture.succeed(["custodian", "remove", "erin", "--dry-run", "--json", "--store", fixture.store])
                    .stdout
            )
        )
        #expect((json as? [String: Any])?["blocked"] as? Bool == false)
        try fixture.refuse(
            ["vault", "reshare", "--all", "--remove", "erin", "--reason", "erin leaves"] + support.acting("alice"),
            "nothing to re-split: no chosen vault is affected (see --dry-run); nothing was written"
        )
        let events = try support.eventCount()
        try fixture.succeed(
            ["custodian", "remove", "erin"] + support.acting("alice")
                + CustodianRosterCLITests.endorse(fixture, "bob")
        )
        let ledger = try support.reload()
        #expect(ledger.state.eventCount == events + 1)
        #expect(ledger.state.members.values.contains { $0.identity.name == "erin" } == false)
        #expect(ledger.state.findings.isEmpty)
    }
}

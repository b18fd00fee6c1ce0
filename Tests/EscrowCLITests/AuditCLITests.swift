import Escrow
import Foundation
import Testing

/// `escrow audit show` and `escrow audit verify`.
@Suite("Audit (CLI)")
struct AuditCLITests {
    @Test func showListsEventsAndFilters() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try CustodianRosterCLITests.threeCustodians(fixture)
        let all = try fixture.succeed(["audit", "show", "--store", fixture.store])
        #expect(all.stdoutText.contains("created store 'acme-msp' (roster quorum 2)"))
        #expect(all.stdoutText.contains("added carol (custodian) (2 endorsements)"))
        #expect(all.stdoutText.contains("3 entries shown."))
        let roster = try jsonObject(
            try fixture.succeed(["audit", "show", "--action", "roster", "--json", "--store", fixture.store]).stdout
        )
        let entries = roster["entries"] as? [[String: Any]] ?? []
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0["actor"] as? String == "alice" })
        #expect((roster["findings"] as? [Any])?.isEmpty == true)
        let none = try fixture.succeed(["audit", "show", "--since", "2099-01-01T00:00:00Z", "--store", fixture.store])
        #expect(none.stdoutText.contains("0 entries shown."))
        try CustodianRosterCLITests.usage(
            fixture,
            ["audit", "show", "--since", "yesterday", "--store", fixture.store],
            "--since 'yesterday'"
        )
        try CustodianRosterCLITests.usage(
            fixture,
            ["audit", "show", "--action", "dance", "--store", fixture.store],
            "--action 'dance' is not an action (genesis, roster, vault.create, custody, deposit, deposit.batch, request, "
                + "approval, execution, attempt, expired)"
        )
    }

    @Test func verifyReportsHeadsAndAnchors() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try CustodianRosterCLITests.threeCustodians(fixture)
        let report = try jsonObject(
            try fixture.succeed(["audit", "verify", "--json", "--store", fixture.store]).stdout
        )
        #expect(report["ok"] as? Bool == true)
        #expect(report["events"] as? Int == 3)
        let heads = report["heads"] as? [String] ?? []
        #expect(heads.count == 1 && heads[0].count == 64)
        let text = try fixture.succeed(["audit", "verify", "--anchor", heads[0], "--store", fixture.store])
        #expect(text.stdoutText.contains("heads to anchor:\n  \(heads[0])\n"))
        #expect(text.stdoutText.contains("anchor \(heads[0]): present"))
        let absent = String(repeating: "ab", count: 32)
        let missing = try fixture.run(["audit", "verify", "--anchor", absent, "--store", fixture.store])
        #expect(missing.status == 1)
        #expect(missing.stdoutText.contains("anchor \(absent): MISSING"))
        #expect(missing.stderr.contains("error: the store lacks anchor(s) \(absent)"))
        try CustodianRosterCLITests.usage(
            fixture,
            ["audit", "verify", "--anchor", "xyz", "--store", fixture.store],
            "not an event id"
        )
    }

    @Test func verifyOnAnUnpinnedStoreSaysHowToPin() throws {
        let fixture = try StoreCLIFixture()
        defer { fixture.cleanUp() }
        try fixture.initStore()
        let result = try fixture.run(
            ["audit", "verify", "--store", fixture.store],
            extra: ["ESCROW_STATE_DIR": fixture.cli.path("auditor")]
        )
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: audit verify checks a store against your pin: first contact"))
        #expect(result.stderr.contains("escrow store trust --store \(fixture.store) --fingerprint "))
    }
}

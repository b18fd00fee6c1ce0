import Sodium
import Testing

@testable import Escrow

/// The dealing of `Ledger.depositBatch`: waves dealt on every core, in the order of the deposits, with each vault's
/// recipients prepared once.
@Suite struct LedgerDepositDealingTests {
    func fixtureWithVaults() throws -> LedgerFixture {
        let fixture = try LedgerFixture()
        try fixture.createVault("beta", threshold: 2, custodians: ["alice", "bob", "carol"])
        try fixture.createVault("gamma", threshold: 4, custodians: LedgerFixture.names)
        return fixture
    }

    static let vaults = ["acme", "beta", "gamma"]

    /// Forty deposits into three vaults, dealt in waves of 7 and written in events of 5: every item is in its
    /// place, in order, dealt under its own vault's policy with its own key, and opens to its own value.
    @Test func wavesKeepTheOrderAndEveryItemOpens() throws {
        let fixture = try fixtureWithVaults()
        let deposits = (0..<40).map { index in
            Ledger.BatchDeposit(
                value: secure("value-\(index)"),
                vault: Self.vaults[index % 3],
                entry: "e-\(index)",
                kind: .password
            )
        }
        let events = try fixture.ledger.depositBatch(
            deposits,
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random,
            itemsPerEvent: 5,
            waveCount: 7
        )
        #expect(events.count == 8)
        let records = try events.flatMap { try EventBody.decode(DepositBatchBody.self, of: $0).deposits }
        #expect(records.map(\.entry) == (0..<40).map { "e-\($0)" })
        #expect(records.map(\.vault.name) == (0..<40).map { Self.vaults[$0 % 3] })
        #expect(records.map(\.threshold) == (0..<40).map { [3, 2, 4][$0 % 3] })
        #expect(records.map(\.shares.count) == (0..<40).map { [5, 3, 5][$0 % 3] })
        #expect(Set(records.map(\.version.bytes)).count == 40)
        #expect(Set(records.map(\.ephemeralKey.bytes)).count == 40)
        #expect(Set(records.map(\.commitment.bytes)).count == 40)
        try fixture.ledger.append(events)
        #expect(try fixture.reopen().state.violations.isEmpty)
        let (acme, acmeKeys) = try fixture.approvedOpen(
            "acme",
            entries: ["e-0", "e-21", "e-39"],
            approvers: ["alice", "bob", "carol"]
        )
        #expect(try fixture.open(acme, keys: acmeKeys) == ["e-0": "value-0", "e-21": "value-21", "e-39": "value-39"])
        let (beta, betaKeys) = try fixture.approvedOpen("beta", entries: ["e-1", "e-37"], approvers: ["carol", "bob"])
        #expect(try fixture.open(beta, keys: betaKeys) == ["e-1": "value-1", "e-37": "value-37"])
        let (gamma, gammaKeys) = try fixture.approvedOpen(
            "gamma",
            entries: ["e-2", "e-38"],
            approvers: ["alice", "dave", "erin", "carol"]
        )
        #expect(try fixture.open(gamma, keys: gammaKeys) == ["e-2": "value-2", "e-38": "value-38"])
    }

    /// The first deposit the store would refuse is named, even in a later wave than deposits already dealt, and
    /// nothing changes.
    @Test func firstRefusalInALaterWaveIsNamedAndNothingChanges() throws {
        let fixture = try fixtureWithVaults()
        let before = fixture.ledger.state.eventCount
        let heads = fixture.ledger.graph.heads
        var deposits = (0..<30).map { index in
            Ledger.BatchDeposit(
                value: secure("v-\(index)"),
                vault: Self.vaults[index % 3],
                entry: "e-\(index)",
                kind: .password
            )
        }
        deposits[17] = Ledger.BatchDeposit(value: secure("x"), vault: "acme", entry: "e-3", kind: .note)
        deposits[25] = Ledger.BatchDeposit(value: secure("y"), vault: "nowhere", entry: "e", kind: .note)
        do {
            _ = try fixture.ledger.depositBatch(
                deposits,
                by: fixture.person("bob"),
                at: fixture.now(),
                random: &fixture.random,
                itemsPerEvent: 4,
                waveCount: 7
            )
            Issue.record("the batch was accepted")
        } catch {
            #expect(error.message == "deposit 18 of the batch: entry 'e-3' of 'acme' holds password values, not note")
        }
        #expect(fixture.ledger.state.eventCount == before)
        #expect(fixture.ledger.graph.heads == heads)
    }

    /// The recipients a batch prepares once per vault (and each custodian's X25519 key, once) are exactly those a
    /// single deposit prepares.
    @Test func preparedRecipientsAreThoseOfASingleDeposit() throws {
        let fixture = try fixtureWithVaults()
        var shared = Ledger.RecipientsCache()
        for round in 0..<2 {
            for vault in Self.vaults {
                var fresh = Ledger.RecipientsCache()
                let single = try fixture.ledger.depositPlan(
                    secure("v"),
                    into: vault,
                    entry: "e",
                    kind: .password,
                    metadata: [:],
                    by: fixture.person("bob"),
                    recipients: &fresh
                )
                let batched = try fixture.ledger.depositPlan(
                    secure("v"),
                    into: vault,
                    entry: "e",
                    kind: .password,
                    metadata: [:],
                    by: fixture.person("bob"),
                    recipients: &shared
                )
                #expect(batched.job.recipients == single.job.recipients, "round \(round), \(vault)")
                let state = try #require(fixture.ledger.state.vault(named: vault))
                #expect(single.job.recipients.threshold == state.policy.threshold)
                #expect(single.job.recipients.holders.map(\.x) == state.policy.custodians.map(\.x))
                for (holder, custodian) in zip(single.job.recipients.holders, state.policy.custodians) {
                    let member = try #require(fixture.ledger.state.members[custodian.key.bytes])
                    #expect(holder.boxPublicKey == (try member.identity.boxPublicKey()))
                }
                #expect(batched.job.binding.versionID != single.job.binding.versionID)
            }
        }
    }
}

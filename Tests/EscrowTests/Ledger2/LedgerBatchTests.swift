import Sodium
import Testing

@testable import Escrow

/// `Ledger.depositBatch`: one `deposit.batch` event per chunk, appended at once, nothing changed on refusal.
@Suite struct LedgerBatchTests {
    /// Thirty deposits across two vaults are one event, accepted by one append.
    @Test func batchChainsEveryDepositAndAppendsOnce() throws {
        let fixture = try LedgerFixture()
        try fixture.createVault("beta", threshold: 2, custodians: ["alice", "bob", "carol"])
        let before = fixture.ledger.state.eventCount
        let deposits = (0..<30).map { index in
            Ledger.BatchDeposit(
                value: secure("value-\(index)"),
                vault: index % 2 == 0 ? "acme" : "beta",
                entry: "entry-\(index)",
                kind: .password
            )
        }
        let events = try fixture.ledger.depositBatch(
            deposits,
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random
        )
        #expect(events.count == 1)
        #expect(events.first?.type == "deposit.batch")
        #expect(fixture.ledger.state.eventCount == before)
        try fixture.ledger.append(events)
        let reopened = try fixture.reopen()
        #expect(reopened.state.eventCount == before + 1)
        #expect(reopened.state.vault(named: "beta")?.entries.count == 15)
        #expect(reopened.state.violations.isEmpty)
    }

    /// A refused deposit names its position and leaves the ledger as it was.
    @Test func refusedDepositNamesItsPositionAndChangesNothing() throws {
        let fixture = try LedgerFixture()
        let before = fixture.ledger.state.eventCount
        let heads = fixture.ledger.graph.heads
        let deposits = [
            Ledger.BatchDeposit(value: secure("one"), vault: "acme", entry: "a", kind: .password),
            Ledger.BatchDeposit(value: secure("two"), vault: "acme", entry: "root-password", kind: .note),
        ]
        do {
            _ = try fixture.ledger.depositBatch(
                deposits,
                by: fixture.person("bob"),
                at: fixture.now(),
                random: &fixture.random
            )
            Issue.record("the batch was accepted")
        } catch {
            #expect(error.message.hasPrefix("deposit 2 of the batch: "))
        }
        #expect(fixture.ledger.state.eventCount == before)
        #expect(fixture.ledger.graph.heads == heads)
    }
}

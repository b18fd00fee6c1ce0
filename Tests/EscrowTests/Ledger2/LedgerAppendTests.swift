import Sodium
import Testing

@testable import Escrow

/// `Ledger.append` and `dryRun` add events on top of the heads in place: the result must equal a cold open, and a
/// refusal must leave the ledger exactly as it was.
@Suite struct LedgerAppendTests {
    /// The graph grown in place equals the graph built from scratch from the same events.
    func expectSameGraph(_ grown: EventGraph) throws {
        let rebuilt = try EventGraph(events: grown.events.reversed())
        #expect(grown.canonicalOrder == rebuilt.canonicalOrder)
        #expect(grown.heads == rebuilt.heads)
        #expect(grown.equivocations.map { [$0.0, $0.1] } == rebuilt.equivocations.map { [$0.0, $0.1] })
        for id in grown.canonicalOrder.suffix(20) {
            #expect(grown.height(of: id) == rebuilt.height(of: id))
            for other in grown.canonicalOrder.suffix(20) {
                #expect(grown.isAncestor(other, of: id) == rebuilt.isAncestor(other, of: id))
            }
        }
    }

    /// Deposits, a request, approvals and an execution appended one by one fold exactly like a cold open.
    @Test func inPlaceAppendsFoldLikeAColdOpen() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("frank", role: .custodian)
        try fixture.createVault("beta", threshold: 2, custodians: ["alice", "bob", "carol"])
        try fixture.deposit("one", into: "beta", entry: "a", kind: .password, by: "bob")
        try fixture.resplit("acme", remove: ["erin"], add: ["frank"], approvers: ["alice", "bob", "carol"])
        try fixture.deposit("two", into: "acme", entry: "root-password", kind: .password, by: "carol")
        try expectSameGraph(fixture.ledger.graph)
        let cold = try fixture.reopen()
        #expect(fixture.ledger.state.vaults == cold.state.vaults)
        #expect(fixture.ledger.state.versionIDs == cold.state.versionIDs)
        #expect(fixture.ledger.state.requests.keys.sorted() == cold.state.requests.keys.sorted())
        #expect(fixture.ledger.state.latestByAuthor == cold.state.latestByAuthor)
        #expect(fixture.ledger.state.eventCount == cold.state.eventCount)
        #expect(fixture.ledger.state.findings.map(\.message) == cold.state.findings.map(\.message))
    }

    /// A refused append and a dry run change nothing: state, graph and files are as before.
    @Test func refusalAndDryRunLeaveTheLedgerAsItWas() throws {
        let fixture = try LedgerFixture()
        try fixture.addMember("robot", role: .depositor)
        let good = try fixture.ledger.deposit(
            secure("fine"),
            into: "acme",
            entry: "other",
            kind: .password,
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random
        )
        let refused = try fixture.ledger.deposit(
            secure("robot's"),
            into: "acme",
            entry: "root-password",
            kind: .password,
            by: fixture.person("robot"),
            at: fixture.now(),
            random: &fixture.random
        )
        try fixture.removeMember("robot")
        let before = fixture.ledger.state
        let graphBefore = fixture.ledger.graph
        // Made before robot's removal: not on top of the heads (the copying path), still acceptable.
        #expect(fixture.ledger.dryRun(good) == nil)
        let rebuiltGood = try fixture.ledger.deposit(
            secure("fine"),
            into: "acme",
            entry: "other",
            kind: .password,
            by: fixture.person("bob"),
            at: fixture.now(),
            random: &fixture.random
        )
        #expect(fixture.ledger.dryRun(rebuiltGood) == nil)
        // robot's deposit, made before its removal, is refused on top of the new heads; and in a batch with a
        // good event first, the good one is undone too.
        let replanted = try Event.make(
            store: before.storeID,
            type: refused.type,
            author: fixture.person("robot"),
            parents: fixture.ledger.graph.heads,
            previous: before.latestByAuthor[fixture.person("robot").publicIdentity.signingKey],
            time: fixture.now(),
            body: refused.body
        )
        #expect(fixture.ledger.dryRun(replanted)?.message == "robot was removed from the roster")
        let chained = try Event.make(
            store: before.storeID,
            type: refused.type,
            author: fixture.person("robot"),
            parents: [rebuiltGood.id],
            previous: before.latestByAuthor[fixture.person("robot").publicIdentity.signingKey],
            time: fixture.now(),
            body: refused.body
        )
        for events in [[replanted], [rebuiltGood, chained]] {
            #expect(throws: EscrowError.self) { try fixture.ledger.append(events) }
            let after = fixture.ledger.state
            #expect(after.vaults == before.vaults)
            #expect(after.versionIDs == before.versionIDs)
            #expect(after.latestByAuthor == before.latestByAuthor)
            #expect(after.eventCount == before.eventCount)
            #expect(after.findings.count == before.findings.count)
            #expect(
                after.members.keys.sorted { $0.lexicographicallyPrecedes($1) }
                    == before.members.keys.sorted { $0.lexicographicallyPrecedes($1) }
            )
            #expect(fixture.ledger.graph.canonicalOrder == graphBefore.canonicalOrder)
            #expect(fixture.ledger.graph.heads == graphBefore.heads)
            try expectSameGraph(fixture.ledger.graph)
        }
        #expect(try fixture.reopen().state.eventCount == before.eventCount)
        // And the ledger still appends.
        try fixture.ledger.append([rebuiltGood])
        #expect(fixture.ledger.state.vault(named: "acme")?.entries["other"]?.count == 1)
        try expectSameGraph(fixture.ledger.graph)
    }

    /// Two events of one author appended side by side (neither on top of the other) are reported as an
    /// equivocation, as a cold build reports them.
    @Test func equivocationFoundWhenAppendedInPlace() throws {
        let fixture = try LedgerFixture()
        try fixture.appendEquivocation()
        #expect(fixture.ledger.graph.equivocations.count == 1)
        try expectSameGraph(fixture.ledger.graph)
    }
}

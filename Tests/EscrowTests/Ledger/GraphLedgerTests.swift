import Testing

@testable import Escrow

@Suite("GraphLedgerTests")
struct GraphLedgerTests {
    static func authors() throws -> [CustodianIdentity] {
        try ["alice", "bob", "carol", "dave"].enumerated().map { try ledgerIdentity($1, seedByte: UInt8($0 + 1)) }
    }

    @Test func canonicalOrderIgnoresInputOrder() throws {
        let dag = try LedgerRandomDAG(count: 200, authors: try Self.authors(), seed: 42)
        let reference = try EventGraph(events: dag.events)
        #expect(reference.count == 200)
        // Sorted by (height, id), and every parent comes first.
        var position: [EventID: Int] = [:]
        for (index, id) in reference.canonicalOrder.enumerated() { position[id] = index }
        for (index, id) in reference.canonicalOrder.enumerated() {
            let event = try #require(reference.event(id))
            for parent in event.parents { #expect(try #require(position[parent]) < index) }
            let height = try #require(reference.height(of: id))
            let expected = event.parents.isEmpty ? 0 : 1 + event.parents.map { reference.height(of: $0) ?? -1 }.max()!
            #expect(height == expected)
            if index > 0 {
                let before = reference.canonicalOrder[index - 1]
                let beforeHeight = try #require(reference.height(of: before))
                #expect(beforeHeight < height || (beforeHeight == height && before < id))
            }
        }
        #expect(reference.canonicalOrder.first == reference.genesis.id)
        var random = LedgerSplitMix(seed: 7)
        for _ in 0..<50 {
            let shuffled = try EventGraph(events: dag.events.shuffled(using: &random))
            #expect(shuffled.canonicalOrder == reference.canonicalOrder)
            #expect(shuffled.heads == reference.heads)
        }
        // Heads: exactly the events nobody names as a parent.
        let named = Set(dag.events.flatMap(\.parents))
        #expect(reference.heads == dag.events.map(\.id).filter { !named.contains($0) }.sorted())
        #expect(reference.equivocations.isEmpty)
    }

    @Test func isAncestorMatchesBruteForce() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let dag = try LedgerRandomDAG(count: 120, authors: try Self.authors(), seed: seed)
            let graph = try EventGraph(events: dag.events)
            for a in dag.events {
                let expectedAncestors = dag.ancestors[a.id] ?? []
                #expect(Set(graph.ancestors(of: a.id)) == expectedAncestors)
                for b in dag.events {
                    #expect(graph.isAncestor(b.id, of: a.id) == expectedAncestors.contains(b.id))
                }
            }
        }
    }

    @Test func addingMatchesBuildingAtOnce() throws {
        let dag = try LedgerRandomDAG(count: 150, authors: try Self.authors(), seed: 11)
        let whole = try EventGraph(events: dag.events)
        let first = try EventGraph(events: Array(dag.events.prefix(90)))
        let grown = try first.adding(Array(dag.events.suffix(80)))
        #expect(grown.canonicalOrder == whole.canonicalOrder)
        #expect(grown.heads == whole.heads)
        #expect(grown.count == 150)
        #expect(try grown.adding([]).count == 150)
        let secondGenesis = try ledgerGenesis(try ledgerIdentity("alice", seedByte: 1), name: "other")
        expectEscrowError(.tampered) { _ = try first.adding([secondGenesis]) }
    }

    @Test func missingParentNamed() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let genesis = try ledgerGenesis(alice)
        let lost = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id, tag: 1)
        let child = try ledgerEvent(alice, parents: [lost.id], previous: lost.id, tag: 2)
        let error = expectEscrowError(.notFound) { _ = try EventGraph(events: [genesis, child]) }
        #expect(
            error?.message
                == "event \(child.id.short) (roster by alice) names parent \(lost.id.short), "
                + "which is not in the store: "
                + "the store is incomplete (sync it) or an event was deleted"
        )
        let graph = try EventGraph(events: [genesis])
        expectEscrowError(.notFound) { _ = try graph.adding([child]) }
    }

    @Test func twoGenesisRefused() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let one = try ledgerGenesis(alice, name: "one")
        let two = try ledgerGenesis(alice, name: "two")
        let error = expectEscrowError(.tampered) { _ = try EventGraph(events: [one, two]) }
        #expect(error?.message.hasPrefix("the store has 2 genesis events") == true)
        expectEscrowError(.tampered) { _ = try EventGraph(events: []) }
        // A non-genesis event without parents.
        let orphan = try ledgerEvent(alice, parents: [], previous: nil)
        expectEscrowError(.malformedFile) { _ = try EventGraph(events: [one, orphan]) }
    }

    @Test func wrongStoreRefused() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let genesis = try ledgerGenesis(alice)
        let otherStore = [UInt8](repeating: 0xEE, count: 16)
        let foreign = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id, store: otherStore)
        let error = expectEscrowError(.tampered) { _ = try EventGraph(events: [genesis, foreign]) }
        #expect(error?.message.contains("belongs to store eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee") == true)
        // The expected store id, when given, wins over the genesis's.
        expectEscrowError(.tampered) { _ = try EventGraph(events: [genesis], store: otherStore) }
        #expect(try EventGraph(events: [genesis], store: ledgerStoreID).count == 1)
    }

    @Test func previousMustBeOwnAncestor() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let bob = try ledgerIdentity("bob", seedByte: 2)
        let genesis = try ledgerGenesis(alice)
        let bobFirst = try ledgerEvent(bob, parents: [genesis.id], previous: nil, tag: 1)
        let stolen = try ledgerEvent(alice, parents: [bobFirst.id], previous: bobFirst.id, tag: 2)
        let stolenError = expectEscrowError(.tampered) { _ = try EventGraph(events: [genesis, bobFirst, stolen]) }
        #expect(stolenError?.message.contains("which another key signed") == true)
        let side = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id, tag: 3)
        let notAncestor = try ledgerEvent(alice, parents: [bobFirst.id], previous: side.id, tag: 4)
        let error = expectEscrowError(.tampered) { _ = try EventGraph(events: [genesis, bobFirst, side, notAncestor]) }
        #expect(error?.message.contains("which is not among its ancestors") == true)
    }

    @Test func equivocationOfTwoBranches() throws {
        let alice = try ledgerIdentity("alice", seedByte: 1)
        let bob = try ledgerIdentity("bob", seedByte: 2)
        let genesis = try ledgerGenesis(alice)
        let a1 = try ledgerEvent(alice, parents: [genesis.id], previous: genesis.id, tag: 1)
        let x1 = try ledgerEvent(alice, parents: [a1.id], previous: a1.id, tag: 2)
        let x2 = try ledgerEvent(alice, parents: [x1.id], previous: x1.id, tag: 3)
        let y1 = try ledgerEvent(alice, parents: [a1.id], previous: a1.id, tag: 4)
        let y2 = try ledgerEvent(alice, parents: [y1.id], previous: y1.id, tag: 5)
        let b1 = try ledgerEvent(bob, parents: [x2.id, y2.id], previous: nil, tag: 6)
        let b2 = try ledgerEvent(bob, parents: [b1.id], previous: b1.id, tag: 7)
        let graph = try EventGraph(events: [b2, y2, genesis, x1, b1, a1, y1, x2])
        let found = graph.equivocations.map { Set([$0.0, $0.1]) }
        // Each height's two branch events form a pair; the later height's first event pairs with the other branch's
        // surviving tip.
        let (first2, second2) = x2.id < y2.id ? (x2.id, y2.id) : (y2.id, x2.id)
        let crossing: Set<EventID> = first2 == x2.id ? [y1.id, x2.id] : [x1.id, y2.id]
        #expect(Set(found) == Set([Set([x1.id, y1.id]), crossing, Set([first2, second2])]))
        #expect(graph.equivocations.count == 3)
        for (a, b) in graph.equivocations {
            #expect(graph.event(a)?.author.key == alice.publicIdentity.signingKey)
            #expect(!graph.isAncestor(a, of: b) && !graph.isAncestor(b, of: a))
            #expect(
                try #require(graph.canonicalOrder.firstIndex(of: a)) < #require(graph.canonicalOrder.firstIndex(of: b))
            )
        }
        // Without the second branch, nobody equivocates.
        let linear = try EventGraph(events: [genesis, a1, x1, x2])
        #expect(linear.equivocations.isEmpty)
    }

    @Test func equivocationWitnessesEveryForkOnRandomDAGs() throws {
        let forker = try ledgerIdentity("mallory", seedByte: 66)
        for seed in [5, 6, 7] as [UInt64] {
            let dag = try LedgerRandomDAG(count: 150, authors: try Self.authors(), seed: seed, forker: forker)
            let graph = try EventGraph(events: dag.events)
            let reported = graph.equivocations
            #expect(!reported.isEmpty)
            let position = Dictionary(uniqueKeysWithValues: graph.canonicalOrder.enumerated().map { ($1, $0) })
            for (a, b) in reported {
                #expect(graph.event(a)?.author.key == graph.event(b)?.author.key)
                #expect(!dag.isAncestor(a, of: b) && !dag.isAncestor(b, of: a))
            }
            let byAuthor = Dictionary(grouping: dag.events, by: \.author.key)
            for own in byAuthor.values {
                let sorted = own.sorted { position[$0.id, default: 0] < position[$1.id, default: 0] }
                for (i, x) in sorted.enumerated() {
                    for y in sorted[(i + 1)...] where !dag.isAncestor(x.id, of: y.id) && !dag.isAncestor(y.id, of: x.id)
                    {
                        // Some reported (t, y) with t = x or t descending from x.
                        let witnessed = reported.contains { t, z in
                            z == y.id && (t == x.id || dag.isAncestor(x.id, of: t))
                        }
                        #expect(witnessed, "fork \(x.id.short) / \(y.id.short) is not witnessed")
                    }
                }
                if own.first?.author.key != forker.publicIdentity.signingKey {
                    #expect(!reported.contains { graph.event($0.0)?.author.key == own.first?.author.key })
                }
            }
        }
    }
}

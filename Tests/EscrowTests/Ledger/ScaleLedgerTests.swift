import Foundation
import Testing

@testable import Escrow

/// The graph at the size the brief names (100,000 events). Slow to set up (every event is signed and verified), so it
/// runs only when `ESCROW_LEDGER_SCALE` is set: `ESCROW_LEDGER_SCALE=100000 swift test --filter ScaleLedgerTests`.
@Suite("ScaleLedgerTests", .enabled(if: ProcessInfo.processInfo.environment["ESCROW_LEDGER_SCALE"] != nil))
struct ScaleLedgerTests {
    @Test func largeGraph() throws {
        let count = Int(ProcessInfo.processInfo.environment["ESCROW_LEDGER_SCALE"] ?? "") ?? 100_000
        let authors = try (0..<20).map { try ledgerIdentity("member\($0)", seedByte: UInt8($0 + 1)) }
        var random = LedgerSplitMix(seed: 99)
        var events = [try ledgerGenesis(authors[0])]
        var last: [Int: EventID] = [0: events[0].id]
        let started = Date()
        for tag in 1..<count {
            let author = Int(random.next() % 20)
            var parents: Set<EventID> = [
                events[events.count - 1 - Int(random.next() % UInt64(min(events.count, 30)))].id
            ]
            if let own = last[author] { parents.insert(own) }
            let event = try ledgerEvent(
                authors[author],
                parents: Array(parents),
                previous: last[author],
                tag: Int64(tag)
            )
            events.append(event)
            last[author] = event.id
        }
        print("signed \(count) events in \(Date().timeIntervalSince(started)) s")

        var clock = Date()
        let graph = try EventGraph(events: events.shuffled(using: &random))
        print("built the graph in \(Date().timeIntervalSince(clock)) s; \(graph.heads.count) heads")
        #expect(graph.count == count)
        #expect(graph.equivocations.isEmpty)

        clock = Date()
        let grown = try EventGraph(events: Array(events.prefix(count - 1000))).adding(Array(events.suffix(1000)))
        print("built 99% and added 1% in \(Date().timeIntervalSince(clock)) s")
        #expect(grown.canonicalOrder == graph.canonicalOrder)

        clock = Date()
        var found = 0
        for _ in 0..<1000 {
            let a = events[Int(random.next() % UInt64(count))].id
            let b = events[count - 1 - Int(random.next() % 100)].id
            if graph.isAncestor(a, of: b) { found += 1 }
        }
        print(
            "1000 isAncestor queries (old event, recent event) in \(Date().timeIntervalSince(clock)) s; \(found) true"
        )
        clock = Date()
        for _ in 0..<1000 {
            let a = events[count - 200 - Int(random.next() % 100)].id
            let b = events[count - 1 - Int(random.next() % 100)].id
            _ = graph.isAncestor(a, of: b)
        }
        print("1000 isAncestor queries (recent, recent) in \(Date().timeIntervalSince(clock)) s")
    }
}

import Testing

@testable import Escrow

/// A graph restored from a fold snapshot's tables (``EventGraph/init(restoring:)``) behaves exactly as the graph it
/// was written from, before and after events are added on top; inconsistent tables are refused.
@Suite("GraphSnapshotTests")
struct GraphSnapshotTests {
    static func authors() throws -> [CustodianIdentity] {
        try ["alice", "bob", "carol"].enumerated().map { try ledgerIdentity($1, seedByte: UInt8($0 + 1)) }
    }

    /// Random DAG events written to a store, so that restored events can read their payloads.
    struct Setup {
        let directory: TemporaryDirectory
        let files: EventFiles
        let dag: LedgerRandomDAG
    }

    static func setup(seed: UInt64, count: Int = 160) throws -> Setup {
        let forker = try ledgerIdentity("mallory", seedByte: 66)
        let dag = try LedgerRandomDAG(count: count, authors: try authors(), seed: seed, forker: forker)
        let directory = try TemporaryDirectory()
        let store = try StoreDirectory.create(at: directory.file("store"), genesis: dag.events[0])
        _ = try store.write(Array(dag.events.dropFirst()))
        return Setup(directory: directory, files: EventFiles(directory: store), dag: dag)
    }

    static func encoded(_ graph: EventGraph) -> [UInt8] {
        var writer = SnapshotWriter(interning: true)
        FoldSnapshot.writeGraph(graph, to: &writer)
        return writer.tables() + writer.bytes
    }

    static func restored(_ graph: EventGraph, files: EventFiles) throws -> EventGraph {
        var reader = SnapshotReader(encoded(graph))
        try reader.readTables()
        let restored = try FoldSnapshot.readGraph(from: &reader, store: graph.store, files: files)
        #expect(reader.isAtEnd)
        return restored
    }

    /// Every observable of the two graphs is the same (ancestry exhaustively).
    static func expectEqual(
        _ restored: EventGraph,
        _ built: EventGraph,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectSameGraph(restored, built, sourceLocation: sourceLocation)
        #expect(restored.genesis.id == built.genesis.id, sourceLocation: sourceLocation)
        #expect(restored.authorTips == built.authorTips, sourceLocation: sourceLocation)
        #expect(
            restored.equivocationPositions.map { [$0.0, $0.1] } == built.equivocationPositions.map { [$0.0, $0.1] },
            sourceLocation: sourceLocation
        )
        #expect(Array(restored.events.map(\.id)) == built.canonicalOrder, sourceLocation: sourceLocation)
        for (position, id) in built.canonicalOrder.enumerated() {
            let (lhs, rhs) = (restored.event(id), built.event(id))
            #expect(lhs?.type == rhs?.type, sourceLocation: sourceLocation)
            #expect(lhs?.author == rhs?.author, sourceLocation: sourceLocation)
            #expect(lhs?.parents == rhs?.parents, sourceLocation: sourceLocation)
            #expect(lhs?.previous == rhs?.previous, sourceLocation: sourceLocation)
            #expect(lhs?.time == rhs?.time, sourceLocation: sourceLocation)
            #expect(restored.contains(id), sourceLocation: sourceLocation)
            #expect(restored.height(at: position) == built.height(at: position), sourceLocation: sourceLocation)
            #expect(
                Array(restored.parentPositions(at: position)) == Array(built.parentPositions(at: position)),
                sourceLocation: sourceLocation
            )
            #expect(restored.ancestors(of: id) == built.ancestors(of: id), sourceLocation: sourceLocation)
            for other in built.canonicalOrder {
                #expect(
                    restored.isAncestor(other, of: id) == built.isAncestor(other, of: id),
                    sourceLocation: sourceLocation
                )
            }
        }
        let absent = EventID.hashing(Array("not an event".utf8))
        #expect(!restored.contains(absent) && restored.event(absent) == nil, sourceLocation: sourceLocation)
        #expect(restored.height(of: absent) == nil, sourceLocation: sourceLocation)
        // Written again, a restored graph gives the same bytes.
        #expect(encoded(restored) == encoded(built), sourceLocation: sourceLocation)
    }

    @Test func restoredEqualsBuiltThenGrowsAlike() throws {
        for seed in [21, 22, 23, 24] as [UInt64] {
            let setup = try Self.setup(seed: seed)
            let events = setup.dag.events
            var built = try EventGraph(events: Array(events.prefix(90)))
            var restored = try Self.restored(built, files: setup.files)
            #expect(!built.equivocations.isEmpty)
            Self.expectEqual(restored, built)
            // A restored event reads its payload from the store, checked against its id.
            let last = try #require(events.prefix(90).last)
            #expect(restored.event(last.id)?.body == last.body)
            #expect(restored.event(last.id)?.isLoaded == true)

            // Grow both alike: in place when the new events sort last, else by `adding`; a trial rolled back
            // leaves both as they were.
            var random = LedgerSplitMix(seed: seed)
            var rest = Array(events.dropFirst(90))
            while !rest.isEmpty {
                let take = min(rest.count, 1 + Int(random.next() % 6))
                let batch = Array(rest.prefix(take))
                rest.removeFirst(take)
                var builtCheckpoint = built.checkpoint()
                var restoredCheckpoint = restored.checkpoint()
                let extendedBuilt = try built.extend(with: batch, recordingIn: &builtCheckpoint)
                let extendedRestored = try restored.extend(with: batch, recordingIn: &restoredCheckpoint)
                #expect(extendedBuilt == extendedRestored)
                if extendedBuilt, random.next() % 3 == 0 {
                    built.rollBack(to: builtCheckpoint)
                    restored.rollBack(to: restoredCheckpoint)
                    #expect(restored.canonicalOrder == built.canonicalOrder)
                    #expect(restored.heads == built.heads && restored.authorTips == built.authorTips)
                    _ = try built.extend(with: batch, recordingIn: &builtCheckpoint)
                    _ = try restored.extend(with: batch, recordingIn: &restoredCheckpoint)
                } else if !extendedBuilt {
                    built = try built.adding(batch)
                    restored = try restored.adding(batch)
                }
                #expect(restored.canonicalOrder == built.canonicalOrder)
                #expect(restored.heads == built.heads)
                #expect(restored.equivocations.map { [$0.0, $0.1] } == built.equivocations.map { [$0.0, $0.1] })
            }
            Self.expectEqual(restored, built)
            Self.expectEqual(restored, try EventGraph(events: events))
            // Restored again after growing.
            Self.expectEqual(try Self.restored(restored, files: setup.files), built)
        }
    }

    @Test func restoredGraphOnTopOfWhichEveryEventIsRolledBack() throws {
        let setup = try Self.setup(seed: 31, count: 60)
        let events = setup.dag.events
        let built = try EventGraph(events: events)
        var restored = try Self.restored(built, files: setup.files)
        let before = restored
        let alice = try Self.authors()[0]
        let own = try #require(events.last { $0.author.key == alice.publicIdentity.signingKey })
        let child = try ledgerEvent(alice, parents: restored.heads, previous: own.id, tag: 999)
        var checkpoint = restored.checkpoint()
        #expect(try restored.extend(with: [child], recordingIn: &checkpoint))
        #expect(restored.contains(child.id) && restored.count == before.count + 1)
        restored.rollBack(to: checkpoint)
        #expect(!restored.contains(child.id))
        Self.expectEqual(restored, built)
        // A bad event on top is refused and leaves the restored graph as it was.
        let bad = try ledgerEvent(alice, parents: restored.heads, previous: child.id, tag: 1000)
        var second = restored.checkpoint()
        expectEscrowError(.notFound) { _ = try restored.extend(with: [bad], recordingIn: &second) }
        Self.expectEqual(restored, built)
    }

    /// The tables of `graph`, as ``FoldSnapshot/readGraph(from:store:files:)`` passes them.
    static func tables(of graph: EventGraph, files: EventFiles) -> EventGraph.Tables {
        var types: [String] = []
        var authors: [EventAuthor] = []
        var typeIndices: [Int32] = []
        var authorIndices: [Int32] = []
        var previous: [Int32] = []
        var times: [Int64] = []
        var parentStarts = [0]
        var parentList: [Int] = []
        for position in 0..<graph.count {
            let header = graph.header(at: position)
            if !types.contains(header.type) { types.append(header.type) }
            if !authors.contains(header.author) { authors.append(header.author) }
            typeIndices.append(Int32(types.firstIndex(of: header.type) ?? 0))
            authorIndices.append(Int32(authors.firstIndex(of: header.author) ?? 0))
            previous.append(Int32(header.previous ?? -1))
            times.append(header.time.secondsSinceEpoch)
            parentList += graph.parentPositions(at: position)
            parentStarts.append(parentList.count)
        }
        let sorted = graph.canonicalOrder.enumerated().sorted { $0.element < $1.element }
        return EventGraph.Tables(
            sortedIDs: sorted.map(\.element),
            sortedPositions: sorted.map(\.offset),
            heights: (0..<graph.count).map { graph.height(at: $0) },
            parentStarts: parentStarts,
            parentList: parentList,
            headers: EventHeaders(
                store: graph.store,
                types: types,
                authors: authors,
                typeIndices: typeIndices,
                authorIndices: authorIndices,
                previous: previous,
                times: times,
                files: files
            ),
            authorTips: graph.authorTips,
            equivocationPositions: graph.equivocationPositions
        )
    }

    static func headers(
        _ headers: EventHeaders,
        typeIndices: [Int32]? = nil,
        authorIndices: [Int32]? = nil,
        previous: [Int32]? = nil,
        times: [Int64]? = nil
    ) -> EventHeaders {
        EventHeaders(
            store: headers.store,
            types: headers.types,
            authors: headers.authors,
            typeIndices: typeIndices ?? headers.typeIndices,
            authorIndices: authorIndices ?? headers.authorIndices,
            previous: previous ?? headers.previous,
            times: times ?? headers.times,
            files: headers.files
        )
    }

    @Test func inconsistentTablesAreRefused() throws {
        let setup = try Self.setup(seed: 41, count: 80)
        let built = try EventGraph(events: setup.dag.events)
        let good = Self.tables(of: built, files: setup.files)
        Self.expectEqual(try EventGraph(restoring: good), built)
        #expect(!good.equivocationPositions.isEmpty)
        let last = built.count - 1
        let child = try #require((1...last).first { built.parentPositions(at: $0).count == 1 })
        let withPrevious = try #require((1...last).first { built.header(at: $0).previous != nil })
        let tipKey = try #require(good.authorTips.first { !$0.value.tips.isEmpty }?.key)
        let otherKey = try #require(good.headers.authors.first { $0.key != tipKey }?.key)
        let otherAuthorEvent = try #require((0...last).first { built.header(at: $0).author.key == otherKey })

        var cases: [(String, (inout EventGraph.Tables) -> Void)] = [
            (
                "no events",
                { tables in
                    let headers = Self.headers(
                        tables.headers,
                        typeIndices: [],
                        authorIndices: [],
                        previous: [],
                        times: []
                    )
                    tables = EventGraph.Tables(
                        sortedIDs: [],
                        sortedPositions: [],
                        heights: [],
                        parentStarts: [0],
                        parentList: [],
                        headers: headers,
                        authorTips: [:],
                        equivocationPositions: []
                    )
                }
            ),
            ("a height too few", { $0.heights.removeLast() }),
            ("a parent start too many", { $0.parentStarts.append($0.parentList.count) }),
            ("parents past the list", { $0.parentStarts[last + 1] += 1 }),
            ("a parent out of range", { $0.parentList[$0.parentStarts[child]] = built.count + 5 }),
            ("a negative parent", { $0.parentList[$0.parentStarts[child]] = -1 }),
            ("a parent after its child", { $0.parentList[$0.parentStarts[child]] = child }),
            ("a wrong height", { $0.heights[last] += 1 }),
            (
                "out of canonical order",
                { tables in
                    // The last two events trade positions.
                    tables.sortedPositions = tables.sortedPositions.map {
                        $0 == last ? last - 1 : $0 == last - 1 ? last : $0
                    }
                }
            ),
            ("ids not sorted", { $0.sortedIDs.swapAt(0, 1) }),
            ("a repeated id", { $0.sortedIDs[1] = $0.sortedIDs[0] }),
            ("positions not a permutation", { $0.sortedPositions[0] = $0.sortedPositions[1] }),
            ("a position out of range", { $0.sortedPositions[0] = built.count }),
            ("a position too few", { $0.sortedPositions.removeLast() }),
            (
                "a type index out of range",
                { tables in
                    tables.headers = Self.headers(
                        tables.headers,
                        typeIndices: tables.headers.typeIndices.map { _ in 99 }
                    )
                }
            ),
            (
                "a second genesis",
                { tables in
                    var types = tables.headers.typeIndices
                    types[last] = types[0]
                    tables.headers = Self.headers(tables.headers, typeIndices: types)
                }
            ),
            (
                "an author index out of range",
                { tables in
                    var authors = tables.headers.authorIndices
                    authors[last] = -3
                    tables.headers = Self.headers(tables.headers, authorIndices: authors)
                }
            ),
            (
                "a previous event after its event",
                { tables in
                    var previous = tables.headers.previous
                    previous[withPrevious] = Int32(last + 1)
                    tables.headers = Self.headers(tables.headers, previous: previous)
                }
            ),
            (
                "a previous event of another author",
                { tables in
                    var previous = tables.headers.previous
                    let other = (0..<withPrevious).first {
                        built.header(at: $0).author.key != built.header(at: withPrevious).author.key
                    }
                    previous[withPrevious] = Int32(other ?? 0)
                    tables.headers = Self.headers(tables.headers, previous: previous)
                }
            ),
            ("a tip out of range", { $0.authorTips[tipKey]?.tips.append(built.count) }),
            ("a tip of another author", { $0.authorTips[tipKey]?.tips.append(otherAuthorEvent) }),
            ("an equivocation out of range", { $0.equivocationPositions.append((1, built.count)) }),
            ("an equivocation out of order", { $0.equivocationPositions.insert((5, 3), at: 0) }),
            ("fewer times", { $0.headers = Self.headers($0.headers, times: []) }),
        ]
        cases.append(("a tip that is negative", { $0.authorTips[tipKey]?.tips.append(-1) }))
        for (name, corrupt) in cases {
            var tables = good
            corrupt(&tables)
            let error = expectEscrowError(.malformedFile) { _ = try EventGraph(restoring: tables) }
            #expect(error?.message.hasPrefix("the fold snapshot is malformed") == true, "\(name)")
        }
    }

    /// Corrupt packed blocks are refused by the reader.
    @Test func malformedPackedIntegersAreRefused() throws {
        var bytes: [UInt8] = []
        for value in [0, 1, 127, 128, 300, 1 << 35] { PackedIntegers.append(value, to: &bytes) }
        #expect(try PackedIntegers.decode(bytes, count: 6) == [0, 1, 127, 128, 300, 1 << 35])
        var signed: [UInt8] = []
        for value in [0, -1, 1, Int64.min, Int64.max, -300] as [Int64] {
            PackedIntegers.appendSigned(value, to: &signed)
        }
        #expect(try PackedIntegers.decodeSigned(signed, count: 6) == [0, -1, 1, Int64.min, Int64.max, -300])
        expectEscrowError(.malformedFile) { _ = try PackedIntegers.decode(bytes, count: 5) }  // trailing
        expectEscrowError(.malformedFile) { _ = try PackedIntegers.decode(bytes, count: 7) }  // too few
        expectEscrowError(.malformedFile) { _ = try PackedIntegers.decode([0x80], count: 1) }  // cut short
        expectEscrowError(.malformedFile) {
            _ = try PackedIntegers.decode([UInt8](repeating: 0xFF, count: 11) + [1], count: 1)
        }
        expectEscrowError(.malformedFile) {
            _ = try PackedIntegers.decode([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1], count: 1)
        }
    }

    /// The id index finds exactly what a dictionary finds through random inserts and removals of the last ids.
    @Test(arguments: [0, 300]) func eventIndexFindsEveryPosition(sortedCount: Int) throws {
        var random = LedgerSplitMix(seed: 9)
        // A sorted part of `sortedCount` ids (as restored), then ids placed on top and removed again (as extended
        // and rolled back); positions follow ids, so an id at position p is made of (p, round).
        func id(_ position: Int, _ round: Int) -> EventID {
            EventID.hashing([UInt8(round & 0xFF), UInt8(position & 0xFF), UInt8(position >> 8)])
        }
        var ids = (0..<sortedCount).map { id($0, 999) }
        let sorted = ids.enumerated().sorted { $0.element < $1.element }
        var index = try EventIndex(sortedIDs: sorted.map(\.element), positions: sorted.map(\.offset))
        #expect(index.canonicalOrderOfSortedPart == ids)
        for round in 0..<400 {
            for _ in 0..<(1 + Int(random.next() % 40)) {
                ids.append(id(ids.count, round))
                index.insert(ids.count - 1, of: ids)
            }
            let shrink = Int(random.next() % UInt64(ids.count - sortedCount + 1)) / 2
            for position in (ids.count - shrink..<ids.count).reversed() { index.remove(position, of: ids) }
            ids.removeLast(shrink)
            #expect(index.count == ids.count)
            if round % 40 == 0 || round == 399 {
                for (position, id) in ids.enumerated() { #expect(index.position(of: id, in: ids) == position) }
                #expect(index.position(of: EventID.hashing([1, 2, 3, 4, 5]), in: ids) == nil)
                let entries = index.sortedEntries(of: ids)
                #expect(entries.map(\.id) == ids.sorted())
                #expect(entries.allSatisfy { ids[$0.position] == $0.id })
                #expect(EventIndex(ids).count == ids.count)
            }
        }
    }
}

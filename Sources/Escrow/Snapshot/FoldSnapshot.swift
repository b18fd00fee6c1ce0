import Sodium

/// A verified fold kept between commands in the user's state directory, so that a command on a store of 100,000
/// events reads and verifies only the events added since, instead of every event.
///
/// **What it holds.** The graph as it was built, restored without recomputing it: the events' headers in canonical
/// order (id, height, parents, type, author, previous, time; no body, signature or bytes: those are read on demand,
/// see ``EventFiles``), each author key's equivocation search state (tips, pairs reported, whether it stopped) and
/// the equivocations; then the fold's state. The encoding is binary and written by hand (``SnapshotWriter``,
/// ``SnapshotReader``); the graph's per-event tables are flat blocks (``PackedIntegers``) so that a graph of 100,000
/// events is read in a few passes, and no ``Event`` is made until one is used (``EventHeaders``):
///
/// ```
/// "escrow-fold-snapshot\n"  format (1 byte, 4)  MAC (32 bytes)  body
/// body: store (16) genesis (32) strings[] blobs[] graph state equivocationFindingCount directoryStamps
/// graph: eventCount authors[] types[] ids (eventCount × 32 bytes, sorted)
///        blocks (byte count, then one LEB128 number per entry): the sorted ids' canonical positions; then in
///        canonical order heights, parent counts, parents (position − parent, in each event's order), type
///        indices, author indices, previous (position − previous, 0 for none), times (zigzag deltas)
///        authorTips[] (key, reported, isDone, tips[] as positions)  equivocations[] (position pairs)
/// (after the tables, every string and byte string is an index into them)
/// ```
///
/// Runs and heads are derived in one pass on restore; the sorted ids are the id index (``EventIndex``). Every
/// table is bounds-checked and checked for shape (``EventGraph/init(restoring:)``): an inconsistent snapshot is
/// refused (a cold open), never a crash.
///
/// **Why it can be trusted.** Only this user's own process writes it, after the events it covers were verified and
/// folded; it is authenticated with a keyed BLAKE2b (``GenericHash``) under a random key kept next to it (0600),
/// over a context string, the store id, the genesis id, the format and the body. A snapshot whose MAC fails, of
/// another store or genesis, or of another format is never used (the caller opens cold and writes a new one). Nothing
/// from the store is trusted because of it: event files are checked against their ids when read.
enum FoldSnapshot {
    /// The format this build reads and writes.
    static let format: UInt8 = 4
    /// The first bytes of a snapshot file.
    static let magic = Array("escrow-fold-snapshot\n".utf8)
    /// The MAC's length.
    static let macCount = 32
    /// The MAC key's length.
    static let keyCount = 32
    private static let macContext = Array("escrow-fold-snapshot-mac-v1".utf8)

    /// Encodes `fold` and authenticates it under `key`.
    ///
    /// - Parameters:
    ///   - fold: A fold of verified events, outside a trial.
    ///   - key: The user's snapshot key (``keyCount`` bytes).
    /// - Returns: The file's bytes.
    /// - Complexity: O(events + state).
    static func encode(_ fold: Fold, key: SecureBytes) -> [UInt8] {
        var writer = SnapshotWriter(capacity: fold.graph.count * 80, interning: true)
        let graph = fold.graph
        writeGraph(graph, to: &writer)
        writer.state(fold.state)
        writer.count(fold.equivocationFindingCount)
        writer.stamps(fold.stamps)
        var header = SnapshotWriter()
        header.fixed(graph.store)
        header.id(graph.genesis.id)
        let body = header.bytes + writer.tables() + writer.bytes
        return sealed(body, key: key, store: graph.store, genesis: graph.genesis.id)
    }

    /// The file's bytes for `body`: the magic, the format and the MAC over `body` bound to `store` and `genesis`.
    ///
    /// - Parameters:
    ///   - body: The encoded body.
    ///   - key: The user's snapshot key.
    ///   - store: The store id.
    ///   - genesis: The genesis id.
    /// - Returns: The file's bytes.
    static func sealed(_ body: [UInt8], key: SecureBytes, store: [UInt8], genesis: EventID) -> [UInt8] {
        magic + [format] + mac(body[...], store: store, genesis: genesis, key: key) + body
    }

    /// Decodes a snapshot written by ``encode(_:key:)`` for the store `store` with genesis `genesis`.
    ///
    /// - Parameters:
    ///   - bytes: The file's bytes.
    ///   - key: The user's snapshot key.
    ///   - store: The store id the snapshot must be of.
    ///   - genesis: The genesis it must be of.
    ///   - files: Where the restored events read their payloads.
    /// - Returns: The fold, or `nil` if the snapshot is of another format, store or genesis, or fails its MAC.
    /// - Throws: ``EscrowError/Code/malformedFile`` if the authenticated body is malformed (a bug: it was written by
    ///   this program); callers treat it as an unusable snapshot.
    /// - Complexity: O(events + state).
    static func decode(
        _ bytes: [UInt8],
        key: SecureBytes,
        store: [UInt8],
        genesis: EventID,
        files: EventFiles
    ) throws(EscrowError) -> Fold? {
        let headerCount = magic.count + 1 + macCount
        guard bytes.count > headerCount, bytes.starts(with: magic), bytes[magic.count] == format else { return nil }
        let mac = Array(bytes[(magic.count + 1)..<headerCount])
        // The body is read in place (a snapshot of 100,000 events is megabytes: no copy of it but the MAC's input).
        let expected = self.mac(bytes[headerCount...], store: store, genesis: genesis, key: key)
        guard Sodium.constantTimeEquals(mac, expected) else { return nil }
        var reader = SnapshotReader(bytes, from: headerCount)
        guard try reader.fixed(Event.storeIDByteCount) == store, try reader.id() == genesis else { return nil }
        try reader.readTables()
        let graph = try readGraph(from: &reader, store: store, files: files)
        guard graph.genesis.id == genesis else { return nil }
        var fold = Fold(graph: graph)
        fold.files = files
        fold.state = try reader.state()
        fold.equivocationFindingCount = try reader.count()
        fold.stamps = try reader.stamps()
        guard reader.isAtEnd, fold.equivocationFindingCount <= fold.state.findings.count else {
            throw EscrowError(.malformedFile, "the fold snapshot is malformed (trailing data)")
        }
        return fold
    }

    private static func mac(_ body: ArraySlice<UInt8>, store: [UInt8], genesis: EventID, key: SecureBytes) -> [UInt8] {
        var header = SnapshotWriter()
        header.data(macContext)
        header.data(store)
        header.id(genesis)
        header.byte(format)
        var input = header.bytes
        input.reserveCapacity(input.count + body.count)
        input += body
        return GenericHash.hash(input, key: key, count: macCount)
    }

    // MARK: Graph

    /// Appends the graph's tables (see the type's discussion).
    static func writeGraph(_ graph: EventGraph, to writer: inout SnapshotWriter) {
        var authors: [EventAuthor: Int] = [:]
        var authorList: [EventAuthor] = []
        var types: [String: Int] = [:]
        var typeList: [String] = []
        let count = graph.count
        var heights: [UInt8] = []
        var parentCounts: [UInt8] = []
        var parents: [UInt8] = []
        var typeIndices: [UInt8] = []
        var authorIndices: [UInt8] = []
        var previous: [UInt8] = []
        var times: [UInt8] = []
        var lastTime: Int64 = 0
        for position in 0..<count {
            let header = graph.header(at: position)
            if authors[header.author] == nil {
                authors[header.author] = authorList.count
                authorList.append(header.author)
            }
            if types[header.type] == nil {
                types[header.type] = typeList.count
                typeList.append(header.type)
            }
            PackedIntegers.append(graph.height(at: position), to: &heights)
            let parentPositions = graph.parentPositions(at: position)
            PackedIntegers.append(parentPositions.count, to: &parentCounts)
            for parent in parentPositions { PackedIntegers.append(position - parent, to: &parents) }
            PackedIntegers.append(types[header.type] ?? 0, to: &typeIndices)
            PackedIntegers.append(authors[header.author] ?? 0, to: &authorIndices)
            PackedIntegers.append(header.previous.map { position - $0 } ?? 0, to: &previous)
            let time = header.time.secondsSinceEpoch
            PackedIntegers.appendSigned(time &- lastTime, to: &times)
            lastTime = time
        }
        writer.count(count)
        writer.count(authorList.count)
        for author in authorList {
            writer.string(author.name)
            writer.data(author.key)
        }
        writer.count(typeList.count)
        for type in typeList { writer.string(type) }
        let sorted = graph.sortedEntries()
        var ids: [UInt8] = []
        ids.reserveCapacity(count * EventID.byteCount)
        var positions: [UInt8] = []
        for entry in sorted {
            ids += entry.id.bytes
            PackedIntegers.append(entry.position, to: &positions)
        }
        writer.fixed(ids)
        for block in [positions, heights, parentCounts, parents, typeIndices, authorIndices, previous, times] {
            writer.count(block.count)
            writer.fixed(block)
        }
        let tips = graph.authorTips.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        writer.count(tips.count)
        for (key, author) in tips {
            writer.data(key)
            writer.count(author.reported)
            writer.bool(author.isDone)
            writer.count(author.tips.count)
            for tip in author.tips { writer.count(tip) }
        }
        writer.count(graph.equivocationPositions.count)
        for (first, second) in graph.equivocationPositions {
            writer.count(first)
            writer.count(second)
        }
    }

    /// Reads what ``writeGraph(_:to:)`` wrote: the graph as it was, its events made on first use.
    ///
    /// - Throws: ``EscrowError/Code/malformedFile`` if the tables are malformed or inconsistent.
    static func readGraph(
        from reader: inout SnapshotReader,
        store: [UInt8],
        files: EventFiles
    ) throws(EscrowError) -> EventGraph {
        func malformed(_ what: String) -> EscrowError {
            EscrowError(.malformedFile, "the fold snapshot is malformed (\(what))")
        }
        let count = try reader.count(ofItemsAtLeast: EventID.byteCount + 7)
        guard count > 0 else { throw malformed("no events") }
        var authors: [EventAuthor] = []
        for _ in 0..<(try reader.count(ofItemsAtLeast: 2)) {
            let name = try reader.string()
            authors.append(EventAuthor(name: name, key: try reader.data()))
        }
        var types: [String] = []
        for _ in 0..<(try reader.count(ofItemsAtLeast: 1)) { types.append(try reader.string()) }
        let rawIDs = try reader.fixed(count * EventID.byteCount)
        let sortedIDs = rawIDs.withUnsafeBytes { raw in
            (0..<count).map { EventID(raw: raw, at: $0 * EventID.byteCount) }
        }
        func block(_ numbers: Int) throws(EscrowError) -> [Int] {
            try PackedIntegers.decode(try reader.fixed(try reader.count()), count: numbers)
        }
        let sortedPositions = try block(count)
        let heights = try block(count)
        let parentCounts = try block(count)
        var parentStarts = [0]
        parentStarts.reserveCapacity(count + 1)
        for parentCount in parentCounts {
            // Each parent takes at least a byte of the snapshot: the sum stays far below overflow.
            parentStarts.append(parentStarts[parentStarts.count - 1] + parentCount)
        }
        var parentList = try block(parentStarts[count])
        for position in 0..<count {
            for slot in parentStarts[position]..<parentStarts[position + 1] {
                parentList[slot] = position - parentList[slot]
            }
        }
        func indices(_ numbers: [Int]) -> [Int32] { numbers.map { Int32(clamping: $0) } }
        let typeIndices = indices(try block(count))
        let authorIndices = indices(try block(count))
        let previousOffsets = try block(count)
        guard previousOffsets.indices.allSatisfy({ previousOffsets[$0] <= $0 }) else {
            throw malformed("a previous event does not precede")
        }
        let previous = (0..<count).map { Int32(clamping: previousOffsets[$0] == 0 ? -1 : $0 - previousOffsets[$0]) }
        var times = try PackedIntegers.decodeSigned(try reader.fixed(try reader.count()), count: count)
        for position in times.indices.dropFirst() { times[position] = times[position] &+ times[position - 1] }

        var authorTips: [[UInt8]: EventGraph.AuthorTips] = [:]
        for _ in 0..<(try reader.count(ofItemsAtLeast: 4)) {
            let key = try reader.data()
            var author = EventGraph.AuthorTips()
            author.reported = try reader.count()
            author.isDone = try reader.bool()
            for _ in 0..<(try reader.count(ofItemsAtLeast: 1)) { author.tips.append(try reader.count()) }
            guard authorTips.updateValue(author, forKey: key) == nil else { throw malformed("an author is repeated") }
        }
        var equivocations: [(Int, Int)] = []
        for _ in 0..<(try reader.count(ofItemsAtLeast: 2)) {
            let first = try reader.count()
            equivocations.append((first, try reader.count()))
        }
        let headers = EventHeaders(
            store: store,
            types: types,
            authors: authors,
            typeIndices: typeIndices,
            authorIndices: authorIndices,
            previous: previous,
            times: times,
            files: files
        )
        return try EventGraph(
            restoring: EventGraph.Tables(
                sortedIDs: sortedIDs,
                sortedPositions: sortedPositions,
                heights: heights,
                parentStarts: parentStarts,
                parentList: parentList,
                headers: headers,
                authorTips: authorTips,
                equivocationPositions: equivocations
            )
        )
    }
}

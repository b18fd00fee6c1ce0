import Sodium

/// A verified fold kept between commands in the user's state directory, so that a command on a store of 100,000
/// events reads and verifies only the events added since, instead of every event.
///
/// **What it holds.** The graph's events in canonical order as headers (id, height, type, author, parents, previous,
/// time; no body, signature or bytes: those are read on demand, see ``EventFiles``) and the fold's state. The
/// encoding is binary and written by hand (``SnapshotWriter``, ``SnapshotReader``):
///
/// ```
/// "escrow-fold-snapshot\n"  format (1 byte)  MAC (32 bytes)  body
/// body: store (16) genesis (32) strings[] blobs[] eventCount authors[] types[] events[] state equivocationFindingCount
///       directoryStamps
/// (after the tables, every string and byte string is an index into them)
/// ```
///
/// **Why it can be trusted.** Only this user's own process writes it, after the events it covers were verified and
/// folded; it is authenticated with a keyed BLAKE2b (``GenericHash``) under a random key kept next to it (0600),
/// over a context string, the store id, the genesis id, the format and the body. A snapshot whose MAC fails, of
/// another store or genesis, or of another format is never used (the caller opens cold and writes a new one). Nothing
/// from the store is trusted because of it: event files are checked against their ids when read.
enum FoldSnapshot {
    /// The format this build reads and writes.
    static let format: UInt8 = 2
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
        let mac = self.mac(body, store: graph.store, genesis: graph.genesis.id, key: key)
        return magic + [format] + mac + body
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
        let body = Array(bytes[headerCount...])
        let expected = self.mac(body, store: store, genesis: genesis, key: key)
        guard Sodium.constantTimeEquals(mac, expected) else { return nil }
        var reader = SnapshotReader(body)
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

    private static func mac(_ body: [UInt8], store: [UInt8], genesis: EventID, key: SecureBytes) -> [UInt8] {
        var header = SnapshotWriter()
        header.data(macContext)
        header.data(store)
        header.id(genesis)
        header.byte(format)
        return GenericHash.hash(header.bytes + body, key: key, count: macCount)
    }

    // MARK: Graph

    private static func writeGraph(_ graph: EventGraph, to writer: inout SnapshotWriter) {
        var authors: [EventAuthor: Int] = [:]
        var authorList: [EventAuthor] = []
        var types: [String: Int] = [:]
        var typeList: [String] = []
        for event in graph.events {
            if authors[event.author] == nil {
                authors[event.author] = authorList.count
                authorList.append(event.author)
            }
            if types[event.type] == nil {
                types[event.type] = typeList.count
                typeList.append(event.type)
            }
        }
        writer.count(graph.count)
        writer.count(authorList.count)
        for author in authorList {
            writer.string(author.name)
            writer.data(author.key)
        }
        writer.count(typeList.count)
        for type in typeList { writer.string(type) }
        var positions: [EventID: Int] = [:]
        positions.reserveCapacity(graph.count)
        for (position, event) in graph.events.enumerated() {
            positions[event.id] = position
            writer.id(event.id)
            writer.count(graph.height(at: position))
            writer.count(types[event.type] ?? 0)
            writer.count(authors[event.author] ?? 0)
            // Parents by canonical position, in the event's (sorted-by-id) order.
            writer.count(event.parents.count)
            for parent in event.parents { writer.count(positions[parent] ?? 0) }
            writer.count(event.previous.flatMap { positions[$0] }.map { $0 + 1 } ?? 0)
            writer.int64(event.time.secondsSinceEpoch)
        }
    }

    private static func readGraph(
        from reader: inout SnapshotReader,
        store: [UInt8],
        files: EventFiles
    ) throws(EscrowError) -> EventGraph {
        let count = try reader.count(ofItemsAtLeast: EventID.byteCount + 13)
        guard count > 0 else { throw EscrowError(.malformedFile, "the fold snapshot is malformed (no events)") }
        var authors: [EventAuthor] = []
        for _ in 0..<(try reader.count(ofItemsAtLeast: 2)) {
            let name = try reader.string()
            authors.append(EventAuthor(name: name, key: try reader.data()))
        }
        var types: [String] = []
        for _ in 0..<(try reader.count(ofItemsAtLeast: 1)) { types.append(try reader.string()) }
        var events: [Event] = []
        var heights: [Int] = []
        events.reserveCapacity(count)
        heights.reserveCapacity(count)
        func malformed(_ what: String) -> EscrowError {
            EscrowError(.malformedFile, "the fold snapshot is malformed (\(what))")
        }
        for position in 0..<count {
            let id = try reader.id()
            let height = try reader.count()
            let type = try reader.count()
            let author = try reader.count()
            guard type < types.count, author < authors.count else { throw malformed("an index is out of range") }
            var parents: [EventID] = []
            let parentCount = try reader.count(ofItemsAtLeast: 1)
            parents.reserveCapacity(parentCount)
            for _ in 0..<parentCount {
                let parent = try reader.count()
                guard parent < position else { throw malformed("a parent does not precede its child") }
                parents.append(events[parent].id)
            }
            let previousIndex = try reader.count()
            guard previousIndex <= position else { throw malformed("a previous event does not precede") }
            let previous = previousIndex == 0 ? nil : events[previousIndex - 1].id
            let time = UTCTime(secondsSinceEpoch: try reader.int64())
            guard position == 0 || (parents.count > 0 && height > 0) else { throw malformed("an orphan event") }
            events.append(
                Event(
                    restoring: id,
                    store: store,
                    type: types[type],
                    author: authors[author],
                    parents: parents,
                    previous: previous,
                    time: time,
                    files: files
                )
            )
            heights.append(height)
        }
        return EventGraph.restoring(ordered: events, heights: heights, store: store)
    }
}

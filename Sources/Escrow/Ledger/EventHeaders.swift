import Synchronization

/// The headers of the events an ``EventGraph`` restored from a fold snapshot, as flat tables by canonical position
/// (types and authors as indices into small tables), from which an ``Event`` is made on first use and kept: a
/// restored graph of 100,000 events holds no event object until one is asked for.
///
/// Ids and parents are the graph's (its ids and parent positions); previous events are positions.
final class EventHeaders: Sendable {
    /// The store id every event names.
    let store: [UInt8]
    /// The distinct event types.
    let types: [String]
    /// The distinct authors.
    let authors: [EventAuthor]
    /// Per event, its type's index in ``types``.
    let typeIndices: [Int32]
    /// Per event, its author's index in ``authors``.
    let authorIndices: [Int32]
    /// Per event, the position of its author's previous event, or -1.
    let previous: [Int32]
    /// Per event, its signing time.
    let times: [Int64]
    /// Where the events read their payloads.
    let files: EventFiles
    private let made = Mutex<[Int: Event]>([:])

    /// Tables of equal counts, with indices in range (checked by ``EventGraph``'s restoring initializer).
    init(
        store: [UInt8],
        types: [String],
        authors: [EventAuthor],
        typeIndices: [Int32],
        authorIndices: [Int32],
        previous: [Int32],
        times: [Int64],
        files: EventFiles
    ) {
        self.store = store
        self.types = types
        self.authors = authors
        self.typeIndices = typeIndices
        self.authorIndices = authorIndices
        self.previous = previous
        self.times = times
        self.files = files
    }

    /// The number of events.
    var count: Int { typeIndices.count }

    /// The type of the event at `position`.
    func type(at position: Int) -> String { types[Int(typeIndices[position])] }

    /// The author of the event at `position`.
    func author(at position: Int) -> EventAuthor { authors[Int(authorIndices[position])] }

    /// The position of the previous event of the event at `position`, if any.
    func previousPosition(at position: Int) -> Int? {
        previous[position] < 0 ? nil : Int(previous[position])
    }

    /// The time of the event at `position`.
    func time(at position: Int) -> UTCTime { UTCTime(secondsSinceEpoch: times[position]) }

    /// The event at `position`: the one made before, or a new one.
    ///
    /// - Parameters:
    ///   - position: A position in `0..<count`.
    ///   - id: Its id.
    ///   - parents: Its parents' ids, in the event's order.
    ///   - previousID: Its previous event's id.
    /// - Returns: The event, reading its payload from ``files`` on first use.
    func event(at position: Int, id: EventID, parents: () -> [EventID], previousID: EventID?) -> Event {
        if let event = made.withLock({ $0[position] }) { return event }
        let event = Event(
            restoring: id,
            store: store,
            type: type(at: position),
            author: author(at: position),
            parents: parents(),
            previous: previousID,
            time: time(at: position),
            files: files
        )
        return made.withLock { made in
            if let existing = made[position] { return existing }
            made[position] = event
            return event
        }
    }
}

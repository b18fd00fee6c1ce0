/// The canonical position of each event of an ``EventGraph`` by id, built without one allocation per event.
///
/// Two parts:
///
/// - the *sorted part*, for a graph restored from a fold snapshot: the ids sorted, with their positions, as the
///   snapshot stores them, and where each run of ids sharing their first 16 bits starts; a lookup binary-searches
///   one such run (ids are hashes, so a run holds one or two ids unless someone ground ids to share a prefix, which
///   costs a logarithmic search, not a linear one). Restoring it is a pass over the ids, and looking up the ids of
///   a directory listing (grouped by their first byte) touches one small part of the table at a time;
/// - the *hashed part*, for events placed after it (all of a graph built from events): an open-addressing table of
///   positions into the graph's ids (linear probing, at most half full), by the id's `hashValue` (seeded per
///   process, as `Dictionary` does, so ids chosen by an adversary cannot be made to collide on purpose).
///
/// Every operation takes the graph's ids in canonical order, which the index does not copy.
struct EventIndex: Sendable {
    /// The sorted part: ids in increasing order and their positions.
    private var sortedIDs: [EventID] = []
    private var sortedPositions: [Int32] = []
    /// For each value `b` of an id's first 16 bits, where its ids start in ``sortedIDs`` (`b + 1`: where they end);
    /// empty when the sorted part is.
    private var runStarts: [Int32] = []
    /// The hashed part: `position + 1` per slot, 0 for an empty one; the count is a power of two.
    private var slots = [Int32](repeating: 0, count: 16)
    private var hashedCount = 0

    private static let runBits = 16

    /// The number of positions held.
    var count: Int { sortedIDs.count + hashedCount }

    /// An index of `ids[0..<ids.count]` (distinct ids), all in the hashed part.
    ///
    /// - Parameter ids: The graph's ids in canonical order.
    init(_ ids: [EventID]) {
        slots = [Int32](repeating: 0, count: Self.capacity(for: ids.count))
        for position in ids.indices { insert(position, of: ids) }
    }

    /// An index whose sorted part holds `sortedIDs`, as a fold snapshot stores them.
    ///
    /// - Parameters:
    ///   - sortedIDs: Ids in strictly increasing order.
    ///   - positions: Their positions: every number in `0..<sortedIDs.count` once.
    /// - Throws: ``EscrowError/Code/malformedFile`` if the ids are not strictly increasing or the positions are not
    ///   such a permutation.
    init(sortedIDs: [EventID], positions: [Int]) throws(EscrowError) {
        func malformed(_ what: String) -> EscrowError {
            EscrowError(.malformedFile, "the fold snapshot is malformed (\(what))")
        }
        let count = sortedIDs.count
        guard positions.count == count, count < Int(Int32.max) else {
            throw malformed("the graph's tables differ in length")
        }
        var seen = [Bool](repeating: false, count: count)
        for position in positions {
            guard position >= 0, position < count, !seen[position] else {
                throw malformed("the ids' positions are not a permutation")
            }
            seen[position] = true
        }
        var runStarts = [Int32](repeating: 0, count: (1 << Self.runBits) + 1)
        var run = 0
        for (index, id) in sortedIDs.enumerated() {
            guard index == 0 || sortedIDs[index - 1] < id else { throw malformed("the ids are not sorted") }
            let idRun = Self.run(of: id)
            while run < idRun {
                run += 1
                runStarts[run] = Int32(index)
            }
        }
        while run < 1 << Self.runBits {
            run += 1
            runStarts[run] = Int32(count)
        }
        self.sortedIDs = sortedIDs
        sortedPositions = positions.map { Int32($0) }
        self.runStarts = runStarts
    }

    /// The ids of the sorted part in canonical order (by their positions).
    var canonicalOrderOfSortedPart: [EventID] {
        guard let first = sortedIDs.first else { return [] }
        var ordered = [EventID](repeating: first, count: sortedIDs.count)
        for (id, position) in zip(sortedIDs, sortedPositions) { ordered[Int(position)] = id }
        return ordered
    }

    /// Every id held with its position, sorted by id.
    ///
    /// - Parameter ids: The graph's ids.
    /// - Returns: The sorted part merged with the hashed part, sorted.
    func sortedEntries(of ids: [EventID]) -> [(id: EventID, position: Int)] {
        let hashed = slots.filter { $0 != 0 }.map { (id: ids[Int($0) - 1], position: Int($0) - 1) }
            .sorted { $0.id < $1.id }
        var merged: [(id: EventID, position: Int)] = []
        merged.reserveCapacity(count)
        var (sorted, other) = (0, 0)
        while sorted < sortedIDs.count || other < hashed.count {
            if other == hashed.count || (sorted < sortedIDs.count && sortedIDs[sorted] < hashed[other].id) {
                merged.append((sortedIDs[sorted], Int(sortedPositions[sorted])))
                sorted += 1
            } else {
                merged.append(hashed[other])
                other += 1
            }
        }
        return merged
    }

    private static func run(of id: EventID) -> Int { Int(truncatingIfNeeded: id.leadingWord >> (64 - runBits)) }

    private static func capacity(for count: Int) -> Int {
        var capacity = 16
        while capacity < count * 2 { capacity *= 2 }
        return capacity
    }

    private var mask: Int { slots.count - 1 }

    private func home(_ id: EventID) -> Int { id.hashValue & mask }

    /// The position of `id`, or `nil`.
    ///
    /// - Parameters:
    ///   - id: An event id.
    ///   - ids: The graph's ids.
    /// - Returns: The position.
    func position(of id: EventID, in ids: [EventID]) -> Int? {
        if !runStarts.isEmpty {
            let run = Self.run(of: id)
            var (low, high) = (Int(runStarts[run]), Int(runStarts[run + 1]))
            while low < high {
                let middle = (low + high) / 2
                let candidate = sortedIDs[middle]
                if candidate == id { return Int(sortedPositions[middle]) }
                if candidate < id { low = middle + 1 } else { high = middle }
            }
        }
        guard hashedCount > 0 else { return nil }
        var slot = home(id)
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return nil }
            if ids[stored - 1] == id { return stored - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `ids[position]` (not yet held) to the hashed part.
    ///
    /// - Parameters:
    ///   - position: Its position.
    ///   - ids: The graph's ids.
    mutating func insert(_ position: Int, of ids: [EventID]) {
        if (hashedCount + 1) * 2 > slots.count {
            let held = slots.filter { $0 != 0 }
            slots = [Int32](repeating: 0, count: slots.count * 2)
            for stored in held { place(stored, id: ids[Int(stored) - 1]) }
        }
        place(Int32(truncatingIfNeeded: position + 1), id: ids[position])
        hashedCount += 1
    }

    private mutating func place(_ stored: Int32, id: EventID) {
        var slot = home(id)
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = stored
    }

    /// Removes `ids[position]` (held in the hashed part), shifting back the entries after it in its cluster so that
    /// every lookup still finds its entry.
    ///
    /// - Parameters:
    ///   - position: Its position.
    ///   - ids: The graph's ids.
    mutating func remove(_ position: Int, of ids: [EventID]) {
        let target = Int32(truncatingIfNeeded: position + 1)
        var hole = home(ids[position])
        while slots[hole] != target {
            // A held position is found before its cluster ends.
            guard slots[hole] != 0 else { return }
            hole = (hole + 1) & mask
        }
        slots[hole] = 0
        hashedCount -= 1
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let wanted = home(ids[Int(slots[next]) - 1])
            // The entry at `next` may move back to the hole unless its home lies cyclically in (hole, next].
            let staysPut = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
            if !staysPut {
                slots[hole] = slots[next]
                slots[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
    }
}

/// The canonical position of each event of an ``EventGraph`` by id: an open-addressing table of positions into the
/// graph's ids (linear probing, at most half full), built from a contiguous array of ids without one allocation per
/// event; restoring a graph of 100,000 events builds it in about a millisecond.
///
/// Slots are found by the id's `hashValue` (seeded per process, as `Dictionary` does), so ids chosen by an adversary
/// cannot be made to collide on purpose. Every operation takes the graph's ids, which the table does not copy.
struct EventIndex: Sendable {
    /// `position + 1` per slot, 0 for an empty one; the count is a power of two.
    private var slots: [Int32]
    /// The number of positions held.
    private(set) var count = 0

    /// An index of `ids[0..<ids.count]` (distinct ids).
    ///
    /// - Parameter ids: The graph's ids in canonical order.
    init(_ ids: [EventID]) {
        slots = [Int32](repeating: 0, count: Self.capacity(for: ids.count))
        for position in ids.indices { insert(position, of: ids) }
    }

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
    func position(of id: EventID, in ids: [EventID]) -> Int? {
        var slot = home(id)
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return nil }
            if ids[stored - 1] == id { return stored - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `ids[position]` (not yet held).
    ///
    /// - Parameters:
    ///   - position: Its position.
    ///   - ids: The graph's ids.
    mutating func insert(_ position: Int, of ids: [EventID]) {
        if (count + 1) * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            let held = count
            count = 0
            for old in 0..<held { insert(old, of: ids) }
        }
        var slot = home(ids[position])
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(truncatingIfNeeded: position + 1)
        count += 1
    }

    /// Removes `ids[position]` (held), shifting back the entries after it in its cluster so that every lookup
    /// still finds its entry.
    ///
    /// - Parameters:
    ///   - position: Its position.
    ///   - ids: The graph's ids.
    mutating func remove(_ position: Int, of ids: [EventID]) {
        let target = Int32(truncatingIfNeeded: position + 1)
        var hole = home(ids[position])
        while slots[hole] != target {
            // The position is held: its cluster ends no earlier than its slot.
            guard slots[hole] != 0 else { return }
            hole = (hole + 1) & mask
        }
        slots[hole] = 0
        count -= 1
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

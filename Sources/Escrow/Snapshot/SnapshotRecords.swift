/// Keyed entries of a fold snapshot, sorted by their keys' bytes: each key and each value a range of the snapshot's
/// bytes (a table string, a table byte string or a record), found by binary search and decoded only when read.
struct SnapshotRecords: Sendable {
    /// The snapshot's tables (and bytes).
    let tables: SnapshotTables
    private let keys: [Range<Int>]
    private let values: [Range<Int>]

    /// Wraps entries read from a snapshot.
    ///
    /// - Parameters:
    ///   - tables: The snapshot's tables.
    ///   - keys: The keys' bytes, in increasing order.
    ///   - values: The values' bytes, one per key (empty ranges for a set).
    /// - Throws: ``EscrowError/Code/malformedFile`` unless the keys strictly increase (so that each is found, once).
    init(tables: SnapshotTables, keys: [Range<Int>], values: [Range<Int>]) throws(EscrowError) {
        guard keys.count == values.count else {
            throw EscrowError(.malformedFile, "the fold snapshot is malformed (one value per key)")
        }
        for index in keys.indices.dropFirst() where tables.compare(keys[index - 1], keys[index]) >= 0 {
            throw EscrowError(.malformedFile, "the fold snapshot is malformed (keys out of order)")
        }
        self.tables = tables
        self.keys = keys
        self.values = values
    }

    /// The number of entries.
    var count: Int { keys.count }

    /// The position of the entry whose key has the bytes `key`, if any.
    ///
    /// - Complexity: O(log n) comparisons.
    func index(of key: some Collection<UInt8>) -> Int? {
        var (low, high) = (0, keys.count)
        while low < high {
            let middle = (low + high) / 2
            let order = tables.compare(keys[middle], key)
            if order == 0 { return middle }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// The key bytes of entry `index`.
    func key(at index: Int) -> [UInt8] { Array(tables.bytes[keys[index]]) }

    /// The value bytes of entry `index`.
    func value(at index: Int) -> Range<Int> { values[index] }
}

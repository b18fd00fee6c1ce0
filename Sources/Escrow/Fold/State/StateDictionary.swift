/// A dictionary by string of the fold's state (``LedgerState/vaults``, ``LedgerState/vaultNames``).
///
/// A state restored from a fold snapshot (a warm open) keeps the entries it restored encoded, and decodes an entry
/// each time it is read: a command on one vault of a store of 10,000 decodes that vault, not 10,000. Entries written
/// since are kept decoded. Reading every entry (``values``, ``sorted``) decodes every entry.
///
/// Keys are compared by their UTF-8 bytes for restored entries (names and vault ids are ASCII, see ``NameRules``).
public struct StateDictionary<Value: Hashable & Sendable>: Sendable {
    private var changed: [String: Value] = [:]
    /// Restored keys removed since (only a rolled-back trial removes an entry).
    private var removed: Set<String> = []
    private let archive: Archive?
    /// The number of entries.
    public private(set) var count = 0

    /// Restored entries and how to decode one.
    struct Archive: Sendable {
        let records: SnapshotRecords
        /// Decodes a value; `nil` only for a record that ``SnapshotRecords``' reader did not check (a bug).
        let decode: @Sendable (SnapshotTables, Range<Int>) -> Value?
    }

    /// An empty dictionary.
    public init() {
        archive = nil
    }

    /// The entries of `dictionary`.
    ///
    /// - Parameter dictionary: The entries.
    public init(_ dictionary: [String: Value]) {
        archive = nil
        changed = dictionary
        count = dictionary.count
    }

    /// Restored entries, decoded when read.
    init(archive: Archive) {
        self.archive = archive
        count = archive.records.count
    }

    private func archivedIndex(_ key: String) -> Int? {
        guard let archive, !removed.contains(key) else { return nil }
        return archive.records.index(of: key.utf8)
    }

    private func decodeArchived(_ index: Int) -> Value {
        guard let archive, let value = archive.decode(archive.records.tables, archive.records.value(at: index)) else {
            // The reader checked every record when it restored the state (FoldSnapshot); only a bug gets here.
            preconditionFailure("a fold snapshot record that was checked does not decode")
        }
        return value
    }

    /// The entry for `key`, or `nil`; setting `nil` removes it.
    ///
    /// - Complexity: O(log n) lookup, plus decoding a restored entry each time it is read.
    public subscript(key: String) -> Value? {
        get {
            if let value = changed[key] { return value }
            return archivedIndex(key).map(decodeArchived)
        }
        set {
            let existed = changed[key] != nil || archivedIndex(key) != nil
            if let newValue {
                changed[key] = newValue
                if !existed { count += 1 }
            } else {
                changed[key] = nil
                if archivedIndex(key) != nil { removed.insert(key) }
                if existed { count -= 1 }
            }
        }
    }

    /// Whether there is no entry.
    public var isEmpty: Bool { count == 0 }

    /// The entries sorted by key (every restored entry decoded).
    public var sorted: [(key: String, value: Value)] {
        var entries = changed.map { (key: $0.key, value: $0.value) }
        if let archive {
            for index in 0..<archive.records.count {
                let key = String(decoding: archive.records.key(at: index), as: UTF8.self)
                if changed[key] == nil, !removed.contains(key) { entries.append((key, decodeArchived(index))) }
            }
        }
        return entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// The keys, sorted (no entry decoded).
    public var keys: [String] {
        var keys = Array(changed.keys)
        if let archive {
            for index in 0..<archive.records.count {
                let key = String(decoding: archive.records.key(at: index), as: UTF8.self)
                if changed[key] == nil, !removed.contains(key) { keys.append(key) }
            }
        }
        return keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The values, in key order.
    public var values: [Value] { sorted.map(\.value) }
}

extension StateDictionary: Equatable {
    /// Equal when both hold the same entries (restored or not).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.sorted.elementsEqual(rhs.sorted) { $0.key == $1.key && $0.value == $1.value }
    }
}

extension StateDictionary: ExpressibleByDictionaryLiteral {
    /// A dictionary of the listed entries (the last wins for a repeated key).
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}

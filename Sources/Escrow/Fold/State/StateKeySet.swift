/// A set of byte strings of the fold's state (``LedgerState/versionIDs``, every version id ever used).
///
/// A state restored from a fold snapshot keeps the restored members as sorted ranges of the snapshot and looks them
/// up by binary search, instead of hashing 30,000 ids into a set at every warm open; members inserted since are kept
/// in a set.
public struct StateKeySet: Sendable {
    private var inserted: Set<[UInt8]> = []
    /// Restored members removed since (only a rolled-back trial removes one).
    private var removed: Set<[UInt8]> = []
    private let archive: SnapshotRecords?
    /// The number of members.
    public private(set) var count = 0

    /// An empty set.
    public init() {
        archive = nil
    }

    /// Restored members (a set: the records' values are unused).
    init(archive: SnapshotRecords) {
        self.archive = archive
        count = archive.count
    }

    private func isArchived(_ member: [UInt8]) -> Bool {
        guard let archive, !removed.contains(member) else { return false }
        return archive.index(of: member) != nil
    }

    /// Whether `member` is in the set.
    ///
    /// - Complexity: O(log n).
    public func contains(_ member: [UInt8]) -> Bool {
        inserted.contains(member) || isArchived(member)
    }

    /// Inserts `member`.
    ///
    /// - Returns: Whether it was not a member before.
    @discardableResult
    public mutating func insert(_ member: [UInt8]) -> Bool {
        guard !contains(member) else { return false }
        if archive?.index(of: member) != nil {
            removed.remove(member)
        } else {
            inserted.insert(member)
        }
        count += 1
        return true
    }

    /// Removes `member`.
    ///
    /// - Returns: Whether it was a member.
    @discardableResult
    public mutating func remove(_ member: [UInt8]) -> Bool {
        if inserted.remove(member) != nil {
            count -= 1
            return true
        }
        guard isArchived(member) else { return false }
        removed.insert(member)
        count -= 1
        return true
    }

    /// The members, sorted by their bytes.
    public var sorted: [[UInt8]] {
        var members = Array(inserted)
        if let archive {
            for index in 0..<archive.count {
                let member = archive.key(at: index)
                if !removed.contains(member) { members.append(member) }
            }
        }
        return members.sorted { $0.lexicographicallyPrecedes($1) }
    }
}

extension StateKeySet: Equatable {
    /// Equal when both hold the same members (restored or not).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.count == rhs.count && lhs.sorted == rhs.sorted
    }
}

extension StateKeySet: ExpressibleByArrayLiteral {
    /// A set of the listed members.
    public init(arrayLiteral elements: [UInt8]...) {
        self.init()
        for element in elements { insert(element) }
    }
}

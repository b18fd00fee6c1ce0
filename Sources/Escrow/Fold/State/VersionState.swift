/// One credential version as folded: who deposited it, and who holds its key's shares now.
public struct VersionState: Hashable, Sendable {
    /// Where the current holders' values come from.
    public enum Source: Hashable, Sendable {
        /// The deposit's dealt shares.
        case dealt
        /// The sub-shares of a re-split: the request and, per contributor x, its approval event.
        case resplit(request: EventID, contributions: [UInt8: EventID])
    }

    /// The version's 16-byte id.
    public var id: [UInt8]
    /// The entry's name.
    public var entry: String
    /// The entry's kind.
    public var kind: EntryKind
    /// The deposit event.
    public var deposit: EventID
    /// Who deposited it.
    public var depositor: String
    /// When (the depositor's clock).
    public var depositedAt: UTCTime
    /// Public data about the version (TOTP parameters, who rotated it), from the deposit.
    public var metadata: [String: String]
    /// The key commitment.
    public var commitment: [UInt8]
    /// The generation of the vault policy the current holders belong to.
    public var generation: Int64
    /// The current threshold.
    public var threshold: Int
    /// The current holders: x-coordinate → Ed25519 key.
    public var holders: [UInt8: [UInt8]]
    /// Re-split levels not yet consolidated, oldest first.
    public var levels: [SharingLevelState]
    /// Where the holders' values are published.
    public var source: Source
    /// Whether a newer version of the entry exists.
    public var isSuperseded: Bool

    /// The x-coordinate of the holder with `key`, if it holds a share.
    ///
    /// - Parameter key: An Ed25519 public key.
    /// - Returns: The x-coordinate.
    public func x(ofHolder key: [UInt8]) -> UInt8? {
        holders.first { $0.value == key }?.key
    }

    /// The re-split levels as ``SharingLevel``s, oldest first.
    ///
    /// - Returns: The levels.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a malformed level (the fold only keeps well-formed ones).
    public func sharingLevels() throws(EscrowError) -> [SharingLevel] {
        var result: [SharingLevel] = []
        for level in levels {
            result.append(
                try SharingLevel(
                    resplit: level.resplit.bytes,
                    contributors: level.contributors,
                    threshold: level.threshold
                )
            )
        }
        return result
    }

    /// The sharing's public shape (current holders and levels).
    ///
    /// - Returns: The shape.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a malformed shape.
    public func shape() throws(EscrowError) -> SharingShape {
        try SharingShape(threshold: threshold, holders: holders.keys.sorted(), levels: try sharingLevels())
    }

    /// The working subsets recorded by opens, by re-split id.
    public var resolvedSubsets: [[UInt8]: [UInt8]] {
        var result: [[UInt8]: [UInt8]] = [:]
        for level in levels {
            if let subset = level.resolved { result[level.resplit.bytes] = subset }
        }
        return result
    }
}

/// One level a re-split consolidates before sub-sharing: the level and the subset whose Lagrange combination replaces
/// it.
public struct LevelConsolidation: Hashable, Sendable {
    /// The level consolidated.
    public let level: SharingLevel
    /// The subset of its contributors combined (sorted, ``SharingLevel/threshold`` of them).
    public let subset: [UInt8]
    /// Whether the subset was forced (the first `threshold` contributors, because the version would otherwise carry
    /// more than ``SharingShape/maximumLevelCount`` unresolved levels) rather than recorded by an open. A forced level
    /// gives up robustness: a contributor of the subset that cheated makes the version unrecoverable, and nobody can
    /// tell which one. Say so in the re-split's results and on screen.
    public let isForced: Bool

    /// Creates a consolidation.
    ///
    /// - Parameters:
    ///   - level: The level.
    ///   - subset: A `threshold`-subset of its contributors.
    ///   - isForced: Whether robustness is given up for it.
    /// - Throws: ``EscrowError/Code/invalidInput`` if `subset` is not `threshold` distinct contributors.
    public init(level: SharingLevel, subset: [UInt8], isForced: Bool) throws(EscrowError) {
        self.level = level
        self.subset = try level.checkSubset(subset)
        self.isForced = isForced
    }
}

/// What a re-split does with a version's existing levels before sub-sharing, decided from public data only (the
/// shape and the subsets recorded by opens), so that every contributor makes the same choice.
///
/// Policy (see ``Redistributor/plan(shape:resolved:)``): every resolved level is consolidated with its recorded
/// subset; if two unresolved levels remain, the oldest is consolidated with its first `threshold` contributors in
/// ascending order and robustness is given up for it (``forcedLevels``). Afterwards at most one level remains, and
/// the re-split adds its own: a version never carries more than ``SharingShape/maximumLevelCount`` levels.
public struct RedistributionPlan: Hashable, Sendable {
    /// The shape the plan starts from.
    public let shape: SharingShape
    /// The consolidations, in the order they are applied (oldest level first).
    public let consolidations: [LevelConsolidation]
    /// The levels left in the components after the consolidations, oldest first (at most one).
    public let remainingLevels: [SharingLevel]

    /// Creates a plan: only ``Redistributor/plan(shape:resolved:)`` does, so that every plan follows the policy.
    init(shape: SharingShape, consolidations: [LevelConsolidation], remainingLevels: [SharingLevel]) {
        self.shape = shape
        self.consolidations = consolidations
        self.remainingLevels = remainingLevels
    }

    /// The levels whose robustness the plan gives up (consolidated with a forced subset).
    public var forcedLevels: [SharingLevel] { consolidations.filter(\.isForced).map(\.level) }

    /// The shape of the version after the re-split: the remaining levels plus the re-split's own level.
    ///
    /// - Parameters:
    ///   - resplit: The event id of the re-split execution (32 bytes).
    ///   - contributors: The old holders that contributed (at least the current threshold of them).
    ///   - threshold: The new threshold.
    ///   - holders: The new holders' x-coordinates.
    /// - Returns: The new shape.
    /// - Throws: ``EscrowError/Code/invalidInput`` if a contributor is not a current holder, there are fewer
    ///   contributors than the current threshold, the new policy is invalid, or the re-split id is reused.
    public func resultingShape(
        resplit: [UInt8],
        contributors: [UInt8],
        threshold: Int,
        holders: [UInt8]
    ) throws(EscrowError) -> SharingShape {
        guard contributors.allSatisfy(shape.holders.contains) else {
            throw EscrowError(
                .invalidInput,
                "the contributors \(CustodyText.coordinates(contributors.sorted())) are not all current holders "
                    + CustodyText.coordinates(shape.holders)
            )
        }
        let level = try SharingLevel(resplit: resplit, contributors: contributors, threshold: shape.threshold)
        return try SharingShape(threshold: threshold, holders: holders, levels: remainingLevels + [level])
    }
}

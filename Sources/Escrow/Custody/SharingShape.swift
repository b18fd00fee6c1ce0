/// How a version's key is currently shared: the policy of its holders and the re-split levels still present in the
/// components (not yet consolidated), oldest first.
///
/// A dealt version has no level; each re-split adds one (its contributors) and consolidates the levels it can first
/// (see ``RedistributionPlan``). A level whose working subset an open recorded is *resolved*: it stays here until
/// the next re-split consolidates it, and callers pass the recorded subsets (`resolved`) to
/// ``Rebuilder/rebuild(shape:holders:binding:commitment:resolved:)`` and ``Redistributor/plan(shape:resolved:)``.
public struct SharingShape: Hashable, Sendable {
    /// The most levels a shape may carry: at most two re-splits stay unconsolidated.
    public static let maximumLevelCount = 2

    /// The current threshold: how many holders rebuild the key.
    public let threshold: Int
    /// The current holders' x-coordinates, sorted ascending.
    public let holders: [UInt8]
    /// The re-split levels still present in the components' paths, oldest first.
    public let levels: [SharingLevel]

    /// Creates a shape.
    ///
    /// - Parameters:
    ///   - threshold: The current threshold, `2...holders.count`.
    ///   - holders: The current holders' x-coordinates, in any order (they are sorted).
    ///   - levels: The levels, oldest first; at most ``maximumLevelCount``, with distinct re-split ids.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a threshold out of range, a holder 0 or repeated, too many
    ///   levels, or a repeated re-split id.
    public init(threshold: Int, holders: [UInt8], levels: [SharingLevel] = []) throws(EscrowError) {
        try CustodyValidation.coordinates(holders, "the holders")
        try CustodyValidation.policy(threshold: threshold, count: holders.count, "the holders")
        guard levels.count <= Self.maximumLevelCount else {
            throw EscrowError(
                .invalidInput,
                "a version carries at most \(Self.maximumLevelCount) unconsolidated re-split levels, not "
                    + "\(levels.count)"
            )
        }
        guard Set(levels.map(\.resplit)).count == levels.count else {
            throw EscrowError(.invalidInput, "a re-split appears twice among a version's levels")
        }
        self.threshold = threshold
        self.holders = holders.sorted()
        self.levels = levels
    }
}

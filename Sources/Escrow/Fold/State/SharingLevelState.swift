/// One re-split level of a version whose working contributor subset is not yet consolidated.
public struct SharingLevelState: Hashable, Sendable {
    /// The re-split request that made the level (its id is in every digest and associated data of the level).
    public var resplit: EventID
    /// The contributors' x-coordinates in the sharing before the re-split, sorted.
    public var contributors: [UInt8]
    /// The threshold of the sharing before the re-split: the size of a working subset.
    public var threshold: Int
    /// The working subset, once an open found it.
    public var resolved: [UInt8]?

    /// Creates a level.
    ///
    /// - Parameters:
    ///   - resplit: The re-split request.
    ///   - contributors: The contributors.
    ///   - threshold: The old threshold.
    ///   - resolved: The working subset, if known.
    public init(resplit: EventID, contributors: [UInt8], threshold: Int, resolved: [UInt8]? = nil) {
        self.resplit = resplit
        self.contributors = contributors.sorted()
        self.threshold = threshold
        self.resolved = resolved
    }
}

import Sodium

/// The outcome of a successful rebuild: the version's key and what the search learned about the contributors.
public struct RebuildResult: Sendable {
    /// The version's key (32 bytes, guarded memory), checked against its commitment. Wipe it after use.
    public let key: SecureBytes
    /// The working subset per level of the shape, oldest first (sorted x-coordinates). Record them: they resolve the
    /// levels.
    public let subsets: [[UInt8]]
    /// Per level, the contributors the working subset excludes and whose inclusion (with the other levels' working
    /// subsets) never rebuilds the key: the contributors that shifted their value or sent a holder an inconsistent
    /// one. Empty for a level without such a contributor.
    public let suspects: [[UInt8]]

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - key: The rebuilt key.
    ///   - subsets: The working subset per level.
    ///   - suspects: The suspects per level.
    public init(key: SecureBytes, subsets: [[UInt8]], suspects: [[UInt8]]) {
        self.key = key
        self.subsets = subsets
        self.suspects = suspects
    }
}

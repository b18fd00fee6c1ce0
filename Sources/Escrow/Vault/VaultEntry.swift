/// A named entry of a vault with its history: every deposit is a new ``EntryVersion``; older ones stay sealed and
/// are marked superseded.
public struct VaultEntry: Hashable, Sendable, Codable {
    /// What the entry holds; fixed at the first deposit.
    public var kind: EntryKind
    /// Every version, oldest first; the last one is current.
    public var versions: [EntryVersion]

    /// Creates an entry.
    ///
    /// - Parameters:
    ///   - kind: The entry kind.
    ///   - versions: Its versions, oldest first.
    public init(kind: EntryKind, versions: [EntryVersion]) {
        self.kind = kind
        self.versions = versions
    }

    /// The version in force.
    public var current: EntryVersion? { versions.last }
}

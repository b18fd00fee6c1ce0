/// A vault as folded from its events.
public struct VaultState: Hashable, Sendable {
    /// The vault's id and name.
    public var reference: VaultReference
    /// Public account data.
    public var metadata: [String: String]
    /// The `vault.create` event.
    public var created: EventID
    /// Who created it.
    public var creator: String
    /// The current generation (1 at creation, +1 per executed re-split).
    public var generation: Int64
    /// The current policy.
    public var policy: PolicyRecord
    /// Every generation's policy.
    public var policies: [Int64: PolicyRecord]
    /// The life-cycle state.
    public var status: VaultStatus
    /// Keys of the custodians who acknowledged custody of the current policy.
    public var acknowledged: Set<[UInt8]>
    /// Entries by name; versions in canonical order, the last one current.
    public var entries: [String: [VersionState]]

    /// The vault id bytes.
    public var id: [UInt8] { reference.id.bytes }

    /// The names of custodians of the current policy who have not yet acknowledged custody.
    public var missingAcknowledgements: [String] {
        policy.custodians.filter { !acknowledged.contains($0.key.bytes) }.map(\.name)
    }

    /// Every version of every entry.
    public var allVersions: [VersionState] {
        entries.keys.sorted().flatMap { entries[$0] ?? [] }
    }

    /// The current version of each entry, by entry name.
    public var currentVersions: [VersionState] {
        entries.keys.sorted().compactMap { entries[$0]?.last }
    }

    /// The version with id `id`, if any.
    ///
    /// - Parameter id: A version id.
    /// - Returns: The version.
    public func version(_ id: [UInt8]) -> VersionState? {
        for versions in entries.values {
            if let found = versions.first(where: { $0.id == id }) { return found }
        }
        return nil
    }

    /// Replaces the stored copy of a version.
    ///
    /// - Parameter version: The updated version (matched by id).
    mutating func update(_ version: VersionState) {
        guard var versions = entries[version.entry], let index = versions.firstIndex(where: { $0.id == version.id })
        else { return }
        versions[index] = version
        entries[version.entry] = versions
    }
}

/// What a release bundle says about one version's sharing, so that the customer can rebuild it without the
/// store: holders, levels and where the values are published. A wrong summary can only make the rebuild fail
/// (the key is checked against the depositor's signed commitment).
public struct VersionSummary: Hashable, Sendable, Codable {
    /// One holder.
    public struct Holder: Hashable, Sendable, Codable {
        /// The holder's x-coordinate.
        public var x: UInt8
        /// The holder's Ed25519 key.
        public var key: Base64Bytes
    }

    /// One re-split level.
    public struct Level: Hashable, Sendable, Codable {
        /// The re-split request.
        public var resplit: HexBytes
        /// The contributors.
        public var contributors: [UInt8]
        /// The old threshold.
        public var threshold: Int
        /// The working subset, if known.
        public var resolved: [UInt8]?
    }

    /// One contributor's approval of the last re-split.
    public struct Source: Hashable, Sendable, Codable {
        /// The contributor's old x-coordinate.
        public var x: UInt8
        /// Its approval event.
        public var approval: HexBytes
    }

    /// The entry.
    public var entry: String
    /// The kind.
    public var kind: EntryKind
    /// The version id.
    public var version: HexBytes
    /// The deposit event.
    public var deposit: HexBytes
    /// The depositor.
    public var depositor: String
    /// When it was deposited.
    public var depositedAt: UTCTime
    /// The generation of the holders.
    public var generation: Int64
    /// The threshold.
    public var threshold: Int
    /// The holders.
    public var holders: [Holder]
    /// Unconsolidated re-split levels.
    public var levels: [Level]
    /// The last re-split request, if any.
    public var resplit: HexBytes?
    /// Its contributors' approvals.
    public var sources: [Source]

    enum CodingKeys: String, CodingKey {
        case entry, kind, version, deposit, depositor, generation, threshold, holders, levels, resplit, sources
        case depositedAt = "deposited_at"
    }

    /// Summarises a folded version.
    ///
    /// - Parameter version: The version.
    public init(_ version: VersionState) {
        entry = version.entry
        kind = version.kind
        self.version = HexBytes(version.id)
        deposit = HexBytes(version.deposit.bytes)
        depositor = version.depositor
        depositedAt = version.depositedAt
        generation = version.generation
        threshold = version.threshold
        holders = version.holders.keys.sorted().map { Holder(x: $0, key: Base64Bytes(version.holders[$0] ?? [])) }
        levels = version.levels.map {
            Level(
                resplit: HexBytes($0.resplit.bytes),
                contributors: $0.contributors,
                threshold: $0.threshold,
                resolved: $0.resolved
            )
        }
        switch version.source {
        case .dealt:
            resplit = nil
            sources = []
        case .resplit(let request, let contributions):
            resplit = HexBytes(request.bytes)
            sources = contributions.keys.sorted().map {
                Source(x: $0, approval: HexBytes(contributions[$0]?.bytes ?? []))
            }
        }
    }

    /// The version state this summary describes, with its commitment taken from the deposit event.
    ///
    /// - Parameters:
    ///   - commitment: The depositor's signed commitment.
    ///   - metadata: The deposit's public metadata.
    /// - Returns: The state.
    /// - Throws: ``EscrowError/Code/malformedFile`` for a malformed event id.
    public func state(commitment: [UInt8], metadata: [String: String]) throws(EscrowError) -> VersionState {
        var holderKeys: [UInt8: [UInt8]] = [:]
        for holder in holders { holderKeys[holder.x] = holder.key.bytes }
        let source: VersionState.Source
        if let resplit {
            var contributions: [UInt8: EventID] = [:]
            for item in sources { contributions[item.x] = try EventID(bytes: item.approval.bytes) }
            source = .resplit(request: try EventID(bytes: resplit.bytes), contributions: contributions)
        } else {
            source = .dealt
        }
        var levelStates: [SharingLevelState] = []
        for level in levels {
            levelStates.append(
                SharingLevelState(
                    resplit: try EventID(bytes: level.resplit.bytes),
                    contributors: level.contributors,
                    threshold: level.threshold,
                    resolved: level.resolved
                )
            )
        }
        return VersionState(
            id: version.bytes,
            entry: entry,
            kind: kind,
            deposit: try EventID(bytes: deposit.bytes),
            depositor: depositor,
            depositedAt: depositedAt,
            metadata: metadata,
            commitment: commitment,
            generation: generation,
            threshold: threshold,
            holders: holderKeys,
            levels: levelStates,
            source: source,
            isSuperseded: false
        )
    }
}

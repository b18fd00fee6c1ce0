/// The body of an `execution` event: a request is carried out with the listed approvals. For an `open`, the
/// requester also records, per version, the contributor subset that rebuilt the key at each unresolved re-split
/// level, which resolves those levels for everyone.
public struct ExecutionBody: Hashable, Sendable, Codable {
    /// The request event.
    public var request: HexBytes
    /// The approval events used, sorted.
    public var approvals: [HexBytes]
    /// Per opened version, the working subset per unresolved level.
    public var resolved: [ResolvedVersion]

    /// Creates a body.
    ///
    /// - Parameters:
    ///   - request: The request event.
    ///   - approvals: The approvals used.
    ///   - resolved: Working subsets found by an open.
    public init(request: [UInt8], approvals: [[UInt8]], resolved: [ResolvedVersion] = []) {
        self.request = HexBytes(request)
        self.approvals = approvals.map(HexBytes.init).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        self.resolved = resolved
    }
}

/// The subsets that rebuilt one version's key.
public struct ResolvedVersion: Hashable, Sendable, Codable {
    /// The version id.
    public var version: HexBytes
    /// One entry per unresolved level at the time of the open.
    public var levels: [ResolvedLevel]

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - version: The version id.
    ///   - levels: The working subset per level.
    public init(version: [UInt8], levels: [ResolvedLevel]) {
        self.version = HexBytes(version)
        self.levels = levels
    }
}

/// The working contributor subset of one re-split level.
public struct ResolvedLevel: Hashable, Sendable, Codable {
    /// The re-split request that made the level.
    public var resplit: HexBytes
    /// The contributors (old x-coordinates) whose sub-shares rebuild the key.
    public var subset: [UInt8]

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - resplit: The re-split request.
    ///   - subset: The working contributors.
    public init(resplit: [UInt8], subset: [UInt8]) {
        self.resplit = HexBytes(resplit)
        self.subset = subset.sorted()
    }
}

/// The body of an `approval` event: a custodian approves one request and carries what the action needs from it:
/// its shares of the requested versions re-sealed to the recipient (`open`, `release`), its sub-shares for the new
/// custodians (`resplit`), or nothing (`close`, `reopen`).
public struct ApprovalBody: Hashable, Sendable, Codable {
    /// The request event approved.
    public var request: HexBytes
    /// The ephemeral X25519 key the values were sealed with (`nil` when nothing is sealed).
    public var ephemeralKey: Base64Bytes?
    /// Per version: the approver's share components re-sealed to the request's recipient.
    public var shares: [VersionComponents]
    /// Per version: the approver's sub-shares for the new custodians, with their digests.
    public var contributions: [Contribution]

    enum CodingKeys: String, CodingKey {
        case request, shares, contributions
        case ephemeralKey = "ephemeral_key"
    }

    /// Creates a body.
    ///
    /// - Parameters:
    ///   - request: The request event.
    ///   - ephemeralKey: The sealing key.
    ///   - shares: Re-sealed shares.
    ///   - contributions: Sub-shares of a re-split.
    public init(request: [UInt8], ephemeralKey: [UInt8]?, shares: [VersionComponents], contributions: [Contribution]) {
        self.request = HexBytes(request)
        self.ephemeralKey = ephemeralKey.map(Base64Bytes.init)
        self.shares = shares
        self.contributions = contributions
    }
}

/// One version's share components, re-sealed to a request's recipient.
public struct VersionComponents: Hashable, Sendable, Codable {
    /// The version id.
    public var version: HexBytes
    /// The components (x = the approver's coordinate; no digest: the opener checks the digest the value's author
    /// published).
    public var components: [SealedComponentRecord]

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - version: The version id.
    ///   - components: The sealed components.
    public init(version: [UInt8], components: [SealedComponentRecord]) {
        self.version = HexBytes(version)
        self.components = components
    }
}

/// One version's sub-shares from one contributor in a re-split.
public struct Contribution: Hashable, Sendable, Codable {
    /// The version id.
    public var version: HexBytes
    /// The unresolved levels (re-split request ids, oldest first) that the components' paths refer to, before the
    /// new level this contribution adds.
    public var levels: [HexBytes]
    /// The sub-shares: x = the new holder, path ends with the contributor's x; each with its digest.
    public var components: [SealedComponentRecord]

    /// Creates a contribution.
    ///
    /// - Parameters:
    ///   - version: The version id.
    ///   - levels: The unresolved levels kept.
    ///   - components: The sealed sub-shares.
    public init(version: [UInt8], levels: [[UInt8]], components: [SealedComponentRecord]) {
        self.version = HexBytes(version)
        self.levels = levels.map(HexBytes.init)
        self.components = components
    }
}

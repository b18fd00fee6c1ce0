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

extension ApprovalBody {
    /// The body's JSON value and canonical bytes, its contributions taken from `contributions` (each the
    /// ``Contribution/fragment()`` of the contribution at its index, written by the worker that made it): what
    /// `JSONCoding.encode(self)` and ``JSONWriter/canonical(_:)`` give, without writing the contributions again.
    ///
    /// - Parameter contributions: The fragments of ``contributions``, in order.
    /// - Returns: The body.
    /// - Throws: ``EscrowError/Code/malformedFile`` if the other members cannot be encoded (as `JSONCoding`).
    /// - Precondition: There is one fragment per contribution.
    func fragment(contributions: [JSONFragment]) throws(EscrowError) -> JSONFragment {
        precondition(contributions.count == self.contributions.count, "one fragment per contribution")
        var others = self
        others.contributions = []
        guard case .object(var members) = try JSONCoding.encode(others) else {
            throw EscrowError(.malformedFile, "an approval body does not encode to a JSON object")
        }
        members[CodingKeys.contributions.stringValue] = nil
        return JSONFragment.object(CodingKeys.contributions.stringValue, array: contributions, rest: members)
    }
}

/// One version's share components, re-sealed to a request's recipient.
///
/// Encoded as `{"components": "…", "version": "…"}`: the components in one base64url string (``ComponentList``,
/// without digests).
public struct VersionComponents: Hashable, Sendable, Codable {
    /// The version id.
    public var version: HexBytes
    /// The components (x = the approver's coordinate; no digest: the opener checks the digest the value's author
    /// published).
    public var components: [SealedComponentRecord]

    enum CodingKeys: String, CodingKey {
        case version, components
    }

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - version: The version id.
    ///   - components: The sealed components.
    public init(version: [UInt8], components: [SealedComponentRecord]) {
        self.version = HexBytes(version)
        self.components = components
    }

    /// Decodes the record, its components from their compact form.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` for a missing or malformed member.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(HexBytes.self, forKey: .version)
        components = try ComponentList.decode(container, forKey: .components, digests: false)
    }

    /// Encodes the record, its components in their compact form.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: `EncodingError` for a component the compact form cannot hold (a digest, a sealed value of another
    ///   length).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try ComponentList.encode(components, digests: false, into: &container, forKey: .components)
    }
}

/// One version's sub-shares from one contributor in a re-split.
///
/// Encoded as `{"components": "…", "levels": […], "version": "…"}`: the components in one base64url string
/// (``ComponentList``, each with its digest).
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

    enum CodingKeys: String, CodingKey {
        case version, levels, components
    }

    /// Decodes the contribution, its components from their compact form.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` for a missing or malformed member.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(HexBytes.self, forKey: .version)
        levels = try container.decode([HexBytes].self, forKey: .levels)
        components = try ComponentList.decode(container, forKey: .components, digests: true)
    }

    /// The contribution's JSON value as ``encode(to:)`` writes it, with its canonical bytes: written by the worker
    /// that sealed it, so that the approval's body is put together from the bytes of every contribution.
    ///
    /// - Returns: The fragment.
    /// - Throws: ``EscrowError/Code/malformedFile`` for a component the compact form cannot hold (as
    ///   ``encode(to:)``).
    func fragment() throws(EscrowError) -> JSONFragment {
        let list: String
        do {
            list = try ComponentList.encode(components, digests: true)
        } catch {
            throw EscrowError(
                .malformedFile,
                "the contribution to version \(version.description.prefix(12)) cannot be encoded: \(error.description)"
            )
        }
        return JSONFragment(
            .object([
                CodingKeys.version.stringValue: .string(version.description),
                CodingKeys.levels.stringValue: .array(levels.map { .string($0.description) }),
                CodingKeys.components.stringValue: .string(list),
            ])
        )
    }

    /// Encodes the contribution, its components in their compact form.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: `EncodingError` for a component the compact form cannot hold (no 32-byte digest, a sealed value of
    ///   another length).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(levels, forKey: .levels)
        try ComponentList.encode(components, digests: true, into: &container, forKey: .components)
    }
}

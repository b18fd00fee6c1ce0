/// The store's roster (`roster.json`): every identity the store knows. Active members may act (add custodians,
/// create vaults, deposit) and may be named in vault policies; former members are kept so that signatures they made
/// while active still verify.
///
/// Format (`"format": "escrow-roster", "version": 1`):
/// ```json
/// {
///   "custodians": [{"added_at": "…", "added_by": "FPR", "email": "…", "fingerprint": "FPR", "name": "alice",
///                   "signing_key": "<base64url>"}],
///   "former": [{… the same, plus "removed_at" and "removed_by"}],
///   "format": "escrow-roster",
///   "version": 1
/// }
/// ```
/// Members are sorted by name (former members by removal time). The roster is not signed itself: every change to it
/// is an audit record signed by an active member, and `escrow audit verify` replays those records and checks that
/// the file matches.
public struct Roster: Hashable, Sendable {
    /// The `format` value.
    public static let format = "escrow-roster"
    /// The only version this build reads and writes.
    public static let version: Int64 = 1

    /// Active members, sorted by name.
    public private(set) var members: [RosterMember]
    /// Former members, oldest removal first.
    public private(set) var former: [RosterMember]

    /// An empty roster.
    public init() {
        members = []
        former = []
    }

    /// The active member called `name`.
    ///
    /// - Parameter name: A custodian name.
    /// - Returns: The member, or `nil`.
    public func member(named name: String) -> RosterMember? {
        members.first { $0.identity.name == name }
    }

    /// The active member called `name`, or an error naming it.
    ///
    /// - Parameters:
    ///   - name: A custodian name.
    ///   - joining: Whether `name` is to become a custodian of a vault (the error then says how to add it).
    /// - Returns: The member.
    /// - Throws: ``EscrowError/Code/notFound``.
    public func requireMember(named name: String, joining: Bool = false) throws(EscrowError) -> RosterMember {
        guard let member = member(named: name) else {
            let hint = joining ? " (add it with 'escrow custodian add')" : ""
            throw EscrowError(.notFound, "custodian '\(name)' is not in the roster\(hint)")
        }
        return member
    }

    /// The active member with this fingerprint.
    ///
    /// - Parameter fingerprint: A key fingerprint.
    /// - Returns: The member, or `nil`.
    public func member(fingerprint: Fingerprint) -> RosterMember? {
        members.first { $0.identity.fingerprint == fingerprint }
    }

    /// Whether `identity` (same name, same key) is an active member.
    ///
    /// - Parameter identity: A public identity.
    /// - Returns: `true` if an active member has this key.
    public func isActive(_ identity: PublicIdentity) -> Bool {
        members.contains { $0.identity.signingKey == identity.signingKey }
    }

    /// Any identity with this fingerprint, active or former (to verify old signatures).
    ///
    /// - Parameter fingerprint: A key fingerprint.
    /// - Returns: The identity, or `nil`.
    public func knownIdentity(fingerprint: Fingerprint) -> PublicIdentity? {
        member(fingerprint: fingerprint)?.identity ?? former.last { $0.identity.fingerprint == fingerprint }?.identity
    }

    /// Adds an active member.
    ///
    /// - Parameters:
    ///   - identity: The new custodian.
    ///   - time: When.
    ///   - actor: Who adds it.
    /// - Throws: ``EscrowError/Code/alreadyExists`` if the name or the key is already active.
    public mutating func add(_ identity: PublicIdentity, at time: UTCTime, by actor: Fingerprint) throws(EscrowError) {
        if let existing = member(named: identity.name) {
            throw EscrowError(
                .alreadyExists,
                "custodian '\(identity.name)' is already in the roster (\(existing.identity.fingerprint))"
            )
        }
        if let existing = members.first(where: { $0.identity.signingKey == identity.signingKey }) {
            throw EscrowError(
                .alreadyExists,
                "this key (\(identity.fingerprint)) is already in the roster as '\(existing.identity.name)'"
            )
        }
        members.append(RosterMember(identity: identity, addedAt: time, addedBy: actor))
        members.sort { $0.identity.name < $1.identity.name }
    }

    /// Moves an active member to the former members.
    ///
    /// - Parameters:
    ///   - name: The custodian's name.
    ///   - time: When.
    ///   - actor: Who removes it.
    /// - Returns: The removed member.
    /// - Throws: ``EscrowError/Code/notFound``.
    @discardableResult
    public mutating func remove(named name: String, at time: UTCTime, by actor: Fingerprint) throws(EscrowError)
        -> RosterMember
    {
        guard let index = members.firstIndex(where: { $0.identity.name == name }) else {
            throw EscrowError(.notFound, "custodian '\(name)' is not in the roster")
        }
        let member = members.remove(at: index)
        former.append(
            RosterMember(
                identity: member.identity,
                addedAt: member.addedAt,
                addedBy: member.addedBy,
                removedAt: time,
                removedBy: actor
            )
        )
        return member
    }

    private struct Document: Codable {
        var format: String
        var version: Int64
        var custodians: [RosterMember.Document]
        var former: [RosterMember.Document]
    }

    /// The file's bytes: pretty canonical JSON.
    ///
    /// - Returns: The UTF-8 bytes.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func encoded() throws(EscrowError) -> [UInt8] {
        JSONWriter.pretty(try JSONCoding.encode(encodedDocument()))
    }

    /// Parses and checks a roster file.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - source: Its path, for messages.
    /// - Returns: The roster.
    /// - Throws: ``EscrowError/Code/malformedFile``, ``EscrowError/Code/unsupportedVersion``,
    ///   ``EscrowError/Code/tampered`` (a fingerprint that does not match its key) or ``EscrowError/Code/invalidInput``
    ///   (duplicate names or keys, a bad name), each naming the custodian.
    public static func decode(_ bytes: [UInt8], source: String) throws(EscrowError) -> Roster {
        let value = try JSONParser.parse(bytes, source: source)
        try VersionedDocument.check(value, format: format, version: version, source: source)
        let document = try JSONCoding.decode(Document.self, from: value, source: source)
        var roster = Roster()
        for entry in document.custodians {
            let member = try RosterMember(document: entry, source: source)
            guard member.removedAt == nil, member.removedBy == nil else {
                throw EscrowError(
                    .malformedFile,
                    "\(source): active custodian '\(member.identity.name)' has a removal date"
                )
            }
            guard roster.member(named: member.identity.name) == nil else {
                throw EscrowError(.invalidInput, "\(source): custodian '\(member.identity.name)' appears twice")
            }
            guard !roster.isActive(member.identity) else {
                throw EscrowError(.invalidInput, "\(source): the key of '\(member.identity.name)' appears twice")
            }
            roster.members.append(member)
        }
        for entry in document.former {
            let member = try RosterMember(document: entry, source: source)
            guard member.removedAt != nil, member.removedBy != nil else {
                throw EscrowError(
                    .malformedFile,
                    "\(source): former custodian '\(member.identity.name)' has no removal date"
                )
            }
            roster.former.append(member)
        }
        let names = roster.members.map(\.identity.name)
        guard names == names.sorted() else {
            throw EscrowError(.malformedFile, "\(source): custodians are not sorted by name (edited by hand?)")
        }
        // The file has one spelling: former custodians in order, no `null` for an absent removal.
        guard try JSONCoding.encode(roster.encodedDocument()) == value else {
            throw EscrowError(.malformedFile, "\(source): not in canonical form (custodians out of order?)")
        }
        return roster
    }

    private func encodedDocument() -> Document {
        Document(
            format: Self.format,
            version: Self.version,
            custodians: members.map(\.document),
            former: former.map(\.document)
        )
    }
}

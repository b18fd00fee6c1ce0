/// A custodian in a store's roster: the public identity plus who added it and when (and, for former members, who
/// removed it and when).
public struct RosterMember: Hashable, Sendable {
    /// The custodian's public identity.
    public let identity: PublicIdentity
    /// When the custodian was added.
    public let addedAt: UTCTime
    /// Who added the custodian (the founder adds themself).
    public let addedBy: Fingerprint
    /// When the custodian was removed (former members only).
    public let removedAt: UTCTime?
    /// Who removed the custodian (former members only).
    public let removedBy: Fingerprint?

    /// Creates a roster entry.
    ///
    /// - Parameters:
    ///   - identity: The public identity.
    ///   - addedAt: When it was added.
    ///   - addedBy: Who added it.
    ///   - removedAt: When it was removed, for former members.
    ///   - removedBy: Who removed it, for former members.
    public init(
        identity: PublicIdentity,
        addedAt: UTCTime,
        addedBy: Fingerprint,
        removedAt: UTCTime? = nil,
        removedBy: Fingerprint? = nil
    ) {
        self.identity = identity
        self.addedAt = addedAt
        self.addedBy = addedBy
        self.removedAt = removedAt
        self.removedBy = removedBy
    }

    struct Document: Codable {
        var name: String
        var email: String
        var signingKey: Base64Bytes
        var fingerprint: Fingerprint
        var addedAt: UTCTime
        var addedBy: Fingerprint
        var removedAt: UTCTime?
        var removedBy: Fingerprint?

        enum CodingKeys: String, CodingKey {
            case name, email, fingerprint
            case signingKey = "signing_key"
            case addedAt = "added_at"
            case addedBy = "added_by"
            case removedAt = "removed_at"
            case removedBy = "removed_by"
        }
    }

    var document: Document {
        Document(
            name: identity.name,
            email: identity.email,
            signingKey: Base64Bytes(identity.signingKey),
            fingerprint: identity.fingerprint,
            addedAt: addedAt,
            addedBy: addedBy,
            removedAt: removedAt,
            removedBy: removedBy
        )
    }

    init(document: Document, source: String) throws(EscrowError) {
        let identity: PublicIdentity
        do {
            identity = try PublicIdentity(
                name: document.name,
                email: document.email,
                signingKey: document.signingKey.bytes
            )
        } catch {
            throw EscrowError(error.code, "\(source): \(error.message)", hints: error.hints)
        }
        guard identity.fingerprint == document.fingerprint else {
            throw EscrowError(
                .tampered,
                "\(source): custodian '\(document.name)' has fingerprint \(document.fingerprint) but its key's is \(identity.fingerprint)"
            )
        }
        self.init(
            identity: identity,
            addedAt: document.addedAt,
            addedBy: document.addedBy,
            removedAt: document.removedAt,
            removedBy: document.removedBy
        )
    }
}

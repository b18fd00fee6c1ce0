/// What a member of the roster may do.
public enum MemberRole: String, Hashable, Sendable, Codable, CaseIterable {
    /// Holds shares, approves quorum actions, creates vaults, deposits.
    case custodian
    /// Automation: may deposit credential versions and nothing else.
    case depositor
}

/// A roster member as it appears in events: who, which key, which role.
public struct MemberRecord: Hashable, Sendable, Codable {
    /// The member's name (custodian name rules).
    public var name: String
    /// The member's e-mail address, or the empty string.
    public var email: String
    /// The member's Ed25519 public key.
    public var key: Base64Bytes
    /// What the member may do.
    public var role: MemberRole

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - identity: The member's public identity.
    ///   - role: What the member may do.
    public init(_ identity: PublicIdentity, role: MemberRole) {
        name = identity.name
        email = identity.email
        key = Base64Bytes(identity.signingKey)
        self.role = role
    }

    /// The checked public identity (name, e-mail and key validated).
    ///
    /// - Returns: The identity.
    /// - Throws: ``EscrowError/Code/invalidInput`` naming the bad field.
    public func identity() throws(EscrowError) -> PublicIdentity {
        try PublicIdentity(name: name, email: email, signingKey: key.bytes)
    }
}

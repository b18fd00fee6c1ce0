/// A current member of the roster, as folded.
public struct MemberState: Hashable, Sendable {
    /// The checked public identity.
    public var identity: PublicIdentity
    /// What the member may do.
    public var role: MemberRole
    /// The event that added the member.
    public var addedBy: EventID

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - identity: The identity.
    ///   - role: The role.
    ///   - addedBy: The event that added it.
    public init(identity: PublicIdentity, role: MemberRole, addedBy: EventID) {
        self.identity = identity
        self.role = role
        self.addedBy = addedBy
    }
}

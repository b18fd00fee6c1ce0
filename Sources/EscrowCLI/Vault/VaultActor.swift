import Escrow

/// The acting member of a vault command, checked against the store's roster from the identity file's public part
/// (no passphrase needed), so a command refuses a non-member or a depositor before it asks for any secret.
struct VaultActor {
    /// The actor's public identity.
    let identity: PublicIdentity
    /// The actor's role in the store.
    let role: MemberRole

    /// Reads the identity file's public part and finds its member in the store.
    ///
    /// - Parameters:
    ///   - options: The identity options.
    ///   - ledger: The open store.
    ///   - needsCustodian: Whether the command needs a custodian (not a depositor).
    ///   - doing: What the command does, for the message (e.g. `create a vault`).
    /// - Returns: The actor.
    /// - Throws: ``CLIError`` for a non-member or a depositor acting as a custodian.
    static func check(_ options: IdentityOptions, in ledger: Ledger, needsCustodian: Bool, doing: String) throws
        -> VaultActor
    {
        let identity = try options.readFile().publicIdentity
        guard let member = ledger.state.members[identity.signingKey] else {
            throw CLIError(
                "\(identity.name) (\(identity.fingerprint)) is not a member of this store: a custodian adds you "
                    + "with 'escrow custodian add' (nothing was written)"
            )
        }
        if needsCustodian, member.role != .custodian {
            throw CLIError(
                "\(identity.name) is a \(member.role.rawValue), and only custodians \(doing) (nothing was written)"
            )
        }
        return VaultActor(identity: identity, role: member.role)
    }
}

import Sodium

/// A roster change (members added or removed, a new roster quorum), in the shape of a ``QuorumAction``: the change is
/// validated before anything is signed, checked against the folded roster, endorsed by a quorum and applied.
///
/// It is not a ``QuorumAction`` and has no entry in ``QuorumActions``: it is not a `request` event. The change and its
/// endorsements travel in one `roster` event (custodians sign the proposal out of band, an ``Endorsement`` is a
/// signature and not an `approval` event), it acts on the store rather than on target vaults (no generation, no
/// custody, no deadline), its quorum is the store's roster quorum rather than a vault policy, and it must apply on top
/// of the roster head it was proposed against. Routing it through requests would change the event format.
enum RosterChange {
    /// The change to propose: members to add and remove and an optional new quorum, against the current roster head,
    /// checked against the roster before anyone signs it.
    ///
    /// - Parameters:
    ///   - add: Members to add.
    ///   - remove: Names of current members to remove.
    ///   - quorum: A new roster quorum, if it changes.
    ///   - state: The store's folded state.
    /// - Returns: The unendorsed body.
    /// - Throws: ``EscrowError`` for an unknown name, a taken name or key, or a quorum out of range.
    static func proposal(add: [MemberRecord], remove: [String], quorum: Int?, in state: LedgerState)
        throws(EscrowError) -> RosterBody
    {
        var keys: [[UInt8]] = []
        for name in remove {
            guard let member = state.member(named: name) else {
                throw EscrowError(.notFound, "'\(NameRules.printable(name))' is not a member of this store")
            }
            keys.append(member.identity.signingKey)
        }
        for record in add {
            _ = try record.identity()
            if state.member(named: record.name) != nil {
                throw EscrowError(.alreadyExists, "the name '\(record.name)' is taken in this store")
            }
            if state.members[record.key.bytes] != nil || state.formerKeys.contains(record.key.bytes) {
                throw EscrowError(.alreadyExists, "\(record.name)'s key is (or was) a member of this store")
            }
        }
        if let quorum, !(1...255).contains(quorum) {
            throw EscrowError(.invalidInput, "the roster quorum must be between 1 and 255, not \(quorum)")
        }
        return RosterBody(base: state.rosterHead.bytes, add: add, remove: keys, quorum: quorum, approvals: [])
    }

    /// How many custodian endorsements a change needs.
    ///
    /// - Parameters:
    ///   - quorum: The store's roster quorum.
    ///   - custodians: How many current custodians there are.
    /// - Returns: The quorum, or every custodian when there are fewer.
    static func endorsementsNeeded(quorum: Int, custodians: Int) -> Int { min(quorum, custodians) }

    /// What an approver contributes: its signature over the proposal.
    ///
    /// - Parameters:
    ///   - change: The change.
    ///   - custodian: The endorsing custodian.
    ///   - state: The store's folded state.
    /// - Returns: The endorsement.
    /// - Throws: ``EscrowError/Code/notAuthorized`` if the identity is not a current custodian.
    static func endorse(_ change: RosterBody, by custodian: CustodianIdentity, in state: LedgerState)
        throws(EscrowError) -> Endorsement
    {
        let key = custodian.publicIdentity.signingKey
        guard state.members[key]?.role == .custodian else {
            throw EscrowError(.notAuthorized, "\(custodian.publicIdentity.name) is not a custodian of this store")
        }
        return Endorsement(key: key, signature: custodian.sign(try change.proposalMessage(store: state.storeID)))
    }

    /// Checks that the change applies on the current roster head and carries enough valid custodian endorsements.
    ///
    /// - Parameters:
    ///   - change: The change.
    ///   - state: The roster as folded.
    /// - Throws: ``Refusal`` naming the stale base, a bad endorsement or the count short.
    static func checkQuorum(_ change: RosterBody, in state: LedgerState) throws(Refusal) {
        guard change.base.bytes == state.rosterHead.bytes else {
            throw Refusal(
                "proposed against roster \(Hex.encode(change.base.bytes).prefix(12)), but the roster changed since "
                    + "(\(state.rosterHead.short)): propose the change again"
            )
        }
        let custodianKeys = Set(state.members.values.filter { $0.role == .custodian }.map(\.identity.signingKey))
        let message: [UInt8]
        do {
            message = try change.proposalMessage(store: state.storeID)
        } catch {
            throw Refusal(error.message)
        }
        var endorsers: Set<[UInt8]> = []
        for endorsement in change.approvals {
            let key = endorsement.key.bytes
            guard custodianKeys.contains(key) else {
                throw Refusal("an endorsement is not by a current custodian")
            }
            guard SigningKeyPair.isValidSignature(endorsement.signature.bytes, for: message, publicKey: key) else {
                throw Refusal("an endorsement's signature does not verify")
            }
            endorsers.insert(key)
        }
        let needed = endorsementsNeeded(quorum: state.rosterQuorum, custodians: custodianKeys.count)
        guard endorsers.count >= needed else {
            throw Refusal("\(endorsers.count) of the \(needed) custodian endorsements a roster change needs")
        }
    }

    /// Checks the change against the roster as folded and gives the members it leaves.
    ///
    /// - Parameters:
    ///   - change: The change.
    ///   - state: The roster as folded.
    ///   - event: The `roster` event (the new members' origin).
    /// - Returns: The members after the change.
    /// - Throws: ``Refusal`` naming the problem (an unknown removal, a returning key, a taken key or name, no
    ///   custodian left, a quorum out of range).
    static func check(_ change: RosterBody, in state: LedgerState, event: EventID) throws(Refusal)
        -> [[UInt8]: MemberState]
    {
        var members = state.members
        for key in change.remove.map(\.bytes) {
            guard members.removeValue(forKey: key) != nil else { throw Refusal("removes a key that is not a member") }
        }
        for record in change.add {
            let identity: PublicIdentity
            do {
                identity = try record.identity()
            } catch {
                throw Refusal(error.message)
            }
            guard !state.formerKeys.contains(identity.signingKey) else {
                throw Refusal("\(identity.name)'s key belonged to a removed member and cannot return")
            }
            guard members[identity.signingKey] == nil else {
                throw Refusal("\(identity.name)'s key is already a member")
            }
            guard !members.values.contains(where: { $0.identity.name == identity.name }) else {
                throw Refusal("the name '\(identity.name)' is taken")
            }
            members[identity.signingKey] = MemberState(identity: identity, role: record.role, addedBy: event)
        }
        guard members.values.contains(where: { $0.role == .custodian }) else {
            throw Refusal("the change would leave no custodian")
        }
        if let quorum = change.quorum {
            guard quorum >= 1, quorum <= 255 else { throw Refusal("the roster quorum must be between 1 and 255") }
        }
        return members
    }

    /// Applies a checked change: the new members and quorum, the removed keys barred for ever, the new roster head.
    ///
    /// - Parameters:
    ///   - change: The change.
    ///   - members: The members ``check(_:in:event:)`` gave.
    ///   - state: The state, changed in place.
    ///   - event: The `roster` event.
    static func apply(
        _ change: RosterBody,
        members: [[UInt8]: MemberState],
        to state: inout LedgerState,
        event: EventID
    ) {
        if let quorum = change.quorum { state.rosterQuorum = quorum }
        for key in change.remove.map(\.bytes) { state.formerKeys.insert(key) }
        state.members = members
        state.rosterHead = event
    }
}

extension Ledger {
    /// A roster change waiting for endorsements: members to add and remove and an optional new quorum, against the
    /// current roster head.
    ///
    /// - Parameters:
    ///   - add: Members to add.
    ///   - remove: Names of current members to remove.
    ///   - quorum: A new roster quorum, if it changes.
    /// - Returns: The unendorsed body.
    /// - Throws: ``EscrowError/Code/invalidInput`` for an unknown name, a taken name or key.
    public func rosterChange(add: [MemberRecord], remove: [String], quorum: Int?) throws(EscrowError) -> RosterBody {
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

    /// How many custodian endorsements a roster change needs now.
    public var rosterEndorsementsNeeded: Int { min(state.rosterQuorum, state.custodians.count) }

    /// A custodian's endorsement of a roster change.
    ///
    /// - Parameters:
    ///   - change: The change.
    ///   - custodian: The endorsing custodian.
    /// - Returns: The endorsement.
    /// - Throws: ``EscrowError/Code/notAuthorized`` if the identity is not a current custodian.
    public func endorse(_ change: RosterBody, by custodian: CustodianIdentity) throws(EscrowError) -> Endorsement {
        let key = custodian.publicIdentity.signingKey
        guard state.members[key]?.role == .custodian else {
            throw EscrowError(.notAuthorized, "\(custodian.publicIdentity.name) is not a custodian of this store")
        }
        return Endorsement(key: key, signature: custodian.sign(try change.proposalMessage(store: state.storeID)))
    }
}

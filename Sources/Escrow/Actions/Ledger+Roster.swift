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
        try RosterChange.proposal(add: add, remove: remove, quorum: quorum, in: state)
    }

    /// How many custodian endorsements a roster change needs now.
    public var rosterEndorsementsNeeded: Int {
        RosterChange.endorsementsNeeded(quorum: state.rosterQuorum, custodians: state.custodians.count)
    }

    /// A custodian's endorsement of a roster change.
    ///
    /// - Parameters:
    ///   - change: The change.
    ///   - custodian: The endorsing custodian.
    /// - Returns: The endorsement.
    /// - Throws: ``EscrowError/Code/notAuthorized`` if the identity is not a current custodian.
    public func endorse(_ change: RosterBody, by custodian: CustodianIdentity) throws(EscrowError) -> Endorsement {
        try RosterChange.endorse(change, by: custodian, in: state)
    }
}

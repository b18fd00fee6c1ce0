extension Fold {
    mutating func applyGenesis(_ event: Event) throws(Refusal) {
        guard event.id == graph.genesis.id else { throw Refusal("a second genesis") }
        let body = try body(GenesisBody.self, of: event)
        guard body.founder.key.bytes == event.author.key, body.founder.name == event.author.name else {
            throw Refusal("the genesis must be signed by its founder")
        }
        guard body.founder.role == .custodian else { throw Refusal("the founder must be a custodian") }
        guard body.rosterQuorum >= 1, body.rosterQuorum <= 255 else {
            throw Refusal("the roster quorum must be between 1 and 255")
        }
        let identity: PublicIdentity
        do {
            identity = try body.founder.identity()
        } catch {
            throw Refusal(error.message)
        }
        state.storeName = body.storeName
        state.rosterQuorum = body.rosterQuorum
        state.members[identity.signingKey] = MemberState(identity: identity, role: .custodian, addedBy: event.id)
    }

    mutating func applyRoster(_ event: Event) throws(Refusal) {
        _ = try author(of: event, role: .custodian)
        let body = try body(RosterBody.self, of: event)
        try RosterChange.checkQuorum(body, in: state)
        let members = try RosterChange.check(body, in: state, event: event.id)
        RosterChange.apply(body, members: members, to: &state, event: event.id)
    }
}

import Sodium

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
        guard body.base.bytes == state.rosterHead.bytes else {
            throw Refusal(
                "proposed against roster \(Hex.encode(body.base.bytes).prefix(12)), but the roster changed since "
                    + "(\(state.rosterHead.short)): propose the change again"
            )
        }
        let custodianKeys = Set(state.members.values.filter { $0.role == .custodian }.map(\.identity.signingKey))
        let message: [UInt8]
        do {
            message = try body.proposalMessage(store: state.storeID)
        } catch {
            throw Refusal(error.message)
        }
        var endorsers: Set<[UInt8]> = []
        for endorsement in body.approvals {
            let key = endorsement.key.bytes
            guard custodianKeys.contains(key) else {
                throw Refusal("an endorsement is not by a current custodian")
            }
            guard SigningKeyPair.isValidSignature(endorsement.signature.bytes, for: message, publicKey: key) else {
                throw Refusal("an endorsement's signature does not verify")
            }
            endorsers.insert(key)
        }
        let needed = min(state.rosterQuorum, custodianKeys.count)
        guard endorsers.count >= needed else {
            throw Refusal("\(endorsers.count) of the \(needed) custodian endorsements a roster change needs")
        }
        var members = state.members
        for key in body.remove.map(\.bytes) {
            guard members.removeValue(forKey: key) != nil else { throw Refusal("removes a key that is not a member") }
        }
        for record in body.add {
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
            members[identity.signingKey] = MemberState(identity: identity, role: record.role, addedBy: event.id)
        }
        guard members.values.contains(where: { $0.role == .custodian }) else {
            throw Refusal("the change would leave no custodian")
        }
        if let quorum = body.quorum {
            guard quorum >= 1, quorum <= 255 else { throw Refusal("the roster quorum must be between 1 and 255") }
            state.rosterQuorum = quorum
        }
        for key in body.remove.map(\.bytes) { state.formerKeys.insert(key) }
        state.members = members
        state.rosterHead = event.id
    }
}

import Sodium

extension Ledger {
    /// Makes the `vault.create` event of a new vault: a fresh id, the policy (x-coordinates 1…n in the order
    /// given) and one custody challenge per custodian.
    ///
    /// - Parameters:
    ///   - name: The vault's name (never used before in this store).
    ///   - metadata: Public account data.
    ///   - threshold: How many custodians open a credential.
    ///   - custodians: Names of current custodians.
    ///   - creator: The creating custodian.
    ///   - time: The event time.
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError`` for a taken name, an unknown custodian or a bad policy.
    public func createVault(
        named name: String,
        metadata: [String: String],
        threshold: Int,
        custodians: [String],
        by creator: CustodianIdentity,
        at time: UTCTime
    ) throws(EscrowError) -> Event {
        try NameRules.validateVaultName(name)
        try VaultMetadata.validate(metadata)
        guard state.vaultNames[name] == nil else {
            throw EscrowError(.alreadyExists, "a vault named '\(name)' exists or existed in this store")
        }
        let policy = try policy(threshold: threshold, custodians: custodians)
        let body = VaultCreateBody(
            vault: VaultReference(id: Sodium.randomBytes(16), name: name),
            metadata: metadata,
            policy: policy,
            challenges: try challenges(for: policy.custodians.map(\.key.bytes))
        )
        return try event(.vaultCreate, body: body, by: creator, at: time)
    }

    /// A policy over current custodians, x = 1…n in the order given.
    ///
    /// - Parameters:
    ///   - threshold: The threshold.
    ///   - custodians: Names of current custodians.
    ///   - coordinates: x-coordinates to keep for some custodians (a re-split keeps those of custodians who stay).
    /// - Returns: The policy.
    /// - Throws: ``EscrowError/Code/invalidInput`` for a bad shape, ``EscrowError/Code/notFound`` for a name that is
    ///   not a current custodian.
    public func policy(threshold: Int, custodians: [String], coordinates: [String: UInt8] = [:]) throws(EscrowError)
        -> PolicyRecord
    {
        var used = Set(coordinates.values)
        var next: UInt8 = 1
        var entries: [PolicyRecord.Custodian] = []
        for name in custodians {
            guard let member = state.member(named: name), member.role == .custodian else {
                throw EscrowError(.notFound, "'\(NameRules.printable(name))' is not a custodian of this store")
            }
            var x = coordinates[name]
            if x == nil {
                while used.contains(next) { next &+= 1 }
                x = next
                used.insert(next)
            }
            entries.append(PolicyRecord.Custodian(name: name, key: member.identity.signingKey, x: x ?? 0))
        }
        let policy = PolicyRecord(threshold: threshold, custodians: entries)
        if let problem = policy.shapeProblem { throw EscrowError(.invalidInput, problem) }
        return policy
    }

    /// One custody challenge per key.
    func challenges(for keys: [[UInt8]]) throws(EscrowError) -> [CustodyChallenge] {
        var result: [CustodyChallenge] = []
        for key in keys {
            guard let member = state.members[key] else { continue }
            let challenge = SecureBytes.random(count: CustodyProof.challengeCount)
            let sealed: [UInt8]
            do {
                sealed = try SealedBox.seal(challenge, to: try member.identity.boxPublicKey())
            } catch {
                throw EscrowError(.cryptoFailure, "cannot seal the custody challenge of \(member.identity.name)")
            }
            let response = CustodyProof.response(challenge: challenge, key: key)
            result.append(CustodyChallenge(key: key, sealed: sealed, check: CustodyProof.check(response: response)))
        }
        return result
    }

    /// Makes a custodian's `custody` event for `subject` (a vault creation or a re-split request naming it): opens
    /// its challenge with the custodian's key, which proves the key works.
    ///
    /// - Parameters:
    ///   - subject: The event holding the challenge.
    ///   - custodian: The acknowledging custodian.
    ///   - time: The event time.
    /// - Returns: The event (not yet appended).
    /// - Throws: ``EscrowError/Code/notFound`` if the subject holds no challenge for this custodian,
    ///   ``EscrowError/Code/cryptoFailure`` if the challenge does not open.
    public func acknowledgeCustody(of subject: EventID, by custodian: CustodianIdentity, at time: UTCTime)
        throws(EscrowError) -> Event
    {
        guard let event = graph.event(subject) else {
            throw EscrowError(.notFound, "no event \(subject.short) in this store")
        }
        let challenges: [CustodyChallenge]
        switch EventType(rawValue: event.type) {
        case .vaultCreate: challenges = try EventBody.decode(VaultCreateBody.self, of: event).challenges
        case .request: challenges = try EventBody.decode(RequestBody.self, of: event).challenges
        default: throw EscrowError(.invalidInput, "event \(subject.short) is a \(event.type), not a custody subject")
        }
        let key = custodian.publicIdentity.signingKey
        guard let challenge = challenges.first(where: { $0.key.bytes == key }) else {
            throw EscrowError(.notFound, "event \(subject.short) asks nothing of \(custodian.publicIdentity.name)")
        }
        let opened: SecureBytes
        do {
            opened = try SealedBox.open(challenge.sealed.bytes, with: try custodian.boxKeyPair())
        } catch {
            throw EscrowError(.cryptoFailure, "the custody challenge does not open with this identity's key")
        }
        let body = CustodyBody(subject: subject.bytes, response: CustodyProof.response(challenge: opened, key: key))
        return try self.event(.custody, body: body, by: custodian, at: time)
    }
}

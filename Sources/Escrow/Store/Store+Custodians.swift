extension Store {
    /// The current roster.
    ///
    /// - Returns: The roster.
    /// - Throws: A read or format error naming `roster.json`.
    public func roster() throws(EscrowError) -> Roster {
        try withLock { (session) throws(EscrowError) in try session.roster() }
    }

    /// Adds a custodian to the roster (`escrow custodian add`), as an audited change signed by `actor`.
    ///
    /// - Parameters:
    ///   - identity: The new custodian's public identity.
    ///   - actor: An active roster member.
    ///   - reason: An optional reason.
    /// - Returns: The audit record.
    /// - Throws: ``EscrowError/Code/notAuthorized`` if `actor` is not a member; ``EscrowError/Code/alreadyExists`` for
    ///   a duplicate name or key.
    @discardableResult
    public func addCustodian(_ identity: PublicIdentity, by actor: CustodianIdentity, reason: String? = nil)
        throws(EscrowError) -> AuditRecord
    {
        try withLock { (session) throws(EscrowError) in
            var roster = try session.roster()
            try session.requireMember(actor, in: roster)
            try roster.add(identity, at: clock.now, by: actor.publicIdentity.fingerprint)
            return try session.commit(
                [FileChange(path: StoreLayout.rosterPath, contents: try roster.encoded())],
                action: .custodianAdd,
                vault: nil,
                reason: reason,
                details: [
                    "identity": identity.line, "name": identity.name, "fingerprint": identity.fingerprint.description,
                ],
                actor: actor
            )
        }
    }

    /// The vaults in which the custodian with this fingerprint holds a share.
    ///
    /// - Parameter fingerprint: The custodian's fingerprint.
    /// - Returns: Vault names, sorted.
    /// - Throws: A read or verification error naming the vault.
    public func vaultsHeld(by fingerprint: Fingerprint) throws(EscrowError) -> [String] {
        try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            return try session.vaultsHeld(by: fingerprint, roster: roster)
        }
    }

    /// Removes a custodian from the roster (`escrow custodian remove`). Refused while the custodian holds shares:
    /// those vaults must be re-split first.
    ///
    /// - Parameters:
    ///   - name: The custodian's name.
    ///   - actor: An active roster member (may be the custodian themself).
    ///   - reason: An optional reason.
    /// - Returns: The audit record.
    /// - Throws: ``EscrowError/Code/notFound``, ``EscrowError/Code/notAuthorized``, or ``EscrowError/Code/conflict``
    ///   naming the vaults that still hold a share of the custodian.
    @discardableResult
    public func removeCustodian(named name: String, by actor: CustodianIdentity, reason: String? = nil)
        throws(EscrowError) -> AuditRecord
    {
        try withLock { (session) throws(EscrowError) in
            var roster = try session.roster()
            try session.requireMember(actor, in: roster)
            let member = try roster.requireMember(named: name)
            let held = try session.vaultsHeld(by: member.identity.fingerprint, roster: roster)
            guard held.isEmpty else {
                throw EscrowError(
                    .conflict,
                    "custodian '\(name)' still holds shares of \(held.count == 1 ? "vault" : "vaults") \(held.joined(separator: ", ")): re-split \(held.count == 1 ? "it" : "them") first"
                )
            }
            try roster.remove(named: name, at: clock.now, by: actor.publicIdentity.fingerprint)
            return try session.commit(
                [FileChange(path: StoreLayout.rosterPath, contents: try roster.encoded())],
                action: .custodianRemove,
                vault: nil,
                reason: reason,
                details: ["name": name, "fingerprint": member.identity.fingerprint.description],
                actor: actor
            )
        }
    }
}

extension StoreSession {
    /// The vaults whose policy names the custodian with this fingerprint.
    func vaultsHeld(by fingerprint: Fingerprint, roster: Roster) throws(EscrowError) -> [String] {
        var held: [String] = []
        for name in try vaultNames() {
            let vault = try vault(named: name, roster: roster)
            if vault.policy.custodian(fingerprint: fingerprint) != nil { held.append(name) }
        }
        return held
    }
}

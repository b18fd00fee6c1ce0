extension Store {
    /// Closes a vault (`escrow vault close`): the account was closed; the vault is kept whole, deposits are refused,
    /// and unlocking it needs `--force` with a reason. No quorum is needed: closing reveals nothing and takes nothing
    /// away. One audited change, signed by `actor`.
    ///
    /// - Parameters:
    ///   - name: The vault.
    ///   - actor: An active roster member.
    ///   - reason: Why (required).
    /// - Returns: The closed vault and the audit record.
    /// - Throws: ``EscrowError/Code/notFound``, ``EscrowError/Code/notAuthorized``, ``EscrowError/Code/conflict`` (not
    ///   active), ``EscrowError/Code/invalidInput`` (a bad reason).
    @discardableResult
    public func closeVault(named name: String, by actor: CustodianIdentity, reason: String) throws(EscrowError)
        -> (vault: Vault, record: AuditRecord)
    {
        try NameRules.validateReason(reason)
        return try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            try session.requireMember(actor, in: roster)
            var vault = try session.vault(named: name, roster: roster)
            try vault.close()
            try vault.sign(by: actor, at: clock.now)
            let record = try session.commit(
                [FileChange(path: Vault.relativePath(name: name), contents: try vault.encoded())],
                action: .vaultClose,
                vault: vault.reference,
                reason: reason,
                details: ["generation": String(vault.generation)],
                actor: actor
            )
            return (vault, record)
        }
    }
}

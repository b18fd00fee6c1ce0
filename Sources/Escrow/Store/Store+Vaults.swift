import Shamir
import Sodium

extension Store {
    /// The names of all vaults.
    ///
    /// - Returns: Sorted names.
    /// - Throws: An I/O error.
    public func vaultNames() throws(EscrowError) -> [String] {
        try withLock { (session) throws(EscrowError) in try session.vaultNames() }
    }

    /// Reads and fully verifies one vault.
    ///
    /// - Parameter name: The vault name.
    /// - Returns: The vault.
    /// - Throws: See ``StoreSession/vault(named:roster:)``.
    public func vault(named name: String) throws(EscrowError) -> Vault {
        try withLock { (session) throws(EscrowError) in try session.vault(named: name, roster: try session.roster()) }
    }

    /// Reads and verifies every vault.
    ///
    /// - Returns: The vaults, sorted by name.
    /// - Throws: The first read or verification error, naming the vault.
    public func vaults() throws(EscrowError) -> [Vault] {
        try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            var vaults: [Vault] = []
            for name in try session.vaultNames() { vaults.append(try session.vault(named: name, roster: roster)) }
            return vaults
        }
    }

    /// Runs the key ceremony for a new vault (`escrow vault init`) and commits it with its audit record.
    ///
    /// - Parameters:
    ///   - name: The vault name.
    ///   - threshold: The quorum size.
    ///   - custodianNames: Roster members, in x-coordinate order.
    ///   - metadata: Public metadata (validated).
    ///   - actor: An active roster member; signs the vault and the record.
    ///   - reason: An optional reason.
    ///   - rng: Randomness for the split (a fresh `StreamRandom` in production).
    /// - Returns: The new vault and its audit record.
    /// - Throws: ``EscrowError/Code/alreadyExists``, ``EscrowError/Code/notFound`` (a custodian not in the roster),
    ///   ``EscrowError/Code/invalidInput``, ``EscrowError/Code/notAuthorized``.
    public func createVault(
        name: String,
        threshold: Int,
        custodianNames: [String],
        metadata: [String: String],
        by actor: CustodianIdentity,
        reason: String? = nil,
        using rng: inout some RandomSource
    ) throws(EscrowError) -> (vault: Vault, record: AuditRecord) {
        try NameRules.validateVaultName(name)
        var seen = Set<String>()
        for custodian in custodianNames where !seen.insert(custodian).inserted {
            throw EscrowError(.invalidInput, "custodian '\(custodian)' is named twice")
        }
        return try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            try session.requireMember(actor, in: roster)
            let relative = Vault.relativePath(name: name)
            let existing = try session.vaultNames()
            guard !existing.contains(name) else { throw EscrowError(.alreadyExists, "vault '\(name)' already exists") }
            var custodians: [PublicIdentity] = []
            for custodianName in custodianNames {
                custodians.append(try roster.requireMember(named: custodianName, joining: true).identity)
            }
            let vault = try KeyCeremony.run(
                name: name,
                threshold: threshold,
                custodians: custodians,
                metadata: metadata,
                writer: actor,
                time: clock.now,
                using: &rng
            )
            let record = try session.commit(
                [FileChange(path: relative, contents: try vault.encoded())],
                action: .vaultInit,
                vault: vault.reference,
                reason: reason,
                details: [
                    "threshold": String(threshold),
                    "custodians": vault.policy.custodians.map { "\($0.name):\($0.fingerprint):\($0.x)" }.joined(
                        separator: ","
                    ),
                    "generation": String(vault.generation),
                    "public_key": Base64URL.encode(vault.publicKey.bytes),
                ],
                actor: actor
            )
            return (vault, record)
        }
    }

    /// Deposits a value into a vault entry (`escrow vault put`): no quorum needed, the depositor signs.
    ///
    /// - Parameters:
    ///   - vaultName: The vault.
    ///   - entry: The entry name.
    ///   - kind: The entry kind.
    ///   - prepared: The value and metadata (see ``EntryInput``).
    ///   - actor: An active roster member.
    ///   - reason: An optional reason.
    /// - Returns: The vault after the deposit, the new version and the audit record.
    /// - Throws: ``EscrowError/Code/notFound``, ``EscrowError/Code/conflict``, ``EscrowError/Code/notAuthorized`` or a
    ///   verification error for the vault file.
    public func deposit(
        into vaultName: String,
        entry: String,
        kind: EntryKind,
        prepared: EntryInput.Prepared,
        by actor: CustodianIdentity,
        reason: String? = nil
    ) throws(EscrowError) -> (vault: Vault, version: EntryVersion, record: AuditRecord) {
        try withLock { (session) throws(EscrowError) in
            let roster = try session.roster()
            try session.requireMember(actor, in: roster)
            var vault = try session.vault(named: vaultName, roster: roster)
            let now = clock.now
            let version = try vault.deposit(entry: entry, kind: kind, prepared: prepared, depositor: actor, at: now)
            try vault.sign(by: actor, at: now)
            let record = try session.commit(
                [FileChange(path: Vault.relativePath(name: vaultName), contents: try vault.encoded())],
                action: .entryPut,
                vault: vault.reference,
                reason: reason,
                details: ["entry": entry, "kind": kind.rawValue, "version": String(version.version)],
                actor: actor
            )
            return (vault, version, record)
        }
    }
}

/// One vault an unlock request is about: which vault (id, name, and the generation whose shares the approvals must
/// carry) and what the action needs there (the entries to open, or the exact new policy of a re-split).
///
/// A request holds a list of targets so that one approval carries the shares of many vaults (a bulk re-split: one
/// X25519 agreement per custodian per batch, one AEAD per share); `open` and `release` requests name one vault.
public struct UnlockTarget: Hashable, Sendable, Codable {
    /// The vault's random identifier.
    public var vaultID: HexBytes
    /// The vault's name.
    public var vaultName: String
    /// The vault generation the request was made for; approvals carry shares of exactly this generation.
    public var generation: Int64
    /// The entries to open (`open` requests only), sorted and distinct.
    public var entries: [String]?
    /// The exact new policy (`reshare` requests only), custodians with x = 1…n in order.
    public var newPolicy: VaultPolicy?

    enum CodingKeys: String, CodingKey {
        case generation, entries
        case vaultID = "vault_id"
        case vaultName = "vault_name"
        case newPolicy = "new_policy"
    }

    /// Creates a target.
    ///
    /// - Parameters:
    ///   - vault: The vault, as the store has it now.
    ///   - entries: The entries to open, for `open`.
    ///   - newPolicy: The new policy, for `reshare`.
    public init(vault: Vault, entries: [String]? = nil, newPolicy: VaultPolicy? = nil) {
        vaultID = vault.id
        vaultName = vault.name
        generation = vault.generation
        self.entries = entries
        self.newPolicy = newPolicy
    }

    /// Checks the fields that do not need the store: the name, the generation, and that the action-specific fields
    /// are present exactly for their action.
    ///
    /// - Parameters:
    ///   - action: The request's action.
    ///   - source: The request file, for messages.
    /// - Throws: ``EscrowError/Code/malformedFile`` naming the problem.
    func validate(for action: UnlockAction, source: String) throws(EscrowError) {
        func malformed(_ what: String) -> EscrowError { EscrowError(.malformedFile, "\(source): \(what)") }
        do {
            try NameRules.validateVaultName(vaultName)
        } catch {
            throw malformed(error.message)
        }
        guard vaultID.bytes.count == Vault.idCount else { throw malformed("a vault id must be \(Vault.idCount) bytes") }
        guard generation >= 1 else { throw malformed("generation must be at least 1") }
        switch action {
        case .open:
            guard let entries, !entries.isEmpty else { throw malformed("an open request names at least one entry") }
            for entry in entries {
                do {
                    try NameRules.validateEntryName(entry)
                } catch {
                    throw malformed(error.message)
                }
            }
            guard entries == Array(Set(entries)).sorted() else {
                throw malformed("the entries must be sorted and distinct")
            }
            guard newPolicy == nil else { throw malformed("an open request carries no new policy") }
        case .release:
            guard entries == nil, newPolicy == nil else {
                throw malformed("a release request names no entries and no policy (it releases every entry)")
            }
        case .reshare:
            guard entries == nil else { throw malformed("a reshare request names no entries") }
            guard let newPolicy else { throw malformed("a reshare request must name the new policy") }
            try newPolicy.validate(source: source)
            guard newPolicy.custodians.map(\.x) == (1...newPolicy.custodians.count).map({ UInt8($0) }) else {
                throw malformed("the new policy's custodians must have x = 1, 2, … in order")
            }
        }
    }
}

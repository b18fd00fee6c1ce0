/// The body of a `vault.create` event: the vault's permanent id and name, its public metadata and its first policy.
public struct VaultCreateBody: Hashable, Sendable, Codable {
    /// The vault's id and name (unique for ever in the store).
    public var vault: VaultReference
    /// Public account data (see ``VaultMetadata``).
    public var metadata: [String: String]
    /// The first policy (generation 1).
    public var policy: PolicyRecord
    /// One challenge per policy custodian.
    public var challenges: [CustodyChallenge]

    /// Creates a body.
    ///
    /// - Parameters:
    ///   - vault: The vault's id and name.
    ///   - metadata: Public account data.
    ///   - policy: The first policy.
    ///   - challenges: One challenge per custodian.
    public init(vault: VaultReference, metadata: [String: String], policy: PolicyRecord, challenges: [CustodyChallenge])
    {
        self.vault = vault
        self.metadata = metadata
        self.policy = policy
        self.challenges = challenges
    }
}

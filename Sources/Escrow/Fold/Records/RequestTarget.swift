/// One vault a request acts on, as the requester saw it.
public struct RequestTarget: Hashable, Sendable, Codable {
    /// The vault.
    public var vault: VaultReference
    /// The vault generation the request was made against; approvals and the execution refuse another.
    public var generation: Int64
    /// The credential versions to open or release (empty for other actions).
    public var versions: [HexBytes]
    /// The new policy of a re-split (`nil` for other actions).
    public var policy: PolicyRecord?

    /// Creates a target.
    ///
    /// - Parameters:
    ///   - vault: The vault.
    ///   - generation: The generation seen.
    ///   - versions: Versions to open or release.
    ///   - policy: The new policy of a re-split.
    public init(vault: VaultReference, generation: Int64, versions: [[UInt8]] = [], policy: PolicyRecord? = nil) {
        self.vault = vault
        self.generation = generation
        self.versions = versions.map(HexBytes.init)
        self.policy = policy
    }
}

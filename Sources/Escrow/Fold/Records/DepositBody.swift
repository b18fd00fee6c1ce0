/// The body of a `deposit` event: one credential version, sealed under its own key, and that key dealt to the
/// custodians of the vault's policy.
public struct DepositBody: Hashable, Sendable, Codable {
    /// The vault.
    public var vault: VaultReference
    /// The entry's name.
    public var entry: String
    /// The entry's kind (`password`, `totp`, `note`).
    public var kind: EntryKind
    /// The version's random 16-byte id.
    public var version: HexBytes
    /// The vault generation whose policy dealt the key.
    public var generation: Int64
    /// Public data about the version (e.g. `rotated_by`), never secret.
    public var metadata: [String: String]
    /// The value under the version key (XChaCha20-Poly1305; see ``ValueSeal``).
    public var sealedValue: Base64Bytes
    /// The keyed commitment to the version key (see ``KeyCommitment``).
    public var commitment: HexBytes
    /// The version's threshold (the policy's at `generation`).
    public var threshold: Int
    /// The ephemeral X25519 public key the shares were sealed with.
    public var ephemeralKey: Base64Bytes
    /// One sealed share per policy custodian, with its digest.
    public var shares: [SealedComponentRecord]

    enum CodingKeys: String, CodingKey {
        case vault, entry, kind, version, generation, metadata, commitment, threshold, shares
        case sealedValue = "sealed_value"
        case ephemeralKey = "ephemeral_key"
    }

    /// Creates a body.
    ///
    /// - Parameters:
    ///   - vault: The vault.
    ///   - entry: The entry's name.
    ///   - kind: The entry's kind.
    ///   - version: The version id.
    ///   - generation: The dealing generation.
    ///   - metadata: Public data.
    ///   - sealedValue: The sealed value.
    ///   - commitment: The key commitment.
    ///   - threshold: The threshold.
    ///   - ephemeralKey: The sealing key.
    ///   - shares: The sealed shares.
    public init(
        vault: VaultReference,
        entry: String,
        kind: EntryKind,
        version: [UInt8],
        generation: Int64,
        metadata: [String: String],
        sealedValue: [UInt8],
        commitment: [UInt8],
        threshold: Int,
        ephemeralKey: [UInt8],
        shares: [SealedComponentRecord]
    ) {
        self.vault = vault
        self.entry = entry
        self.kind = kind
        self.version = HexBytes(version)
        self.generation = generation
        self.metadata = metadata
        self.sealedValue = Base64Bytes(sealedValue)
        self.commitment = HexBytes(commitment)
        self.threshold = threshold
        self.ephemeralKey = Base64Bytes(ephemeralKey)
        self.shares = shares
    }
}

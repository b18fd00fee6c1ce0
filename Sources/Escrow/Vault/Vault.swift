/// A vault: the root credentials of one customer account, sealed to a public key whose secret half (the master key)
/// exists only as Shamir shares encrypted to named custodians.
///
/// File format (`vaults/NAME.json`, `"format": "escrow-vault", "version": 1`, pretty JSON with sorted keys):
/// ```json
/// {
///   "created_at": "…", "updated_at": "…",
///   "entries": {"root-password": {"kind": "password", "versions": [{"created_at": "…", "depositor": {…},
///               "metadata": {…}, "sealed_value": "<base64url>", "signature": "<base64url>", "state": "current",
///               "version": 1}]}},
///   "format": "escrow-vault",
///   "generation": 1,
///   "id": "<16 bytes hex>",
///   "last_writer": {"fingerprint": "FPR", "name": "alice", "signing_key": "<base64url>"},
///   "metadata": {"account_id": "123456789012", …},
///   "name": "acme-prod",
///   "policy": {"custodians": [{"fingerprint": "FPR", "name": "alice", "signing_key": "…", "x": 1}, …], "threshold": 3},
///   "public_key": "<base64url X25519>",
///   "shares": {"created_at": "…", "digest_key": "…", "ephemeral_public_key": "…",
///              "envelopes": [{"custodian": "alice", "digest": "<hex>", "fingerprint": "FPR", "sealed_share": "…", "x": 1}]},
///   "signature": "<base64url>",
///   "state": "active",
///   "version": 1
/// }
/// ```
/// `signature` is the last writer's Ed25519 signature over `escrow-vault-v1\n` followed by the canonical JSON of
/// everything else, so any hand edit is detected.
public struct Vault: Hashable, Sendable {
    /// The `format` value.
    public static let format = "escrow-vault"
    /// The only version this build reads and writes.
    public static let version: Int64 = 1
    /// The length of a vault identifier.
    public static let idCount = 16

    /// The random identifier (never reused, even if a name is).
    public let id: HexBytes
    /// The vault's name (also its file name).
    public let name: String
    /// Active, released or closed.
    public var state: VaultLifecycle
    /// When the key ceremony ran.
    public let createdAt: UTCTime
    /// When the file was last written.
    public var updatedAt: UTCTime
    /// The share-set generation, 1 after the ceremony; a re-split or rotation increments it.
    public var generation: Int64
    /// Threshold and custodians.
    public var policy: VaultPolicy
    /// The vault's X25519 public key: deposits are sealed to it.
    public var publicKey: Base64Bytes
    /// The encrypted shares of the master key.
    public var shares: ShareSet
    /// Public metadata (see ``VaultMetadata``).
    public var metadata: [String: String]
    /// The entries by name.
    public var entries: [String: VaultEntry]
    /// Who wrote and signed the file last.
    public var lastWriter: SignerReference
    /// The last writer's signature.
    public var signature: Base64Bytes

    /// Creates a vault value (normally done by ``KeyCeremony``).
    ///
    /// - Parameters:
    ///   - id: The identifier.
    ///   - name: The name.
    ///   - state: The state.
    ///   - createdAt: Creation time.
    ///   - updatedAt: Last write time.
    ///   - generation: The share-set generation.
    ///   - policy: Threshold and custodians.
    ///   - publicKey: The X25519 public key.
    ///   - shares: The encrypted shares.
    ///   - metadata: Public metadata.
    ///   - entries: Entries by name.
    ///   - lastWriter: The last writer.
    ///   - signature: The last writer's signature (empty before signing).
    public init(
        id: HexBytes,
        name: String,
        state: VaultLifecycle,
        createdAt: UTCTime,
        updatedAt: UTCTime,
        generation: Int64,
        policy: VaultPolicy,
        publicKey: Base64Bytes,
        shares: ShareSet,
        metadata: [String: String],
        entries: [String: VaultEntry],
        lastWriter: SignerReference,
        signature: Base64Bytes
    ) {
        self.id = id
        self.name = name
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.generation = generation
        self.policy = policy
        self.publicKey = publicKey
        self.shares = shares
        self.metadata = metadata
        self.entries = entries
        self.lastWriter = lastWriter
        self.signature = signature
    }

    /// The audit reference of this vault.
    public var reference: AuditRecord.AuditVaultReference { AuditRecord.AuditVaultReference(id: id, name: name) }

    /// The store-relative path of a vault file.
    ///
    /// - Parameter name: A vault name.
    /// - Returns: `vaults/NAME.json`.
    public static func relativePath(name: String) -> String { "vaults/\(name).json" }
}

/// One entry of a ``ReleaseBundle``: public facts in clear, the value sealed to the customer.
///
/// `sealed_value` is a sealed box (`crypto_box_seal`) to the customer's X25519 key of the value with the same binding
/// header as in a vault (``EntryPlaintext``: vault id, entry name, kind, version), so a value cannot be moved to
/// another entry of the bundle unnoticed.
public struct BundleEntry: Hashable, Sendable, Codable {
    /// The entry name.
    public var name: String
    /// What the value is.
    public var kind: EntryKind
    /// The version released (the current one).
    public var version: Int
    /// When that version was deposited.
    public var createdAt: UTCTime
    /// Public metadata (TOTP parameters…).
    public var metadata: [String: String]
    /// The value sealed to the customer.
    public var sealedValue: Base64Bytes

    enum CodingKeys: String, CodingKey {
        case name, kind, version, metadata
        case createdAt = "created_at"
        case sealedValue = "sealed_value"
    }

    /// Creates a bundle entry.
    ///
    /// - Parameters:
    ///   - name: The entry name.
    ///   - kind: The kind.
    ///   - version: The version number.
    ///   - createdAt: The deposit time.
    ///   - metadata: Public metadata.
    ///   - sealedValue: The value sealed to the customer.
    public init(
        name: String,
        kind: EntryKind,
        version: Int,
        createdAt: UTCTime,
        metadata: [String: String],
        sealedValue: Base64Bytes
    ) {
        self.name = name
        self.kind = kind
        self.version = version
        self.createdAt = createdAt
        self.metadata = metadata
        self.sealedValue = sealedValue
    }
}

/// What a credential version's key, value and shares are bound to: the store, the vault, the entry, the version and
/// the kind of value. Every v2 commitment, associated data and digest of a version names these fields (see
/// ``BindingEncoder``), so nothing can be moved to another store, vault, entry or version.
public struct VersionBinding: Hashable, Sendable {
    /// The length of every identifier (16 random bytes).
    public static let idCount = 16

    /// The store identifier (16 bytes).
    public let storeID: [UInt8]
    /// The vault identifier (16 bytes).
    public let vaultID: [UInt8]
    /// The vault's name.
    public let vaultName: String
    /// The entry's name.
    public let entry: String
    /// The version identifier (16 bytes).
    public let versionID: [UInt8]
    /// The kind of value (`password`, `totp`, `note`, …).
    public let kind: String

    /// Creates a binding.
    ///
    /// - Parameters:
    ///   - storeID: The store identifier (16 bytes).
    ///   - vaultID: The vault identifier (16 bytes).
    ///   - vaultName: The vault's name.
    ///   - entry: The entry's name.
    ///   - versionID: The version identifier (16 bytes).
    ///   - kind: The kind of value.
    /// - Throws: ``EscrowError/Code/invalidInput`` if an identifier does not have ``idCount`` bytes.
    public init(
        storeID: [UInt8],
        vaultID: [UInt8],
        vaultName: String,
        entry: String,
        versionID: [UInt8],
        kind: String
    ) throws(EscrowError) {
        for (name, id) in [("store", storeID), ("vault", vaultID), ("version", versionID)]
        where id.count != Self.idCount {
            throw EscrowError(.invalidInput, "a \(name) id has \(Self.idCount) bytes, not \(id.count)")
        }
        self.storeID = storeID
        self.vaultID = vaultID
        self.vaultName = vaultName
        self.entry = entry
        self.versionID = versionID
        self.kind = kind
    }

    /// `entry 'db' version 0a1b…` for messages.
    var label: String { "entry '\(entry)' version \(CustodyText.shortHex(versionID))" }
}

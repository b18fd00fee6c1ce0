/// One version of a vault entry: the value sealed to the vault's public key, public metadata, and the depositor's
/// signature.
///
/// The depositor signs `escrow-deposit-v1\n` followed by the canonical JSON of
/// `{"created_at", "depositor", "entry", "kind", "metadata", "sealed_value", "vault_id", "version"}`, which binds the
/// sealed value to its vault, entry name, kind and version number; the sealed plaintext repeats that binding
/// (see ``EntryPlaintext``).
public struct EntryVersion: Hashable, Sendable, Codable {
    /// Whether a version is the one in force.
    public enum State: String, Hashable, Sendable, Codable {
        /// The newest version.
        case current
        /// Replaced by a newer version; kept sealed for the record.
        case superseded
    }

    /// The version number, 1 for the first deposit.
    public var version: Int
    /// Current or superseded.
    public var state: State
    /// When it was deposited.
    public var createdAt: UTCTime
    /// Who deposited it.
    public var depositor: SignerReference
    /// The value (with its binding header) sealed to the vault public key (`crypto_box_seal`).
    public var sealedValue: Base64Bytes
    /// Public metadata (TOTP parameters, whether the password was generated…). Never secret.
    public var metadata: [String: String]
    /// The depositor's Ed25519 signature.
    public var signature: Base64Bytes

    enum CodingKeys: String, CodingKey {
        case version, state, depositor, metadata, signature
        case createdAt = "created_at"
        case sealedValue = "sealed_value"
    }

    private struct SignedContent: Encodable {
        var vaultID: HexBytes
        var entry: String
        var kind: EntryKind
        var version: Int
        var createdAt: UTCTime
        var depositor: SignerReference
        var sealedValue: Base64Bytes
        var metadata: [String: String]

        enum CodingKeys: String, CodingKey {
            case entry, kind, version, depositor, metadata
            case vaultID = "vault_id"
            case createdAt = "created_at"
            case sealedValue = "sealed_value"
        }
    }

    private static let signingPrefix = Array("escrow-deposit-v1\n".utf8)

    /// The bytes the depositor signs.
    ///
    /// - Parameters:
    ///   - vaultID: The vault identifier.
    ///   - entry: The entry name.
    ///   - kind: The entry kind.
    /// - Returns: The message.
    /// - Throws: ``EscrowError/Code/malformedFile`` only on an internal encoding failure.
    public func signedMessage(vaultID: [UInt8], entry: String, kind: EntryKind) throws(EscrowError) -> [UInt8] {
        let content = SignedContent(
            vaultID: HexBytes(vaultID),
            entry: entry,
            kind: kind,
            version: version,
            createdAt: createdAt,
            depositor: depositor,
            sealedValue: sealedValue,
            metadata: metadata
        )
        return Self.signingPrefix + JSONWriter.canonical(try JSONCoding.encode(content))
    }
}
